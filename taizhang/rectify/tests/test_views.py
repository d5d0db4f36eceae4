"""The rectification pages: the ledger as on paper with its filters, the deadline lists, talk privacy, bad
input shown under its field, and the number of queries of the lists, whatever their size."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from taizhang.conftest import make_member
from taizhang.core.deadlines import today
from taizhang.rectify import services
from taizhang.rectify.choices import Grade, MeasureStatus, OwnerKind, TalkType
from taizhang.rectify.models import Measure, Problem, Talk

from .conftest import close, make_measure, make_problem, png

SOON = today() + datetime.timedelta(days=3)
LATER = today() + datetime.timedelta(days=40)
PAST = datetime.date(2023, 12, 31)


def html(client, name, *args, **params) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def shown(response) -> list[str]:
    return [p.content for p in response.context["page"]]


@pytest.fixture
def ledger(cast, leaders):
    """Township A: a leadership problem with two measures (one overdue, one closed), a leader's problem
    due soon, a special item, and branch A1's and A2's problems; township B's one problem."""
    team = make_problem(cast.admin_a, cast.township_a, kind=OwnerKind.LEADERSHIP, content="班子学习不深入")
    make_measure(cast.admin_a, team, content="制定班子学习计划", deadline=PAST)
    close(cast.admin_a, make_measure(cast.admin_a, team, content="开展专题研讨"))
    mine = make_problem(
        cast.admin_a,
        cast.township_a,
        kind=OwnerKind.LEADER,
        member=cast.wang,
        content="下村次数少",
        category="工作作风",
    )
    make_measure(cast.admin_a, mine, content="每月走访两个村", deadline=SOON, responsible_leader=cast.wang)
    make_problem(
        cast.admin_a, cast.township_a, kind=OwnerKind.LEADERSHIP, content="项目推进慢", is_special=True
    )
    a1 = make_problem(cast.sec_a1, cast.branch_a1, content="三会一课不规范", category="工作作风")
    make_measure(cast.sec_a1, a1, content="规范会议记录", deadline=LATER, responsible_person=cast.zhang)
    a2 = make_problem(cast.sec_a2, cast.branch_a2, content="党务公开不及时")
    make_measure(cast.sec_a2, a2, content="更新公开栏", deadline=PAST)
    b1 = make_problem(cast.sec_b1, cast.branch_b1, content="乙乡的问题")
    make_measure(cast.sec_b1, b1, content="乙乡的措施", deadline=PAST)
    return cast


# The ledger --------------------------------------------------------------------------------------------


def test_the_ledger_shows_each_problem_once_with_its_measures_beneath(ledger, client_as):
    page = html(client_as(ledger.admin_a), "rectify:problem_list")
    assert page.count("班子学习不深入") == 1
    first, measure_a, measure_b, next_problem = (
        page.index("班子学习不深入"),
        page.index("制定班子学习计划"),
        page.index("开展专题研讨"),
        page.index("下村次数少"),
    )
    assert first < measure_a < measure_b < next_problem
    assert "已逾期" in page and "7日内到期" in page and "乙乡的问题" not in page
    assert "尚未制定整改措施" in page  # the special item without measures


@pytest.mark.parametrize(
    ("params", "problems"),
    [
        ({"owner": "leadership"}, ["班子学习不深入", "下村次数少", "项目推进慢"]),
        ({"owner": "grassroots"}, ["三会一课不规范", "党务公开不及时"]),
        ({"owner": "org:{branch_a1}"}, ["三会一课不规范"]),
        ({"owner": "org:{general_a}"}, ["党务公开不及时"]),  # a general branch holds its branches' problems
        ({"owner": "leader:{township_a}:{wang}"}, ["下村次数少"]),
        ({"category": "工作作风"}, ["下村次数少", "三会一课不规范"]),
        ({"status": MeasureStatus.DONE}, ["班子学习不深入"]),
        ({"overdue": "on"}, ["班子学习不深入", "党务公开不及时"]),
        ({"state": "未制定措施"}, ["项目推进慢"]),
        ({"state": "已销号"}, []),
        ({"special": "on"}, ["项目推进慢"]),
    ],
)
def test_the_ledger_filters(ledger, client_as, params, problems):
    ids = {"branch_a1": ledger.branch_a1.pk, "general_a": ledger.general_a.pk}
    ids.update(township_a=ledger.township_a.pk, wang=ledger.wang.pk)
    params = {key: value.format(**ids) for key, value in params.items()}
    response = client_as(ledger.admin_a).get(reverse("rectify:problem_list"), params)
    assert shown(response) == problems


def test_filtering_by_status_shows_only_those_measures(ledger, client_as):
    response = client_as(ledger.admin_a).get(reverse("rectify:problem_list"), {"overdue": "on"})
    team = response.context["page"][0]
    assert [m.content for m in team.shown_measures] == ["制定班子学习计划"]
    page = response.content.decode()
    assert "开展专题研讨" not in page


def test_each_role_sees_its_part_of_the_ledger(ledger, client_as):
    assert shown(client_as(ledger.sec_a1).get(reverse("rectify:problem_list"))) == ["三会一课不规范"]
    county = shown(client_as(ledger.county_viewer).get(reverse("rectify:problem_list")))
    assert len(county) == 6 and "乙乡的问题" in county
    assert shown(client_as(ledger.nobody).get(reverse("rectify:problem_list"))) == []


def _more_problems(cast, count):
    for i in range(count):
        problem = make_problem(cast.sec_a1, cast.branch_a1, content=f"追加问题{i}")
        make_measure(cast.sec_a1, problem, content=f"追加措施{i}a", responsible_person=cast.zhang)
        make_measure(
            cast.sec_a1, problem, content=f"追加措施{i}b", deadline=PAST, responsible_leader=cast.wang
        )


LEDGER_QUERIES = 12  # session, user, scope, his organisation, campaign (twice: the page shell too) and
# its parts; filter choices (tree, leading group); count, page, measures


@pytest.mark.parametrize("role", ["admin_a", "county_viewer"])
def test_the_ledger_runs_the_same_queries_whatever_its_size(ledger, client_as, assert_queries, role):
    client = client_as(getattr(ledger, role))
    url = reverse("rectify:problem_list")
    client.get(url)
    with assert_queries(LEDGER_QUERIES):
        client.get(url, {"overdue": "on"})
    _more_problems(ledger, 12)
    with assert_queries(LEDGER_QUERIES):
        response = client.get(url, {"overdue": "on"})
    assert len(response.context["page"]) == {"admin_a": 14, "county_viewer": 15}[role]


# Deadlines ---------------------------------------------------------------------------------------------


def test_the_deadline_lists(ledger, client_as):
    client = client_as(ledger.admin_a)
    overdue = client.get(reverse("rectify:deadlines"))
    assert [m.content for m in overdue.context["page"]] == ["制定班子学习计划", "更新公开栏"]
    assert overdue.context["counts"] == {"overdue": 2, "due": 1}
    due = client.get(reverse("rectify:deadlines"), {"show": "due"})
    assert [m.content for m in due.context["page"]] == ["每月走访两个村"]
    county = client_as(ledger.county_viewer).get(reverse("rectify:deadlines"))
    assert [m.content for m in county.context["page"]] == ["制定班子学习计划", "更新公开栏", "乙乡的措施"]
    assert "甲乡党委" in county.content.decode()  # the county's list names each township


DEADLINE_QUERIES = 11  # session, user, scope, his organisation, campaign, shell's campaign and parts,
# the two counts, the page


def test_the_county_overdue_list_runs_the_same_queries_whatever_its_size(ledger, client_as, assert_queries):
    client = client_as(ledger.county_viewer)
    url = reverse("rectify:deadlines")
    client.get(url)
    with assert_queries(DEADLINE_QUERIES):
        client.get(url)
    _more_problems(ledger, 10)
    with assert_queries(DEADLINE_QUERIES):
        response = client.get(url)
    assert response.context["counts"]["overdue"] == 23


def test_my_measures_are_those_i_am_responsible_for(ledger, client_as):
    page = html(client_as(ledger.admin_a), "rectify:mine")  # admin_a is 王五
    assert "每月走访两个村" in page and "7日内到期" in page
    assert "规范会议记录" not in page
    ledger.sec_a1.member = ledger.zhang
    ledger.sec_a1.save()
    page = html(client_as(ledger.sec_a1), "rectify:mine")
    assert "规范会议记录" in page
    assert "没有关联党员" in html(client_as(ledger.sec_a2), "rectify:mine")


# Talks -------------------------------------------------------------------------------------------------


@pytest.fixture
def talk(cast, leaders):
    return services.talk_create(
        actor=cast.admin_a,
        organisation=cast.township_a,
        on=datetime.date(2023, 10, 20),
        kind=TalkType.REMINDER,
        talker=cast.wang,
        persons=[cast.zhang, cast.li],
        content="提醒其注意工作方法（机密）",
    )


@pytest.mark.parametrize(("role", "reads"), [("admin_a", True), ("root", True), ("county_viewer", False)])
def test_talk_content_is_for_admins_and_the_talker(talk, cast, client_as, role, reads):
    services.talk_update(actor=cast.admin_a, talk=talk, content="提醒其改进工作方法（机密）")
    page = html(client_as(getattr(cast, role)), "rectify:talk_detail", talk.pk)
    assert ("提醒其改进工作方法" in page) is reads
    assert (
        "提醒其注意工作方法" in page
    ) is reads  # the history shows the change only to those who may read it
    assert ("内容仅乡党委管理员和谈话人可见" in page) is not reads
    assert "张三、李四（2人次）" in page


def test_a_branch_secretary_cannot_see_the_leadership_s_talks(talk, cast, client_as):
    client = client_as(cast.sec_a1)
    page = html(client, "rectify:talk_list")
    assert "2023年10月20日" not in page and "暂无您可查看的谈话记录" in page
    assert client.get(reverse("rectify:talk_detail", args=[talk.pk])).status_code == 404
    assert client.get(reverse("rectify:talk_edit", args=[talk.pk])).status_code == 404


def test_the_talk_list_counts_person_times(talk, cast, client_as):
    page = html(client_as(cast.admin_a), "rectify:talk_list")
    assert re.search(r"谈话对象合计<b>2</b>人次", page)
    assert "（机密）" not in page  # content is never listed


# Bad input on the pages ---------------------------------------------------------------------------------


def test_the_owner_marks_a_measure_done_and_it_shows_as_awaiting_sign_off(cast, campaign, client_as):
    """已完成 by the measure form, without 完成情况 or evidence: done, and 已完成、待销号 in the lists, on the
    measure's page and on its owner's home page until the township admin signs it off."""
    cast.sec_a1.member = cast.zhang
    cast.sec_a1.save()
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    measure = make_measure(cast.sec_a1, problem, responsible_person=cast.zhang)
    secretary = client_as(cast.sec_a1)
    response = secretary.post(
        reverse("rectify:measure_edit", args=[measure.pk]),
        {
            "content": measure.content,
            "responsible_person": "张三",
            "deadline": "2023-12-31",
            "status": MeasureStatus.DONE,
            "completed_on": "2023-12-10",
            "completion_note": "",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.status, measure.completed_on, measure.is_signed_off) == (
        MeasureStatus.DONE,
        datetime.date(2023, 12, 10),
        False,
    )
    for name, pk in (("rectify:problem_list", None), ("rectify:measure_detail", measure.pk), ("home", None)):
        assert "已完成、待销号" in html(secretary, name, *([pk] if pk else [])), name
    detail = html(secretary, "rectify:measure_detail", measure.pk)
    assert reverse("rectify:measure_close", args=[measure.pk]) not in detail  # the admin's step
    admin = client_as(cast.admin_a)
    assert reverse("rectify:measure_close", args=[measure.pk]) in html(
        admin, "rectify:measure_detail", measure.pk
    )
    response = admin.post(
        reverse("rectify:measure_close", args=[measure.pk]),
        {
            "completed_on": "2023-12-10",
            "status": MeasureStatus.DONE,
            "completion_note": "已完成",
            "evidence": [png()],
        },
    )
    assert response.status_code == 302
    assert "已完成、待销号" not in html(secretary, "rectify:problem_list")
    assert "已完成、待销号" not in html(secretary, "home")


def test_closing_without_evidence_is_refused_on_the_page(cast, campaign, client_as):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    response = client_as(cast.admin_a).post(
        reverse("rectify:measure_close", args=[measure.pk]),
        {"completed_on": "2023-12-01", "status": MeasureStatus.DONE, "completion_note": "已完成"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [
        "销号须上传至少一份佐证材料（照片、PDF或Word文件）。"
    ]
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.NOT_STARTED


def test_closing_with_a_photo_on_the_page(cast, campaign, client_as):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    response = client_as(cast.admin_a).post(
        reverse("rectify:measure_close", args=[measure.pk]),
        {
            "completed_on": "2023-12-01",
            "status": MeasureStatus.DONE,
            "completion_note": "已完成",
            "evidence": [png()],
        },
    )
    assert response.status_code == 302 and response.url == measure.get_absolute_url()
    page = html(client_as(cast.sec_a1), "rectify:measure_detail", measure.pk)
    assert "整改照片.png" in page and "已按计划" not in page


def test_a_deadline_before_the_date_found_is_shown_under_its_field(cast, campaign, client_as):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    response = client_as(cast.sec_a1).post(
        reverse("rectify:measure_create", args=[problem.pk]),
        {"content": "措施", "deadline": "2023-09-01", "status": MeasureStatus.NOT_STARTED},
    )
    assert response.context["form"].errors["deadline"] == [
        "整改时限不能早于问题的发现日期（2023年9月15日）。"
    ]
    assert not Measure.objects.exists()


def test_the_pages_ask_for_what_a_paper_ledger_may_leave_blank(cast, campaign, client_as):
    client = client_as(cast.sec_a1)
    response = client.post(
        reverse("rectify:problem_create"), {"owner": f"org:{cast.branch_a1.pk}", "content": "x"}
    )
    errors = response.context["form"].errors
    assert (errors["category"], errors["source"]) == (["请选择问题类别。"], ["请选择问题来源。"])
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    response = client.post(reverse("rectify:measure_create", args=[problem.pk]), {"content": "措施"})
    assert response.context["form"].errors["deadline"] == ["请填写整改时限。"]
    assert not Problem.objects.exclude(pk=problem.pk).exists() and not Measure.objects.exists()


def test_a_talk_with_nobody_talked_to_is_shown_under_its_field(cast, leaders, client_as):
    response = client_as(cast.admin_a).post(
        reverse("rectify:talk_create"),
        {
            "organisation": cast.township_a.pk,
            "on": "2023-10-12",
            "kind": TalkType.HEART_TO_HEART,
            "talker": "王五",
            "persons": "",
        },
    )
    assert response.context["form"].errors["persons"] == ["请填写谈话对象，至少一人。"]
    assert "请填写谈话对象，至少一人。" in response.content.decode()
    assert not Talk.all_objects.exists()


def test_a_shared_name_must_say_its_organisation(cast, leaders, client_as):
    make_member("张三", cast.branch_a2, mobile="13600009999")
    data = {
        "organisation": cast.township_a.pk,
        "on": "2023-10-12",
        "kind": TalkType.HEART_TO_HEART,
        "talker": "王五",
    }
    client = client_as(cast.admin_a)
    response = client.post(reverse("rectify:talk_create"), {**data, "persons": "张三"})
    error = response.context["form"].errors["persons"][0]
    assert "“张三”有2名同名党员：张三（甲一村党支部）、张三（甲机关党支部）" in error
    response = client.post(reverse("rectify:talk_create"), {**data, "persons": "张三（甲机关党支部）、李四"})
    assert response.status_code == 302
    assert {(m.name, m.organisation) for m in Talk.objects.get().persons.all()} == {
        ("张三", cast.branch_a2),
        ("李四", cast.branch_a1),
    }


def test_another_branch_s_problem_is_not_found(cast, campaign, client_as):
    theirs = make_problem(cast.sec_a2, cast.branch_a2)
    client = client_as(cast.sec_a1)
    for name in ("rectify:problem_detail", "rectify:problem_edit", "rectify:measure_create"):
        response = client.get(reverse(name, args=[theirs.pk]))
        assert response.status_code == 404
        assert "没有找到该页面或记录，或者您无权查看。" in response.content.decode()
    response = client.post(reverse("rectify:problem_edit", args=[theirs.pk]), {"content": "改"})
    assert response.status_code == 404
    assert Problem.objects.get(pk=theirs.pk).content == "理论学习不够系统深入"


def test_a_secretary_cannot_name_another_branch_as_owner(cast, campaign, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("rectify:problem_create"),
        {
            "owner": f"org:{cast.branch_a2.pk}",
            "content": "x",
            "category": "其他",
            "source": "查摆",
            "found_on": "2023-10-01",
        },
    )
    assert "owner" in response.context["form"].errors
    assert not Problem.objects.exists()


def test_a_secretary_s_only_owner_is_preselected(cast, campaign, client_as):
    form = client_as(cast.sec_a1).get(reverse("rectify:problem_create")).context["form"]
    assert form.fields["owner"].initial == f"org:{cast.branch_a1.pk}"
    assert "is_special" not in form.fields


def test_a_township_admin_undoes_a_closing_on_the_page(cast, campaign, client_as):
    measure = close(cast.admin_a, make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1)))
    client = client_as(cast.admin_a)
    response = client.post(reverse("rectify:measure_reopen", args=[measure.pk]), {"reason": ""})
    assert response.context["form"].errors["reason"] == ["撤销销号须说明原因。"]
    client.post(reverse("rectify:measure_reopen", args=[measure.pk]), {"reason": "照片与措施不符"})
    page = html(client, "rectify:measure_detail", measure.pk)
    assert "撤销销号" in page and "照片与措施不符" in page
    assert "照片与措施不符" in html(client, "rectify:problem_detail", measure.problem_id)  # on the timeline


# Health checks -----------------------------------------------------------------------------------------


def test_the_coverage_page_shows_which_organisations_were_checked(cast, campaign, client_as):
    services.check_create(
        actor=cast.admin_a,
        organisation=cast.branch_a1,
        checked_on=datetime.date(2023, 11, 1),
        grade=Grade.WEAK,
    )
    page = html(client_as(cast.admin_a), "rectify:check_list")
    assert "已体检<b>1</b>个" in page and "未体检" in page and "软弱涣散" in page


def test_restoring_a_deleted_problem_from_the_trash(cast, campaign, client_as):
    problem = make_problem(cast.sec_a1, cast.branch_a1, content="删了又恢复")
    make_measure(cast.sec_a1, problem)
    client_as(cast.sec_a1).post(reverse("rectify:problem_delete", args=[problem.pk]))
    client = client_as(cast.admin_a)
    assert "删了又恢复" in html(client, "rectify:trash")
    response = client.post(reverse("rectify:restore", args=["problem", problem.pk]))
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).measures.count() == 1


def test_the_home_page_shows_my_measures_due_or_overdue(ledger, client_as):
    page = html(client_as(ledger.admin_a), "home")  # admin_a is 王五
    assert "我负责的整改措施" in page and "每月走访两个村" in page and "7日内到期" in page
    assert "我负责的整改措施" not in html(client_as(ledger.sec_a2), "home")  # no member record
