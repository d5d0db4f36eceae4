"""Figures are cached under a fingerprint of the data: never served from before a change."""

import datetime

import pytest

from taizhang.campaigns.models import Campaign
from taizhang.indicators.cache import data_version, key
from taizhang.indicators.engine import compute, parse
from taizhang.indicators.tests.test_engine import members_declarations
from taizhang.orgs.models import Member


@pytest.fixture
def campaign(db):
    return Campaign.objects.get(code="2023-second-batch")


RETIRED = members_declarations()[:1]  # m.retired: members of the category 退休


def retired(campaign, org, **kwargs):
    return compute(campaign, org, indicators=RETIRED, **kwargs)["m.retired"]


def test_the_same_data_is_not_counted_twice(cast, campaign, django_assert_num_queries):
    assert retired(campaign, cast.township_a) == 1
    with django_assert_num_queries(2):  # the subtree and the fingerprint; no count
        assert retired(campaign, cast.township_a) == 1


def test_a_new_record_changes_the_figure_at_once(cast, campaign):
    assert retired(campaign, cast.township_a) == 1
    Member.objects.create(name="新退休", organisation=cast.branch_a1, category="退休")
    assert retired(campaign, cast.township_a) == 2


def test_a_deletion_and_its_undo_change_the_figure(cast, campaign):
    from taizhang.core.services import delete_record, restore_record

    assert retired(campaign, cast.township_a) == 1
    delete_record(cast.li, actor=cast.admin_a)
    assert retired(campaign, cast.township_a) == 0
    restore_record(cast.li, actor=cast.admin_a)
    assert retired(campaign, cast.township_a) == 1


def test_each_as_of_date_and_each_day_is_its_own(cast, campaign, monkeypatch):
    Member.objects.filter(pk=cast.li.pk).update(joined_on=datetime.date(2023, 11, 1))
    joined = [
        parse(
            {"code": "m.joined", "label": "入党", "unit": "名", "count": "orgs.Member", "as_of": "joined_on"}
        )
    ]
    before, after = datetime.date(2023, 10, 1), datetime.date(2023, 12, 1)
    assert compute(campaign, cast.township_a, indicators=joined, as_of=before)["m.joined"] == 2
    assert compute(campaign, cast.township_a, indicators=joined, as_of=after)["m.joined"] == 3
    version = data_version()
    keys = set()
    for day in (datetime.date(2026, 1, 1), datetime.date(2026, 1, 2)):
        monkeypatch.setattr("taizhang.indicators.cache.today", lambda day=day: day)
        keys.add(key("x"))
    assert len(keys) == 2 and data_version() == version  # overdue figures move with the date alone


def test_the_fingerprint_moves_with_tables_without_history_of_their_own(cast, campaign):
    from taizhang.rectify.models import Talk, TalkPerson

    before = data_version()
    talk = Talk.objects.create(
        campaign=campaign,
        organisation=cast.township_a,
        kind="谈心谈话",
        on=datetime.date(2023, 10, 1),
        talker=cast.wang,
    )
    after_talk = data_version()
    TalkPerson.objects.bulk_create([TalkPerson(talk=talk, member=cast.zhang)])  # no history row
    assert len({before, after_talk, data_version()}) == 3
