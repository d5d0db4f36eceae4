"""A campaign is data: the shipped one is there after migrate, the next one is a file and a command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from taizhang.campaigns import services
from taizhang.campaigns.models import Campaign, LeadingGroupMember

NEXT_CAMPAIGN = """\
code: 2024-discipline
name: 党纪学习教育
start_date: 2024-04-01
end_date: 2024-07-31
motto: 学纪、知纪、明纪、守纪
current: true
required_meeting_types: [专题党课, 专题研讨]
parts:
  - {short: 读, slug: read, name: 读原文}
  - {short: 学, slug: study, name: 学条例}
  - {short: 警, slug: warn, name: 警示教育}
indicators:
  - {code: study.lectures, label: 专题党课, unit: 场, part: 学}
"""


def load(tmp_path, text: str, name: str = "campaign.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("load_campaign", str(path), stdout=out)
    return out.getvalue()


def other_campaign(**fields) -> Campaign:
    data = {
        "code": "2024-discipline",
        "name": "党纪学习教育",
        "start_date": datetime.date(2024, 4, 1),
        "end_date": datetime.date(2024, 7, 31),
    }
    data.update(fields)
    return Campaign.objects.create(**data)


# The shipped campaign ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_2023_campaign_is_there_after_migrate_and_current():
    campaign = Campaign.objects.get(code="2023-second-batch")
    assert "".join(campaign.parts.values_list("short", flat=True)) == "谋学改研建"
    assert list(campaign.parts.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert list(campaign.parts.values_list("slug", flat=True)) == [
        "plan",
        "study",
        "rectify",
        "research",
        "build",
    ]
    assert (campaign.start_date, campaign.end_date) == (datetime.date(2023, 9, 1), datetime.date(2024, 1, 31))
    assert campaign.is_current and Campaign.current() == campaign
    assert campaign.required_meeting_types == ["党员大会", "专题党课", "主题党日", "专题研讨"]
    assert {i["code"] for i in campaign.indicators} >= {"org.branches", "study.seminars", "publicity.banners"}


def test_home_and_navigation_show_the_current_campaign_s_parts(cast, client_as):
    html = client_as(cast.sec_a1).get("/").content.decode()
    for part in ("谋", "学", "改", "研", "建"):
        assert f"/part/{Campaign.current().parts.get(short=part).slug}/" in html


# Loading the next campaign -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_campaign_is_loaded_from_a_file(tmp_path):
    output = load(tmp_path, NEXT_CAMPAIGN)
    campaign = Campaign.objects.get(code="2024-discipline")
    assert campaign.name == "党纪学习教育"
    assert "".join(campaign.parts.values_list("short", flat=True)) == "读学警"
    assert campaign.required_meeting_types == ["专题党课", "专题研讨"]
    assert campaign.source_file == "campaign.yaml"
    assert "已载入主题教育“党纪学习教育”（2024-discipline），3个工作板块。" in output
    # It asked to be current, but one already is: switching is a separate, deliberate act.
    assert not campaign.is_current
    assert Campaign.current().code == "2023-second-batch"
    assert Campaign.objects.count() == 2


@pytest.mark.django_db
def test_loading_a_file_again_updates_the_campaign(tmp_path):
    load(tmp_path, NEXT_CAMPAIGN)
    load(
        tmp_path,
        NEXT_CAMPAIGN.replace("name: 党纪学习教育", "name: 党纪学习教育（修订）").replace(
            "  - {short: 警, slug: warn, name: 警示教育}\n", ""
        ),
    )
    campaign = Campaign.objects.get(code="2024-discipline")
    assert campaign.name == "党纪学习教育（修订）"
    assert "".join(campaign.parts.values_list("short", flat=True)) == "读学"
    assert Campaign.objects.count() == 2


@pytest.mark.django_db
def test_a_campaign_file_is_current_when_none_is(tmp_path):
    Campaign.objects.update(is_current=False)
    load(tmp_path, NEXT_CAMPAIGN)
    assert Campaign.current().code == "2024-discipline"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code: [unclosed\n", "不是有效的 YAML"),
        ("- just\n- a list\n", "内容应为键值表"),
        ("code: x\nname: y\n", "缺少：start_date、end_date、parts"),
        (NEXT_CAMPAIGN.replace("start_date: 2024-04-01", "start_date: 2024-13-01"), "无效的日期"),
        (NEXT_CAMPAIGN.replace("end_date: 2024-07-31", "end_date: 2024-03-01"), "结束日期不能早于开始日期"),
        (NEXT_CAMPAIGN.replace("{short: 读, slug: read, name: 读原文}", "{short: 读, name: 读原文}"), "slug"),
        (NEXT_CAMPAIGN.replace("slug: warn", "slug: read"), "read"),
        (NEXT_CAMPAIGN.replace("parts:\n", "parts: 3\nx:\n"), "parts"),
        (NEXT_CAMPAIGN.replace("short: 警,", "short: 警示教育专题,"), "第3个工作板块的简称"),
        (NEXT_CAMPAIGN.replace("code: 2024-discipline", "code: 2024 discipline"), "主题教育的代码"),
    ],
    ids=[
        "not-yaml",
        "not-a-mapping",
        "missing-keys",
        "bad-date",
        "dates-reversed",
        "part-without-slug",
        "same-slug-twice",
        "parts-not-a-list",
        "short-too-long",
        "code-not-a-slug",
    ],
)
def test_a_malformed_file_gives_a_chinese_error_and_loads_nothing(tmp_path, text, message):
    with pytest.raises(CommandError) as exc:
        load(tmp_path, text)
    assert message in str(exc.value)
    assert not Campaign.objects.exclude(code="2023-second-batch").exists()


@pytest.mark.django_db
def test_a_missing_file_gives_a_chinese_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("load_campaign", str(tmp_path / "nope.yaml"))


# Only one current campaign -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_allows_only_one_current_campaign():
    with pytest.raises(IntegrityError), transaction.atomic():
        other_campaign(is_current=True)


@pytest.mark.django_db
def test_the_database_refuses_reversed_dates():
    with pytest.raises(IntegrityError), transaction.atomic():
        other_campaign(end_date=datetime.date(2024, 1, 1))


def test_make_current_switches_the_one_current_campaign(cast):
    nxt = other_campaign()
    services.campaign_make_current(actor=cast.root, campaign=nxt)
    assert list(Campaign.objects.filter(is_current=True)) == [nxt]
    old = Campaign.objects.get(code="2023-second-batch")
    assert old.history.first().history_change_reason == "不再是当前主题教育"
    assert nxt.history.first().history_user == cast.root


@pytest.mark.parametrize("role", ["county_viewer", "admin_a", "sec_a1", "nobody"])
def test_make_current_is_for_superusers_only(cast, client_as, role):
    nxt = other_campaign()
    with pytest.raises(PermissionDenied):
        services.campaign_make_current(actor=getattr(cast, role), campaign=nxt)
    response = client_as(getattr(cast, role)).post(
        reverse("campaigns:campaign_make_current", args=[nxt.code])
    )
    assert response.status_code == 403
    assert Campaign.current().code == "2023-second-batch"


def test_make_current_through_the_page(cast, client_as):
    nxt = other_campaign()
    response = client_as(cast.root).post(
        reverse("campaigns:campaign_make_current", args=[nxt.code]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("campaigns:campaign_detail", args=[nxt.code])
    assert "已将“党纪学习教育”设为当前主题教育" in response.content.decode()
    assert Campaign.current() == nxt


# Pages -------------------------------------------------------------------------------------------------


def test_campaign_pages_list_campaigns_and_parts(cast, client_as):
    other_campaign()
    client = client_as(cast.sec_a1)
    html = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert "党纪学习教育" in html and "第二批" in html
    html = client.get(reverse("campaigns:campaign_detail", args=["2023-second-batch"])).content.decode()
    assert "“学”字铸魂强筋骨" in html
    assert client.get(reverse("campaigns:campaign_detail", args=["no-such"])).status_code == 404


def test_leading_group_on_the_campaign_page_is_scoped(cast, client_as):
    campaign = Campaign.current()
    LeadingGroupMember.objects.create(
        campaign=campaign, organisation=cast.township_a, member=cast.zhang, role="组长"
    )
    LeadingGroupMember.objects.create(
        campaign=campaign, organisation=cast.township_b, member=cast.zhao, role="组长"
    )
    url = reverse("campaigns:campaign_detail", args=[campaign.code])
    admin_a = client_as(cast.admin_a).get(url).context["leading_group"]
    assert [m.member.name for m in admin_a] == ["张三"]
    county = client_as(cast.county_viewer).get(url).context["leading_group"]
    assert sorted(m.member.name for m in county) == ["张三", "赵六"]


def test_part_page_of_the_current_campaign(cast, client_as):
    client = client_as(cast.sec_a1)
    assert "“改”字提质显成效" in client.get(reverse("part", args=["rectify"])).content.decode()
    assert client.get(reverse("part", args=["read"])).status_code == 404


@pytest.mark.django_db
def test_loading_a_campaign_says_which_one_stays_current(tmp_path):
    path = tmp_path / "next.yaml"
    path.write_text(
        "code: 2024-next\nname: 下一次主题教育\nstart_date: 2024-04-01\nend_date: 2024-07-31\ncurrent: true\n"
        "parts:\n  - {short: 学, slug: study, name: 学习}\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("load_campaign", str(path), stdout=out)
    assert "当前主题教育仍是“学习贯彻习近平新时代中国特色社会主义思想主题教育（第二批）”" in out.getvalue()
