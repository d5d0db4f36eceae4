import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError

from taizhang.campaigns.models import Campaign
from taizhang.indicators.engine import compute
from taizhang.orgs.models import Member
from taizhang.reports import examples, make_default_template
from taizhang.reports.check import MATCH, check_text
from taizhang.reports.docx_template import (
    DATA,
    ZERO,
    check_template,
    prune_text,
    render_summary,
    template_problems,
)
from taizhang.reports.selectors import DATA_DIR, default_template_path
from taizhang.reports.summary import build_summary, campaign_short_name, cn_ordinal

from .conftest import docx_text, make_template

FIGURES = "截至目前，退休党员{{ members.retired }}名，流动党员{{ members.mobile }}名。"


def render(campaign, org, *paragraphs, **kwargs) -> list[str]:
    data = build_summary(campaign, org, today=datetime.date(2024, 5, 20), **kwargs)
    return docx_text(render_summary(data, make_template(*paragraphs)))


def test_a_clause_whose_figure_is_zero_is_left_out(cast, members_campaign):
    text = render(members_campaign, cast.township_a, FIGURES)
    assert "截至目前，退休党员1名。" in text
    assert not any("流动党员" in line or "0名" in line for line in text)


def test_a_sentence_whose_only_figure_is_missing_is_left_out(cast, members_campaign):
    text = render(
        members_campaign,
        cast.township_a,
        "各支部认真部署。已完成{{ members.pending }}项，形成长效机制。本句保留。",
    )
    assert "各支部认真部署。本句保留。" in text


def test_a_sentence_without_any_figure_left_is_left_out_whole(cast, members_campaign):
    text = render(members_campaign, cast.township_b, "开展学习。" + FIGURES + "持续推进。")
    assert "开展学习。持续推进。" in text  # township B has no retired and no mobile members


def test_with_figures_present_the_sentence_states_them(cast, members_campaign):
    Member.objects.create(name="钱八", organisation=cast.branch_a2, category="流动", mobile="13600005555")
    Member.objects.create(name="孙九", organisation=cast.branch_a2, category="退休", mobile="13600006666")
    text = render(members_campaign, cast.township_a, FIGURES)
    assert "截至目前，退休党员2名，流动党员1名。" in text


def test_as_of_counts_what_was_recorded_by_then(cast, members_campaign):
    members_campaign.indicators = [
        *members_campaign.indicators,
        {
            "code": "members.joined",
            "label": "入党",
            "unit": "名",
            "count": "orgs.Member",
            "as_of": "joined_on",
        },
    ]
    members_campaign.save()
    Member.objects.filter(pk=cast.zhang.pk).update(joined_on=datetime.date(2024, 4, 1))
    early = render(
        members_campaign, cast.township_a, "共{{ members.joined }}名。", as_of=datetime.date(2024, 3, 1)
    )
    late = render(
        members_campaign, cast.township_a, "共{{ members.joined }}名。", as_of=datetime.date(2024, 5, 1)
    )
    assert "共2名。" in early and "共3名。" in late
    assert "2024年3月1日" in early  # the signature's date is the as-of date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"截至目前，A{DATA}5次，B{ZERO}场，C{DATA}9人次。", "截至目前，A5次，C9人次。"),
        (f"截至目前，A{DATA}5次，B{ZERO}场。", "截至目前，A5次。"),
        (f"截至目前，A{ZERO}次，B{ZERO}场。其他。", "其他。"),
        (f"截至目前，A{ZERO}次，分类施策。", ""),
        (f"小标题。对{ZERO}个组织体检，引导夯实基础。持续整顿。", "小标题。持续整顿。"),
        (f"办好{DATA}甲、乙等{DATA}9件实事，完成{ZERO}项", "办好甲、乙等9件实事"),
        ("没有标记，原样保留，0也保留。", "没有标记，原样保留，0也保留。"),
    ],
)
def test_pruning(text, expected):
    assert prune_text(text) == expected


def test_a_template_naming_an_unknown_indicator_is_refused_with_the_tag_named(cast, members_campaign):
    template = make_template("退休党员{{ members.retire }}名。")
    with pytest.raises(ValidationError) as refused:
        check_template(template, members_campaign)
    message = " ".join(refused.value.messages)
    assert "members.retire" in message and "是不是“members.retired”" in message


@pytest.mark.parametrize(
    ("paragraph", "named"),
    [
        ("{{ memebrs.retired }}名", "memebrs.retired"),
        ("{{ foo }}", "“foo”"),
        ("{{ members }}", "“members”不完整"),
        ("{{ examples.nothing }}", "examples.nothing"),
        ("{% if members.retired %}没有结束", "写法有误"),
        ("{{ members.retired|no_such_filter }}", "no_such_filter"),
        ("｛｛ members.retired ｝｝", "全角"),
    ],
)
def test_template_problems_name_what_is_wrong(cast, members_campaign, paragraph, named):
    problems = template_problems(make_template(paragraph), members_campaign)
    assert problems and named in " ".join(problems)


def test_declared_indicators_not_computed_yet_are_accepted(cast, members_campaign):
    assert template_problems(make_template("{{ members.pending }}项"), members_campaign) == []


def test_loop_variables_are_not_taken_for_indicators(cast, members_campaign):
    template = make_template(
        "{% for part in parts %}{{ part.heading }}{% for f in part.figures %}{{ f.label }}{% endfor %}{% endfor %}"
    )
    assert template_problems(template, members_campaign) == []


def test_a_template_is_rendered_in_the_sandbox(cast, members_campaign):
    template = make_template("{{ place.__class__.__mro__ }}")
    with pytest.raises(ValidationError, match="不允许"):
        render_summary(build_summary(members_campaign, cast.township_a), template)


def test_a_file_that_is_no_word_document_is_refused(cast, members_campaign):
    with pytest.raises(ValidationError, match="不是有效的 Word"):
        check_template(b"PK\x03\x04 not really a zip", members_campaign)


def test_the_shipped_summary_of_township_a(cast):
    campaign = Campaign.objects.get(code="2023-second-batch")
    data = build_summary(campaign, cast.township_a, today=datetime.date(2023, 12, 20))
    text = docx_text(render_summary(data, default_template_path(campaign).read_bytes()))
    assert text[0] == "2023年甲乡第二批主题教育工作开展情况的工作总结"
    assert "一、“谋”字为先打基础" in text and "五、“建”字聚力解民忧" in text
    body = "".join(text)
    assert "甲乡共有2个基层党组织、2个党支部参加主题教育，做到组织全覆盖。" in body
    assert "准确把握“学思想、强党性、重实践、建新功”的总要求" in body
    # Figures not computed yet (the record areas' indicators) are left out with their sentences.
    assert "专题研讨" not in body and "广告牌" not in body and "截至目前，。" not in body
    assert "抓好传达聚好力。各党支部紧密结合支部实际" in body
    assert text[-2:] == ["中共甲乡委员会", "2023年12月20日"]
    assert ZERO not in body and DATA not in body and "{{" not in body
    # What the summary states agrees with the records.
    checked = check_text(body, campaign, compute(campaign, cast.township_a))
    assert checked and all(c.status == MATCH for c in checked), [
        (c.stated.text, c.status, c.reason) for c in checked if c.status != MATCH
    ]


def test_examples_come_from_the_areas_that_offer_them(cast, monkeypatch):
    campaign = Campaign.objects.get(code="2023-second-batch")
    template = default_template_path(campaign).read_bytes()
    monkeypatch.setattr(examples, "providers", lambda: {})
    body = "".join(docx_text(render_summary(build_summary(campaign, cast.township_a), template)))
    assert "调研课题" not in body and "结对共建，推动" not in body
    offered = {"research_topics": f"{__name__}.research_topics", "partnerships": f"{__name__}.partners"}
    monkeypatch.setattr(examples, "providers", lambda: offered)
    body = "".join(docx_text(render_summary(build_summary(campaign, cast.township_a), template)))
    assert "甲乡选定“党建引领乡村振兴”“农文旅融合”等调研课题" in body
    assert "与市商务局、甲乙公司开展结对共建" in body


def test_an_app_offers_examples_in_its_appconfig(cast, monkeypatch):
    monkeypatch.setattr(
        apps.get_app_config("orgs"), "report_examples", {"test_items": f"{__name__}.partners"}, raising=False
    )
    assert examples.providers()["test_items"] == f"{__name__}.partners"
    assert examples.known_names()["test_items"] == "test_items"
    collected = examples.collect(Campaign.current(), cast.township_a, None)
    assert collected["test_items"] == ["市商务局", "甲乙公司"]
    monkeypatch.setattr(
        apps.get_app_config("accounts"), "report_examples", {"test_items": "x.y"}, raising=False
    )
    with pytest.raises(ImproperlyConfigured, match="test_items"):
        examples.providers()


def research_topics(campaign, root, as_of):
    assert root.name == "甲乡党委" and campaign.code == "2023-second-batch"
    return ["党建引领乡村振兴", "农文旅融合"]


def partners(campaign, root, as_of):
    return ["市商务局", "甲乙公司"]


def test_the_generic_template_lists_each_parts_figures(cast, members_campaign):
    data = build_summary(members_campaign, cast.township_a, today=datetime.date(2024, 5, 20))
    text = docx_text(render_summary(data, default_template_path(members_campaign).read_bytes()))
    assert default_template_path(members_campaign).name == "summary-generic.docx"
    assert text[0] == "2024年甲乡第一期学习教育工作开展情况的工作总结"
    assert "一、“谋”字为先" in text and "二、“学”字铸魂" in text
    assert "截至目前，党支部2个。" in text
    assert "截至目前，退休党员1名，农村党员1名。" in text  # 流动 0 and the pending one are not listed
    assert not any("{%" in line for line in text)


def test_the_shipped_templates_are_what_the_script_makes():
    for name, make in make_default_template.TEMPLATES.items():
        shipped = docx_text((DATA_DIR / name).read_bytes())
        assert shipped == docx_text(make_default_template.docx_bytes(make())), (
            f"{name}: run make_default_template"
        )


def test_the_shipped_templates_pass_their_check(cast, members_campaign):
    campaign = Campaign.objects.get(code="2023-second-batch")
    assert template_problems(default_template_path(campaign).read_bytes(), campaign) == []
    assert template_problems(default_template_path(members_campaign).read_bytes(), members_campaign) == []


def test_names():
    assert [cn_ordinal(n) for n in (1, 5, 10, 12, 20, 21)] == ["一", "五", "十", "十二", "二十", "二十一"]
    assert (
        campaign_short_name(Campaign(name="学习贯彻习近平新时代中国特色社会主义思想主题教育（第二批）"))
        == "第二批主题教育"
    )
    assert campaign_short_name(Campaign(name="党纪学习教育")) == "党纪学习教育"
