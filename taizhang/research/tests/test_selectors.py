"""Reads of the research area: the figures later issues rely on, the action-item list's due and overdue,
and the monthly enterprise visit rule."""

from __future__ import annotations

import datetime

from taizhang.core.deadlines import today
from taizhang.research import selectors, services

from .conftest import DAY, item

D = datetime.date


def _visit(cast, topic, date, place):
    return services.research_visit_create(
        actor=cast.admin_a, date=date, topic=topic, leader=cast.wang, place=place, place_kind="村"
    )


# Figures ---------------------------------------------------------------------------------------------


def test_figures_count_visits_and_items_of_the_subtree(cast, topic):
    _visit(cast, topic, D(2023, 9, 12), "甲一村")
    _visit(cast, topic, D(2023, 10, 12), "甲二村")
    item(cast, raised_on=D(2023, 9, 12), status="已完成", completed_on=D(2023, 11, 1))
    item(cast, organisation=cast.branch_a1, raised_on=D(2023, 10, 12))
    item(cast, actor=cast.admin_b, organisation=cast.township_b, status="已完成", completed_on=D(2023, 9, 1))
    assert selectors.figures(cast.township_a) == {
        "research.visits": 2,
        "research.action_items": 2,
        "research.action_items_done": 1,
    }
    # A branch's subtree holds the item it is responsible for, not the committee's visits.
    assert selectors.figures(cast.branch_a1) == {
        "research.visits": 0,
        "research.action_items": 1,
        "research.action_items_done": 0,
    }
    assert selectors.figures(cast.county)["research.action_items_done"] == 2


def test_figures_as_of_a_date(cast, topic):
    _visit(cast, topic, D(2023, 9, 12), "甲一村")
    _visit(cast, topic, D(2023, 10, 12), "甲二村")
    item(cast, raised_on=D(2023, 9, 12), status="已完成", completed_on=D(2023, 11, 1))
    item(cast, raised_on=D(2023, 10, 12))
    assert item(cast).raised_on == today()  # collected today unless said otherwise
    assert selectors.figures(cast.township_a, as_of=D(2023, 9, 30)) == {
        "research.visits": 1,
        "research.action_items": 1,
        "research.action_items_done": 0,  # done counts from its completion date
    }
    assert selectors.figures(cast.township_a, as_of=D(2023, 11, 1))["research.action_items_done"] == 1


def test_deleted_records_do_not_count(cast, topic):
    visit = _visit(cast, topic, D(2023, 9, 12), "甲一村")
    services.research_visit_delete(actor=cast.admin_a, visit=visit)
    services.action_item_delete(actor=cast.admin_a, item=item(cast))
    assert selectors.figures(cast.township_a) == {
        "research.visits": 0,
        "research.action_items": 0,
        "research.action_items_done": 0,
    }


# Action items ----------------------------------------------------------------------------------------

ON = D(2023, 11, 1)


def _items(cast):
    return {
        "overdue": item(cast, content="逾期", deadline=D(2023, 10, 20)),
        "due": item(cast, content="将到期", deadline=D(2023, 11, 5), status="推进中"),
        "later": item(cast, content="未到期", deadline=D(2023, 12, 31)),
        "open": item(cast, content="无时限"),
        "done": item(
            cast, content="已完成", deadline=D(2023, 10, 1), status="已完成", completed_on=D(2023, 9, 30)
        ),
    }


def _contents(qs):
    return [i.content for i in qs]


def test_the_list_puts_open_items_first_earliest_deadline_first(cast):
    _items(cast)
    assert _contents(selectors.action_item_list(cast.admin_a, on=ON)) == [
        "逾期",
        "将到期",
        "未到期",
        "无时限",
        "已完成",
    ]


def test_due_and_overdue_are_derived_from_deadline_and_status(cast):
    items = _items(cast)
    assert _contents(selectors.action_item_list(cast.admin_a, state="overdue", on=ON)) == ["逾期"]
    assert _contents(selectors.action_item_list(cast.admin_a, state="due", on=ON)) == ["将到期"]
    assert _contents(selectors.action_item_list(cast.admin_a, state="done", on=ON)) == ["已完成"]
    assert len(selectors.action_item_list(cast.admin_a, state="open", on=ON)) == 4
    assert selectors.action_item_summary(cast.admin_a, on=ON) == {
        "total": 5,
        "done": 1,
        "overdue": 1,
        "due": 1,
    }
    assert [items[k].state for k in ("done", "open")] == ["done", ""]


def test_the_list_holds_only_what_the_user_may_see(cast):
    mine = item(cast, organisation=cast.branch_a1)
    item(cast, organisation=cast.branch_a2)
    item(cast, actor=cast.admin_b, organisation=cast.township_b)
    assert list(selectors.action_item_list(cast.sec_a1)) == [mine]
    assert selectors.action_item_list(cast.admin_a).count() == 2
    assert selectors.action_item_list(cast.county_viewer).count() == 3
    assert selectors.action_item_list(cast.nobody).count() == 0


def test_findings_show_the_item_made_from_them(cast, visit):
    made = item(cast, content="路灯损坏", source_visit=visit)
    findings = selectors.visit_findings(cast.admin_a, visit)
    assert [(f.number, f.text, f.item) for f in findings] == [(1, "村道水毁", None), (2, "路灯损坏", made)]


# The monthly enterprise visit rule -------------------------------------------------------------------


def _enterprise(cast, name, liaison=None):
    return services.enterprise_create(
        actor=cast.admin_a, organisation=cast.township_a, name=name, liaison=liaison
    )


def _evisit(cast, enterprise, date, cadre, issues=()):
    return services.enterprise_visit_create(
        actor=cast.admin_a, date=date, enterprise=enterprise, cadre=cadre, issues=list(issues)
    )


def test_month_view_shows_who_visited_which_enterprise_and_who_has_not(cast):
    eggs = _enterprise(cast, "禽蛋公司", liaison=cast.wang)
    bamboo = _enterprise(cast, "竹业公司", liaison=cast.wang)
    tea = _enterprise(cast, "茶业公司", liaison=cast.zhang)
    _evisit(cast, eggs, D(2023, 10, 5), cast.wang)
    _evisit(cast, tea, D(2023, 9, 28), cast.zhang)  # last month: does not count for October
    _evisit(cast, bamboo, D(2023, 10, 20), cast.li)  # someone other than the liaison
    view = selectors.enterprise_month(cast.admin_a, D(2023, 10, 17))

    assert view.month == D(2023, 10, 1)
    cadres = {c.cadre.name: c for c in view.cadres}
    assert [v.enterprise.name for v in cadres["王五"].visits] == ["禽蛋公司"]
    assert [e.name for e in cadres["王五"].not_visited] == ["竹业公司"]
    assert [v.enterprise.name for v in cadres["李四"].visits] == ["竹业公司"]
    assert cadres["张三"].visits == [] and [e.name for e in cadres["张三"].not_visited] == ["茶业公司"]
    assert [c.cadre.name for c in view.cadres_without_visit] == ["张三"]
    assert view.cadres[0].cadre.name == "张三"  # who has not visited comes first
    assert [row.enterprise.name for row in view.enterprises_without_visit] == ["茶业公司"]
    assert view.latest_visit == D(2023, 10, 20)


def test_month_view_lists_each_enterprise_s_open_issues(cast):
    eggs = _enterprise(cast, "禽蛋公司", liaison=cast.wang)
    _evisit(
        cast,
        eggs,
        D(2023, 8, 5),
        cast.wang,
        [
            {"content": "用工难", "handling": "", "resolved": False},
            {"content": "用电不足", "handling": "已增容", "resolved": True},
        ],
    )
    view = selectors.enterprise_month(cast.admin_a, D(2023, 10, 1))
    [row] = view.enterprises
    assert [i.content for i in row.open_issues] == ["用工难"]  # raised in August, still open in October
    assert row.visits == []
    assert view.earlier_visit == D(2023, 8, 5)


def test_month_view_is_scoped(cast):
    eggs = _enterprise(cast, "禽蛋公司", liaison=cast.wang)
    _evisit(cast, eggs, D(2023, 10, 5), cast.wang)
    enterprise_b = services.enterprise_create(
        actor=cast.admin_b, organisation=cast.township_b, name="乙乡企业", liaison=cast.zhao
    )
    view_b = selectors.enterprise_month(cast.admin_b, D(2023, 10, 1))
    assert [row.enterprise for row in view_b.enterprises] == [enterprise_b]
    assert [c.cadre.name for c in view_b.cadres] == ["赵六"]
    county = selectors.enterprise_month(cast.county_viewer, D(2023, 10, 1))
    assert len(county.enterprises) == 2
    only_a = selectors.enterprise_month(cast.county_viewer, D(2023, 10, 1), township=cast.township_a)
    assert [row.enterprise for row in only_a.enterprises] == [eggs]
    assert selectors.enterprise_month(cast.sec_a1, D(2023, 10, 1)).enterprises == []


def test_visits_of_deleted_records_leave_the_month(cast):
    eggs = _enterprise(cast, "禽蛋公司", liaison=cast.wang)
    visit = _evisit(cast, eggs, DAY, cast.wang, [{"content": "用工难", "handling": "", "resolved": False}])
    services.enterprise_visit_delete(actor=cast.admin_a, visit=visit)
    view = selectors.enterprise_month(cast.admin_a, DAY)
    assert view.cadres_without_visit[0].cadre == cast.wang
    assert view.enterprises[0].open_issues == []


def test_examples_for_the_work_summary(cast, topic):
    from taizhang.campaigns.models import Campaign

    campaign = Campaign.objects.get(code="2023-second-batch")
    other = services.research_topic_create(
        actor=cast.admin_a, organisation=cast.township_a, title="企业服务调研", leader=cast.wang
    )
    _visit(cast, other, D(2023, 9, 12), "甲一村")
    assert selectors.topic_examples(campaign, cast.township_a, None) == ["企业服务调研", "乡村振兴调研"]
    item(
        cast,
        content="村道水毁，群众出行不便",
        status="已完成",
        completed_on=D(2023, 10, 20),
        deadline=D(2023, 10, 31),
    )
    item(cast, content="路灯损坏", status="已完成", completed_on=D(2023, 9, 28), deadline=D(2023, 10, 31))
    item(cast, content="去年的事项", status="已完成", completed_on=D(2022, 9, 28), deadline=D(2022, 10, 31))
    item(cast, content="未完成的事项")
    assert selectors.done_item_examples(campaign, cast.township_a, None) == ["路灯损坏", "村道水毁"]
    assert selectors.done_item_examples(campaign, cast.township_a, D(2023, 10, 1)) == ["路灯损坏"]
    assert selectors.topic_examples(campaign, cast.township_b, None) == []
