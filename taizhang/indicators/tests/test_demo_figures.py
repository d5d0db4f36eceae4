"""The demo township's figures, computed by the engine from the campaign file's declarations, are the
seed summary's (../shared/seed/township-summary-2023.txt)."""

from io import StringIO

import pytest
from django.core.management import call_command

from taizhang.campaigns.models import Campaign
from taizhang.indicators.engine import compute, indicators_of
from taizhang.orgs.models import Organisation

SEED_FIGURES = {
    "deploy.branch_meetings": 20,
    "study.central_group": 4,
    "study.seminars": 57,
    "study.lectures": 22,
    "study.training_person_times": 469,
    "study.retired_covered": 13,
    "study.mobile_covered": 9,
    "org.branches": 20,
    "serve.service_projects_done": 9,
    "publicity.billboards": 5,
    "publicity.banners": 36,
    "research.visits": 9,
    "research.action_items": 13,
    "research.action_items_done": 13,
    "org.grassroots": 13,
    "rectify.leadership_problems": 13,
    "rectify.grassroots_problems": 20,
    "rectify.leadership_measures": 15,
    "rectify.grassroots_measures": 20,
    "rectify.talks": 13,
    "rectify.health_checked": 13,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--force", stdout=StringIO())
        yield
        call_command("flush", "--no-input", verbosity=0)


@pytest.mark.django_db
def test_the_demo_township_states_the_seed_figures(demo):
    campaign = Campaign.current()
    township = Organisation.objects.get(name="XX乡党委")
    figures = compute(campaign, township)
    computable = {i.code for i in indicators_of(campaign)}
    expected = {code: value for code, value in SEED_FIGURES.items() if code in computable}
    assert set(SEED_FIGURES) <= computable, f"not declared yet: {sorted(set(SEED_FIGURES) - computable)}"
    assert {code: figures[code] for code in expected} == expected


@pytest.mark.django_db
def test_the_engine_agrees_with_the_study_area_s_own_count(demo):
    from taizhang.study.selectors import study_figures

    campaign = Campaign.current()
    for name in ("XX乡党委", "西岭村党支部", "机关党总支"):
        org = Organisation.objects.get(name=name)
        own = study_figures(org=org, campaign=campaign)
        engine = compute(campaign, org)
        assert {code: engine[code] for code in own} == own, name


@pytest.mark.django_db
def test_all_figures_in_a_constant_number_of_queries(demo, django_assert_max_num_queries):
    campaign = Campaign.current()
    township = Organisation.objects.get(name="XX乡党委")
    models = {term.model for i in indicators_of(campaign) for term in i.terms}
    # The subtree, the data's fingerprint (cache.py), then one per model; none of them again for the same data.
    with django_assert_max_num_queries(len(models) + 2):
        first = compute(campaign, township)
    with django_assert_max_num_queries(2):
        assert compute(campaign, township) == first


@pytest.mark.django_db
def test_the_dashboard_columns_agree_with_the_records(demo):
    from taizhang.core.scoping import subtree_ids
    from taizhang.rectify.models import Measure, Problem
    from taizhang.study.models import Meeting, PlannedMeeting

    campaign = Campaign.current()
    township = Organisation.objects.get(name="XX乡党委")
    figures = compute(campaign, township)
    ids = subtree_ids(township.pk)

    problems = Problem.objects.filter(owner_org__in=ids, campaign=campaign).prefetch_related("measures")
    still_open = [
        p
        for p in problems
        if not p.measures.all() or any(m.status not in Measure.DONE_STATUSES for m in p.measures.all())
    ]
    assert figures["rectify.problems_open"] == len(still_open) > 0
    overdue = Measure.objects.filter(problem__owner_org__in=ids, problem__campaign=campaign).overdue()
    assert figures["rectify.measures_overdue"] == overdue.count() > 0

    planned = list(PlannedMeeting.objects.filter(organisation__in=ids, campaign=campaign))
    held = {
        (m.organiser_id, m.date.year, m.date.month, m.type)
        for m in Meeting.objects.filter(organiser__in=ids).only("organiser_id", "date", "type")
    }
    done = [p for p in planned if (p.organisation_id, p.month.year, p.month.month, p.type) in held]
    assert figures["study.plan_items"] == len(planned) > 0
    assert figures["study.plan_done"] == len(done)
    assert figures["study.plan_rate"] == round(100 * len(done) / len(planned))
