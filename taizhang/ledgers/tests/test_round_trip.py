"""The demo township exported and imported into an empty database gives the same records and figures."""

from io import StringIO

import pytest
from django.core.management import call_command

from taizhang.campaigns.models import Campaign
from taizhang.core.scoping import subtree_ids
from taizhang.indicators.engine import compute
from taizhang.ledgers.importer import import_workbook
from taizhang.ledgers.writing import write_ledgers
from taizhang.orgs.models import Member, Organisation
from taizhang.rectify.models import HealthCheck, Measure, Problem, Talk, TalkPerson
from taizhang.research.models import ActionItem, EnterpriseVisit, ResearchVisit
from taizhang.serve.models import Partnership, PublicityItem, ServiceProject
from taizhang.study.models import Attendance, MakeUp, Meeting

DATED = {ResearchVisit: "date", EnterpriseVisit: "date", PublicityItem: "date"}
COUNTED = [
    Member,
    Meeting,
    MakeUp,
    Problem,
    Measure,
    Talk,
    TalkPerson,
    HealthCheck,
    ResearchVisit,
    ActionItem,
    EnterpriseVisit,
    ServiceProject,
    Partnership,
    PublicityItem,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--force", stdout=StringIO())
        yield
        call_command("flush", "--no-input", verbosity=0)


def snapshot(township, campaign):
    """The township's records of the campaign: by their campaign, or (records without one) by their date in the
    campaign's period, as the ledgers are exported."""
    ids = subtree_ids(township.pk)
    period = (campaign.start_date, campaign.end_date)
    counts = {}
    for model in COUNTED:
        path = model.scope_path
        records = model.objects.filter(**{f"{path}__in": ids})
        campaign_path = getattr(model, "campaign_path", None) or (
            "campaign" if any(f.name == "campaign" for f in model._meta.get_fields()) else None
        )
        if campaign_path:
            records = records.filter(**{campaign_path: campaign})
        elif model in DATED:
            records = records.filter(**{f"{DATED[model]}__range": period})
        counts[str(model._meta.verbose_name)] = records.count()
    counts["组织"] = Organisation.objects.filter(pk__in=ids).count()
    counts["出席"] = Attendance.objects.filter(
        status="出席", meeting__campaign=campaign, meeting__organiser__in=ids
    ).count()
    counts["会议"] = sorted(
        Meeting.objects.filter(campaign=campaign).values_list("date", "organiser__name", "topic", "type")
    )
    return counts


@pytest.mark.django_db
def test_the_demo_township_survives_export_and_import_into_an_empty_database(demo, tmp_path):
    campaign = Campaign.current()
    township = Organisation.objects.get(name="XX乡党委")
    figures, records = compute(campaign, township), snapshot(township, campaign)
    path = tmp_path / "台账.xlsx"
    write_ledgers(path, campaign, township)

    call_command("flush", "--no-input", verbosity=0)  # an empty database: only the shipped campaign is loaded
    assert Organisation.objects.count() == 0 and Member.objects.count() == 0
    campaign = Campaign.objects.get(code=campaign.code)

    result = import_workbook(path, campaign=campaign)
    assert result.ok, [str(e) for e in result.errors][:20]
    township = Organisation.objects.get(name="XX乡党委")
    assert snapshot(township, campaign) == records
    assert compute(campaign, township) == figures
    # And once more: nothing new.
    again = import_workbook(path, campaign=campaign)
    assert again.ok and all(s.created == 0 and s.updated == 0 for s in again.sheets), again.sheets
