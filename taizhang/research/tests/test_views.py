"""Pages of the research area: a finding turned into an action item in one step, bad input shown under its
field with nothing saved, other townships out of reach, and lists in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.conftest import make_member
from taizhang.research import services
from taizhang.research.models import ActionItem, EnterpriseVisit, ResearchTopic, ResearchVisit

from .conftest import DAY, item


def _visit_form(topic, **data):
    return {
        "date": "2023-10-12",
        "topic": topic.pk,
        "leader": "王五",
        "place": "甲二村",
        "place_kind": "村",
        "participants": "张三、李四",
        "findings": "自来水管老化\n村部漏雨",
        **data,
    }


# Recording a visit and turning a finding into an action item -----------------------------------------


def test_recording_a_visit_resolves_the_names(cast, client_as, topic):
    response = client_as(cast.admin_a).post(reverse("research:visit_create"), _visit_form(topic))
    visit = ResearchVisit.objects.get(place="甲二村")
    assert response.url == reverse("research:visit_detail", args=[visit.pk])
    assert (visit.leader, visit.organisation) == (cast.wang, cast.township_a)
    assert set(visit.participants.all()) == {cast.zhang, cast.li}


def test_the_visit_page_offers_each_finding_as_an_action_item(cast, client_as, visit):
    html = client_as(cast.admin_a).get(reverse("research:visit_detail", args=[visit.pk])).content.decode()
    url = reverse("research:action_create")
    assert f"{url}?visit={visit.pk}&amp;finding=1" in html and f"{url}?visit={visit.pk}&amp;finding=2" in html
    assert "张三、李四" in html
    # A county viewer reads the visit but is offered nothing to change.
    html = (
        client_as(cast.county_viewer).get(reverse("research:visit_detail", args=[visit.pk])).content.decode()
    )
    assert "转为干事创业清单" not in html and "村道水毁" in html


def test_a_finding_opens_a_prefilled_action_item_form(cast, client_as, visit):
    response = client_as(cast.admin_a).get(
        reverse("research:action_create"), {"visit": visit.pk, "finding": 2}
    )
    form = response.context["form"]
    assert form["content"].value() == "路灯损坏"
    assert form["source_topic"].value() == visit.topic_id
    assert form["source_visit"].value() == visit.pk
    assert form["leader"].value() == "王五"
    assert 'value="王五"' in response.content.decode()


def test_saving_the_finding_lists_it_and_goes_back_to_the_visit(cast, client_as, visit):
    client = client_as(cast.admin_a)
    response = client.post(
        reverse("research:action_create") + f"?visit={visit.pk}&finding=2",
        {
            "content": "路灯损坏",
            "source_topic": visit.topic_id,
            "source_visit": visit.pk,
            "leader": "王五",
            "organisation": cast.branch_a1.pk,
            "raised_on": "2023-10-10",
            "deadline": "2023-10-31",
            "status": "未开始",
        },
    )
    action = ActionItem.objects.get()
    assert response.url == reverse("research:visit_detail", args=[visit.pk])
    assert (action.serial, action.source_visit, action.township) == (1, visit, cast.township_a)
    html = client.get(response.url).content.decode()
    assert "已将该问题列入干事创业清单（第1条）。" in html
    assert "已列入干事创业清单第1条" in html
    assert html.count("转为干事创业清单</a>") == 1  # only the other finding is still offered


def test_a_finding_of_a_visit_out_of_reach_is_not_found(cast, client_as, visit):
    response = client_as(cast.admin_b).get(
        reverse("research:action_create"), {"visit": visit.pk, "finding": 1}
    )
    assert response.status_code == 404


# Bad input -------------------------------------------------------------------------------------------


def test_a_missing_place_is_named_and_nothing_is_saved(cast, client_as, topic):
    response = client_as(cast.admin_a).post(reverse("research:visit_create"), _visit_form(topic, place=""))
    assert response.status_code == 200
    assert response.context["form"].errors["place"] == ["请填写调研地点。"]
    assert not ResearchVisit.all_objects.exists()


def test_an_unknown_participant_is_named(cast, client_as, topic):
    response = client_as(cast.admin_a).post(
        reverse("research:visit_create"), _visit_form(topic, participants="张三、王二麻")
    )
    assert response.context["form"].errors["participants"] == ["参加人员：“王二麻”不是本乡党员，请检查姓名。"]
    assert not ResearchVisit.all_objects.exists()


def test_a_namesake_must_be_written_with_the_organisation(cast, client_as, topic):
    make_member("张三", cast.branch_a2, mobile="13600006666")
    client = client_as(cast.admin_a)
    response = client.post(reverse("research:visit_create"), _visit_form(topic, participants="张三"))
    assert response.context["form"].errors["participants"] == [
        "参加人员：“张三”有2名同名党员（甲一村党支部、甲机关党支部），请写成“张三（组织名称）”。"
    ]
    client.post(reverse("research:visit_create"), _visit_form(topic, participants="张三(甲机关党支部)"))
    assert ResearchVisit.objects.get().participants.get().organisation == cast.branch_a2


def test_a_member_of_another_township_is_not_offered(cast, client_as, topic):
    response = client_as(cast.admin_a).post(
        reverse("research:visit_create"), _visit_form(topic, leader="赵六")
    )
    assert response.context["form"].errors["leader"] == ["带队领导：“赵六”不是本乡党员，请检查姓名。"]


def test_another_township_s_topic_is_refused(cast, client_as, topic):
    response = client_as(cast.admin_b).post(
        reverse("research:visit_create"), _visit_form(topic, leader="赵六")
    )
    assert response.context["form"].errors["topic"] == ["调研课题：所选的值不在可选范围内。"]
    assert not ResearchVisit.all_objects.exists()


def test_a_done_item_needs_its_completion_date(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("research:action_create"),
        {"content": "修路", "organisation": cast.township_a.pk, "status": "已完成"},
    )
    assert response.context["form"].errors["completed_on"] == ["状态为“已完成”时，请填写完成时间。"]
    assert not ActionItem.all_objects.exists()


def test_an_enterprise_visit_with_a_bad_issue_saves_nothing(cast, client_as, enterprise):
    response = client_as(cast.admin_a).post(
        reverse("research:enterprise_visit_create"),
        {
            "date": "2023-10-12",
            "enterprise": enterprise.pk,
            "cadre": "王五",
            "issues-TOTAL_FORMS": "2",
            "issues-INITIAL_FORMS": "0",
            "issues-0-content": "用工难",
            "issues-1-content": "",
            "issues-1-handling": "已协调",
        },
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["content"] == [
        "请填写企业反映的问题（不需要这一条时请勾选“删除”）。"
    ]
    assert not EnterpriseVisit.all_objects.exists()


def test_an_enterprise_visit_with_issues_through_the_page(cast, client_as, enterprise):
    client = client_as(cast.admin_a)
    client.post(
        reverse("research:enterprise_visit_create"),
        {
            "date": "2023-10-12",
            "enterprise": enterprise.pk,
            "cadre": "王五",
            "issues-TOTAL_FORMS": "2",
            "issues-INITIAL_FORMS": "0",
            "issues-0-content": "用工难",
            "issues-1-content": "用电不足",
            "issues-1-handling": "已增容",
            "issues-1-resolved": "on",
        },
    )
    visit = EnterpriseVisit.objects.get()
    assert list(visit.issues.values_list("content", "resolved")) == [("用工难", False), ("用电不足", True)]
    open_issue = visit.issues.get(resolved=False)
    client.post(
        reverse("research:issue_edit", args=[open_issue.pk]), {"handling": "已推荐工人", "resolved": "on"}
    )
    open_issue.refresh_from_db()
    assert open_issue.resolved and open_issue.history.first().history_user == cast.admin_a


def test_a_topic_with_visits_says_why_it_is_not_deleted(cast, client_as, visit):
    client = client_as(cast.admin_a)
    response = client.post(reverse("research:topic_delete", args=[visit.topic_id]), follow=True)
    assert "下还有1次调研走访，请先删除这些走访" in response.content.decode()
    assert not ResearchTopic.all_objects.get(pk=visit.topic_id).is_deleted


def test_the_trash_restores_a_deleted_item(cast, client_as):
    action = item(cast, content="修路")
    services.action_item_delete(actor=cast.admin_a, item=action)
    client = client_as(cast.admin_a)
    assert "第1条 修路" in client.get(reverse("research:trash")).content.decode()
    client.post(reverse("research:restore", args=["action", action.pk]))
    assert ActionItem.objects.filter(pk=action.pk).exists()
    assert client.post(reverse("research:restore", args=["member", action.pk])).status_code == 404


# Pages -----------------------------------------------------------------------------------------------


def test_the_month_page_names_who_has_not_visited(cast, client_as, enterprise):
    services.enterprise_create(
        actor=cast.admin_a, organisation=cast.township_a, name="茶业公司", liaison=cast.zhang
    )
    services.enterprise_visit_create(actor=cast.admin_a, date=DAY, enterprise=enterprise, cadre=cast.wang)
    html = (
        client_as(cast.admin_a)
        .get(reverse("research:enterprise_month"), {"month": "2023-10"})
        .content.decode()
    )
    assert "走访企业 · 2023年10月" in html
    assert '本月未走访：<b class="warn">张三</b>' in html
    assert "10日 甲乡禽蛋公司" in html
    assert "联系的企业本月尚未走访：茶业公司" in html


def test_a_bad_month_is_named(cast, client_as):
    response = client_as(cast.admin_a).get(reverse("research:enterprise_month"), {"month": "2023-13"})
    assert response.status_code == 200
    assert "月份不是有效的日期。" in response.content.decode()


def test_the_action_list_marks_overdue_items(cast, client_as):
    item(cast, content="修路", deadline=datetime.date(2023, 1, 1))
    html = client_as(cast.admin_a).get(reverse("research:action_list"), {"state": "overdue"}).content.decode()
    assert 'class="badge bad">已逾期' in html and "修路" in html


def test_an_htmx_filter_gets_only_the_results(cast, client_as):
    item(cast, content="修路")
    response = client_as(cast.admin_a).get(
        reverse("research:action_list"), {"q": "修"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert "修路" in html and "<html" not in html


def test_the_part_page_links_the_research_pages(cast, client_as):
    html = client_as(cast.admin_a).get(reverse("part", args=["research"])).content.decode()
    for label in ("调研课题", "调研走访", "干事创业清单", "走访企业", "企业名录"):
        assert f">{label}</a>" in html


# Query counts ----------------------------------------------------------------------------------------

LISTS = [
    ("research:topic_list", {}),
    ("research:visit_list", {}),
    ("research:action_list", {}),
    ("research:action_list", {"state": "overdue"}),
    ("research:enterprise_list", {}),
    ("research:enterprise_visit_list", {}),
    ("research:enterprise_month", {"month": "2023-10"}),
]


def _records(cast, n: int, start: int) -> None:
    topic = services.research_topic_create(
        actor=cast.admin_a,
        organisation=cast.township_a,
        title=f"课题{start}",
        leader=cast.wang,
        members=[cast.li],
    )
    for i in range(start, start + n):
        date = datetime.date(2023, 10, 1) + datetime.timedelta(days=i)
        visit = services.research_visit_create(
            actor=cast.admin_a,
            date=date,
            topic=topic,
            leader=cast.wang,
            place=f"村{i}",
            place_kind="村",
            participants=[cast.zhang],
            findings="问题",
        )
        item(cast, content=f"事项{i}", source_visit=visit, leader=cast.li, deadline=datetime.date(2023, 1, 1))
        enterprise = services.enterprise_create(
            actor=cast.admin_a, organisation=cast.township_a, name=f"企业{i}", liaison=cast.wang
        )
        services.enterprise_visit_create(
            actor=cast.admin_a,
            date=date,
            enterprise=enterprise,
            cadre=cast.zhang,
            issues=[{"content": "用工难", "handling": "", "resolved": False}],
        )


@pytest.mark.parametrize(("name", "params"), LISTS)
def test_lists_run_a_constant_number_of_queries(cast, client_as, assert_queries, name, params):
    client = client_as(cast.admin_a)
    url = reverse(name)
    _records(cast, 1, 0)
    client.get(url, params)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    _records(cast, 8, 10)
    with assert_queries(len(few)):
        client.get(url, params)


def test_an_item_left_without_a_number_on_its_edit_form_keeps_its_number(cast, client_as):
    item(cast, content="先登记的")
    second = item(cast, content="修路")
    client_as(cast.admin_a).post(
        reverse("research:action_edit", args=[second.pk]),
        {"content": "修路", "organisation": cast.township_a.pk, "status": "推进中", "serial": ""},
    )
    second.refresh_from_db()
    assert (second.status, second.serial) == ("推进中", 2)
