"""The demo township holds the seed summary's rectification figures, and the scale county the same per
township."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from taizhang.accounts.models import User
from taizhang.campaigns.models import Campaign
from taizhang.core.models import attachments_of
from taizhang.orgs.models import Organisation
from taizhang.rectify import selectors
from taizhang.rectify.choices import Grade, MeasureStatus, RemedyStatus
from taizhang.rectify.models import HealthCheck, Measure, Problem, Remedy, Talk


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    return Organisation.objects.get(name="XX乡党委")


def test_the_demo_has_the_seed_s_figures(demo):
    figures = selectors.figures(demo, campaign=Campaign.current())
    assert figures == selectors.RectifyFigures(
        leadership_problems=13,
        grassroots_problems=20,
        leadership_measures=15,
        grassroots_measures=20,
        talks=13,
        health_checked=13,
    )
    assert selectors.figures(demo.parent) == figures  # the county holds one township


def test_the_demo_s_measures_are_in_mixed_states_and_the_closed_have_evidence(demo):
    statuses = set(Measure.objects.values_list("status", flat=True))
    assert statuses == set(MeasureStatus.values)
    admin = User.objects.get(username="xx-admin")
    assert selectors.measures_overdue(admin).exists()
    assert selectors.measures_due(admin).exists()
    for measure in Measure.objects.done():
        assert measure.completion_note and measure.completed_on
        assert attachments_of(measure).exists()
        measure.full_clean()
    for problem in Problem.objects.all():
        problem.full_clean()


def test_the_special_item_is_led_by_the_secretary_with_a_measure_to_claim(demo):
    special = Problem.objects.get(is_special=True)
    assert special.lead == demo.secretary
    assert special.measures.count() == 3
    assert [m.is_claimable for m in special.measures.order_by("order")] == [False, False, True]


def test_every_grassroots_organisation_is_checked_and_the_weak_one_remedied(demo):
    assert HealthCheck.objects.count() == 13
    weak = HealthCheck.objects.get(grade=Grade.WEAK)
    remedy = Remedy.objects.get()
    assert remedy.organisation == weak.organisation and remedy.status == RemedyStatus.ACTIVE
    assert remedy.entries.count() == 2
    remedy.full_clean()


def test_the_leader_and_the_secretaries_find_their_own_measures(demo):
    admin = User.objects.get(username="xx-admin")  # the 组织委员
    mine = selectors.my_measures(admin)
    assert mine.overdue and mine.due
    secretary = User.objects.get(username="branch01")
    assert selectors.my_measures(secretary).total_open + selectors.my_measures(secretary).done == 1


def test_talks_belong_to_the_committee(demo):
    assert set(Talk.objects.values_list("organisation", flat=True)) == {demo.pk}
    assert not Talk.objects.visible_to(User.objects.get(username="branch01")).exists()


def test_reseeding_replaces_the_records(demo):
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Problem.objects.count() == 33 and Talk.objects.count() == 6


def test_the_scale_county_has_the_demo_s_rate(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_scale", "--townships", "2", stdout=StringIO())
    for committee in Organisation.objects.filter(kind="committee"):
        figures = selectors.figures(committee)
        assert (figures.leadership_problems, figures.grassroots_problems, figures.talks) == (13, 20, 13)
        assert (figures.leadership_measures, figures.grassroots_measures, figures.health_checked) == (
            15,
            20,
            13,
        )
    assert not Problem.history.exists()  # scale data is bulk-created without history


# What the campaign file can declare for the rectify.* figures; the indicators engine gives the seed's
# figures from them, the same as selectors.figures (see the report of issue 4).
DECLARATIONS = [
    {"code": "rectify.leadership_problems", "label": "班子查摆问题", "unit": "条", "part": "改",
     "count": "rectify.Problem", "where": {"owner_kind": ["班子", "班子成员"]}},
    {"code": "rectify.grassroots_problems", "label": "基层党组织查摆问题", "unit": "条", "part": "改",
     "count": "rectify.Problem", "where": {"owner_kind": "组织"}},
    {"code": "rectify.leadership_measures", "label": "班子整改措施", "unit": "条", "part": "改",
     "count": "rectify.Measure", "where": {"problem__owner_kind": ["班子", "班子成员"]}},
    {"code": "rectify.grassroots_measures", "label": "基层党组织整改措施", "unit": "条", "part": "改",
     "count": "rectify.Measure", "where": {"problem__owner_kind": "组织"}},
    {"code": "rectify.talks", "label": "谈心谈话、提醒谈话", "unit": "人次", "part": "改",
     "count": "rectify.TalkPerson"},
    {"code": "rectify.health_checked", "label": "党建工作体检", "unit": "个", "part": "改",
     "distinct": ["rectify.HealthCheck", "organisation"], "where": {"organisation": "below_committee"}},
]  # fmt: skip


@pytest.mark.parametrize("as_of", [None, datetime.date(2023, 10, 31)])
def test_the_indicators_engine_can_count_them_as_the_selector_does(demo, as_of):
    from taizhang.indicators.engine import compute, parse

    campaign = Campaign.current()
    engine = compute(campaign, demo, as_of=as_of, indicators=[parse(d) for d in DECLARATIONS])
    figures = selectors.figures(demo, campaign=campaign, on=as_of)
    assert engine == {f"rectify.{name}": value for name, value in vars(figures).items()}
