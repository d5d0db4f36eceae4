"""Study plans against what was held, the deployment page, and the study figures by domain.md's definitions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taizhang.study import selectors, services
from taizhang.study.models import PlannedMeeting

from .conftest import ABSENT, PRESENT, record

OCT, NOV = datetime.date(2023, 10, 1), datetime.date(2023, 11, 1)


def plan(c, month, type, org=None, actor=None, campaign=None, topic=""):
    from taizhang.campaigns.models import Campaign

    return services.planned_meeting_create(
        actor=actor or c.sec_a1,
        organisation=org or c.branch_a1,
        campaign=campaign or Campaign.objects.get(code="2023-second-batch"),
        month=month,
        type=type,
        topic=topic,
    )


# Plans -------------------------------------------------------------------------------------------------


def test_a_planned_item_is_done_when_a_meeting_of_its_type_falls_in_its_month(cast, campaign):
    plan(cast, OCT, "专题研讨")
    plan(cast, OCT, "专题研讨")  # two planned, one held: one done
    plan(cast, OCT, "主题党日")
    plan(cast, NOV, "专题党课")
    record(cast, type="专题研讨", date=datetime.date(2023, 10, 20))
    record(cast, type="主题党日", date=datetime.date(2023, 11, 15))  # the wrong month
    record(
        cast, organiser=cast.branch_a2, actor=cast.sec_a2, type="专题党课", date=datetime.date(2023, 11, 3)
    )
    months = {
        pm.month: [(i.type, done) for i, done in pm.items]
        for pm in selectors.plan_of(cast.branch_a1, campaign)
    }
    assert months[OCT] == [("专题研讨", True), ("专题研讨", False), ("主题党日", False)]
    assert months[NOV] == [("专题党课", False)]
    rows = {r.org.name: (r.planned, r.done) for r in selectors.plan_progress(cast.admin_a, campaign=campaign)}
    assert rows["甲一村党支部"] == (4, 1)
    assert rows["甲机关党支部"] == (0, 0)
    assert "乙一村党支部" not in rows


def test_a_month_outside_the_campaign_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        plan(cast, datetime.date(2024, 3, 1), "主题党日")
    assert exc.value.message_dict["month"][0].startswith("月份应在“")


def test_plans_are_written_within_scope_and_restored_by_an_admin(cast):
    with pytest.raises(PermissionDenied):
        plan(cast, OCT, "主题党日", actor=cast.sec_a2)
    item = plan(cast, OCT, "主题党日")
    services.planned_meeting_delete(actor=cast.sec_a1, item=item)
    assert not PlannedMeeting.objects.exists()
    with pytest.raises(PermissionDenied):
        services.planned_meeting_restore(actor=cast.sec_a1, item=item)
    services.planned_meeting_restore(actor=cast.admin_a, item=item)
    assert PlannedMeeting.objects.get() == item


def test_the_plan_page_adds_an_item(cast, client_as, campaign):
    client = client_as(cast.sec_a1)
    url = reverse("study:plan_detail", args=[cast.branch_a1.pk])
    response = client.post(url, {"month": "2023-10-01", "type": "专题研讨", "topic": "以学铸魂"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "2023年10月" in html and "专题研讨：以学铸魂" in html and "未完成" in html


# Deployment --------------------------------------------------------------------------------------------


def test_deployment_lists_the_branches_that_held_a_members_meeting_and_those_that_did_not(
    cast, campaign, client_as
):
    record(cast, organiser=cast.township_a, actor=cast.admin_a, type="动员部署会", topic="动员大会")
    record(cast, type="党员大会", topic="传达部署")
    data = selectors.deployment(org=cast.township_a, campaign=campaign)
    assert [m.topic for m in data.meetings] == ["动员大会"]
    assert [b.name for b, _ in data.held] == ["甲一村党支部"]
    assert [b.name for b in data.not_held] == ["甲机关党支部"]
    html = client_as(cast.admin_a).get(reverse("study:deployment")).content.decode()
    assert "召开党员大会传达部署的党支部" in html and "甲机关党支部" in html


# Figures -----------------------------------------------------------------------------------------------


@pytest.fixture
def figures_world(cast, campaign):
    c = cast
    c.township_a.secretary = c.wang
    c.township_a.save()
    c.branch_a1.secretary = c.zhang
    c.branch_a1.save()
    admin = c.admin_a
    # Central-group study: only the committee's counts.
    record(c, organiser=c.township_a, actor=admin, type="中心组学习", topic="中心组1")
    record(
        c,
        organiser=c.township_a,
        actor=admin,
        type="中心组学习",
        topic="中心组2",
        date=datetime.date(2023, 5, 1),
    )
    record(c, organiser=c.general_a, actor=admin, type="中心组学习", topic="总支学习")
    # Seminars: below the committee only.
    record(c, type="专题研讨", topic="研讨1")
    record(c, organiser=c.general_a, actor=admin, type="专题研讨", topic="研讨2")
    record(c, organiser=c.township_a, actor=admin, type="专题研讨", topic="党委研讨")
    # Lectures: by a secretary (of the committee or below), not by an outsider or an ordinary member.
    record(c, type="专题党课", topic="党课1", speaker="张三")
    record(c, organiser=c.township_a, actor=admin, type="专题党课", topic="书记讲给书记听", speaker="王五")
    record(
        c, organiser=c.township_a, actor=admin, type="专题党课", topic="党校老师", speaker="陈明（省委党校）"
    )
    record(c, type="专题党课", topic="党员讲", speaker="李四")
    # Training: named present attendees, or the head count where there are no names.
    record(c, organiser=c.township_a, actor=admin, type="培训", topic="培训1",
           attendance={c.zhang.pk: (PRESENT, ""), c.wang.pk: (PRESENT, ""), c.li.pk: (ABSENT, "")})  # fmt: skip
    record(c, organiser=c.township_a, actor=admin, type="培训", topic="培训2", head_count=40)
    # Members' meetings: distinct branches that held one themselves.
    record(c, type="党员大会", topic="大会1")
    record(c, type="党员大会", topic="大会2")
    record(c, organiser=c.general_a, actor=admin, type="党员大会", topic="总支大会")
    return c


def test_study_figures_follow_the_definitions(figures_world, campaign):
    figures = selectors.study_figures(org=figures_world.township_a, campaign=campaign)
    assert figures == {
        "study.central_group": 1,
        "study.seminars": 2,
        "study.lectures": 2,
        "study.training_person_times": 42,
        "deploy.branch_meetings": 1,
        "study.retired_covered": 1,  # 李四 has no required meeting he missed: the lectures had no names
        "study.mobile_covered": 0,
    }


def test_figures_of_a_subtree_below_the_committee(figures_world, campaign):
    figures = selectors.study_figures(org=figures_world.branch_a1, campaign=campaign)
    assert (figures["study.central_group"], figures["study.seminars"], figures["study.lectures"]) == (0, 1, 1)
    assert figures["deploy.branch_meetings"] == 1


def test_figures_as_of_a_date(figures_world, campaign):
    figures = selectors.study_figures(
        org=figures_world.township_a, campaign=campaign, as_of=datetime.date(2023, 9, 30)
    )
    assert figures["study.seminars"] == 0


def test_the_township_s_figures_are_not_the_other_township_s(figures_world, campaign):
    figures = selectors.study_figures(org=figures_world.township_b, campaign=campaign)
    assert set(figures.values()) == {0}
