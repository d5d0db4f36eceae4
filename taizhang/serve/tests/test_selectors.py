"""Reads of the serve area: the figures later issues rely on, and the service-project list grouped by status
with the overdue ones first."""

from __future__ import annotations

import datetime

from taizhang.campaigns.models import Campaign
from taizhang.serve import selectors, services

D = datetime.date
ON = D(2023, 11, 1)


def project(cast, name, **data):
    data.setdefault("organisation", cast.branch_a1)
    return services.service_project_create(actor=data.pop("actor", cast.admin_a), name=name, **data)


def publicity(cast, kind, quantity, content, **data):
    data.setdefault("organisation", cast.branch_a1)
    data.setdefault("date", D(2023, 9, 10))
    return services.publicity_item_create(
        actor=data.pop("actor", cast.admin_a), kind=kind, quantity=quantity, content=content, **data
    )


def test_figures_of_a_subtree(cast):
    project(cast, "库区清理", status="已完成", completed_on=D(2023, 11, 20))
    project(cast, "路灯维护", organisation=cast.township_a, status="已完成", completed_on=D(2023, 9, 28))
    project(cast, "物流站点", status="推进中")
    project(
        cast,
        "乙乡项目",
        actor=cast.admin_b,
        organisation=cast.branch_b1,
        status="已完成",
        completed_on=D(2023, 10, 1),
    )
    publicity(cast, "广告牌", 1, "村口", organisation=cast.township_a)
    publicity(cast, "广告牌", 4, "集镇")
    publicity(cast, "横幅标语", 10, "主干道")
    publicity(cast, "横幅标语", 26, "各村", date=D(2023, 10, 10))
    publicity(cast, "公众号推文", 1, "部署会")
    assert selectors.figures(cast.township_a) == {
        "serve.service_projects_done": 2,
        "publicity.billboards": 5,
        "publicity.banners": 36,
    }
    assert selectors.figures(cast.branch_a1)["serve.service_projects_done"] == 1
    assert selectors.figures(cast.county)["serve.service_projects_done"] == 3
    assert selectors.figures(cast.township_b) == {
        "serve.service_projects_done": 1,
        "publicity.billboards": 0,
        "publicity.banners": 0,
    }


def test_figures_as_of_a_date(cast):
    project(cast, "库区清理", status="已完成", completed_on=D(2023, 11, 20))
    publicity(cast, "横幅标语", 10, "主干道")
    publicity(cast, "横幅标语", 26, "各村", date=D(2023, 10, 10))
    assert selectors.figures(cast.township_a, as_of=D(2023, 10, 1)) == {
        "serve.service_projects_done": 0,  # done counts from its completion date
        "publicity.billboards": 0,
        "publicity.banners": 10,
    }


def test_deleted_records_do_not_count(cast):
    done = project(cast, "库区清理", status="已完成", completed_on=D(2023, 11, 20))
    banner = publicity(cast, "横幅标语", 10, "主干道")
    services.service_project_delete(actor=cast.admin_a, project=done)
    services.publicity_item_delete(actor=cast.admin_a, item=banner)
    assert set(selectors.figures(cast.township_a).values()) == {0}


def _grouped(cast, **filters):
    return [(p.group, p.name) for p in selectors.project_list(cast.admin_a, on=ON, **filters)]


def test_the_list_is_grouped_by_status_with_overdue_ones_first(cast):
    project(cast, "已完成的", status="已完成", completed_on=D(2023, 10, 1), planned_on=D(2023, 9, 1))
    project(cast, "未开始，未到期", planned_on=D(2023, 12, 1))
    project(cast, "推进中，逾期", status="推进中", planned_on=D(2023, 10, 15))
    project(cast, "推进中，无计划", status="推进中")
    project(cast, "未开始，逾期更久", planned_on=D(2023, 10, 1))
    project(cast, "推进中，将到期", status="推进中", planned_on=D(2023, 11, 5))
    assert _grouped(cast) == [
        ("已逾期", "未开始，逾期更久"),
        ("已逾期", "推进中，逾期"),
        ("推进中", "推进中，将到期"),
        ("推进中", "推进中，无计划"),
        ("未开始", "未开始，未到期"),
        ("已完成", "已完成的"),
    ]
    assert _grouped(cast, state="overdue") == [("已逾期", "未开始，逾期更久"), ("已逾期", "推进中，逾期")]
    assert _grouped(cast, state="due") == [("推进中", "推进中，将到期")]
    assert selectors.project_summary(cast.admin_a, on=ON) == {"total": 6, "done": 1, "overdue": 2, "due": 1}


def test_the_list_holds_what_the_user_may_see(cast):
    mine = project(cast, "甲一村项目")
    project(cast, "甲机关项目", organisation=cast.branch_a2)
    project(cast, "乙乡项目", actor=cast.admin_b, organisation=cast.branch_b1)
    assert list(selectors.project_list(cast.sec_a1)) == [mine]
    assert selectors.project_list(cast.admin_a).count() == 2
    assert selectors.project_list(cast.county_viewer).count() == 3


def test_publicity_totals_sum_quantities_by_kind(cast):
    publicity(cast, "广告牌", 1, "村口")
    publicity(cast, "广告牌", 4, "集镇")
    publicity(cast, "横幅标语", 10, "主干道")
    totals = selectors.publicity_totals(cast.admin_a)
    assert totals[:3] == [("广告牌", 2, 5, "个"), ("横幅标语", 1, 10, "条"), ("公众号推文", 0, 0, "篇")]
    assert selectors.publicity_totals(cast.admin_b)[0] == ("广告牌", 0, 0, "个")


def test_examples_for_the_work_summary(cast):
    campaign = Campaign.objects.get(code="2023-second-batch")
    project(cast, "库区清理", status="已完成", completed_on=D(2023, 11, 20))
    project(cast, "路灯维护", status="已完成", completed_on=D(2023, 9, 28))
    project(cast, "去年的项目", status="已完成", completed_on=D(2022, 9, 28))
    project(cast, "物流站点", status="推进中")
    assert selectors.project_examples(campaign, cast.township_a, None) == ["路灯维护", "库区清理"]
    assert selectors.project_examples(campaign, cast.township_a, D(2023, 10, 1)) == ["路灯维护"]
    pair = services.partnership_create(actor=cast.admin_a, partner="XX电商公司", organisation=cast.township_a)
    services.partnership_create(actor=cast.admin_a, partner="市商务局", organisation=cast.branch_a1)
    services.joint_activity_create(actor=cast.admin_a, partnership=pair, date=D(2023, 10, 8), title="签约")
    assert selectors.partner_examples(campaign, cast.township_a, None) == ["XX电商公司", "市商务局"]
    assert selectors.partner_examples(campaign, cast.township_b, None) == []
