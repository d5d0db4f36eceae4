import datetime

import pytest

from taizhang.campaigns.models import Campaign
from taizhang.indicators.dashboard import children_rows, dashboard, org_table, recent_changes
from taizhang.orgs.models import Member, Organisation

TABLE_INDICATORS = [
    {"code": "m.all", "label": "党员", "unit": "名", "part": "学", "count": "orgs.Member", "table": True},
    {
        "code": "m.retired",
        "label": "退休党员",
        "unit": "名",
        "part": "学",
        "count": "orgs.Member",
        "where": {"category": "退休"},
        "table": True,
    },
    {
        "code": "m.share",
        "label": "退休占比",
        "unit": "%",
        "part": "学",
        "ratio": ["m.retired", "m.all"],
        "table": True,
    },
    {
        "code": "org.branches",
        "label": "党支部",
        "unit": "个",
        "part": "谋",
        "count": "orgs.Organisation",
        "where": {"self": "branch"},
    },
]


@pytest.fixture
def campaign(db):
    campaign = Campaign.objects.create(
        code="t",
        name="测试",
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2024, 1, 31),
        indicators=TABLE_INDICATORS,
    )
    from taizhang.campaigns.models import Part

    Part.objects.create(campaign=campaign, order=1, short="谋", slug="plan", name="谋")
    Part.objects.create(campaign=campaign, order=2, short="学", slug="study", name="学")
    return campaign


def test_rows_are_the_organisations_directly_under_the_root(cast):
    rows = children_rows(cast.township_a)
    assert {org.name: ids for org, ids in rows.items()} == {
        "甲一村党支部": {cast.branch_a1.pk},
        "甲乡机关党总支": {cast.general_a.pk, cast.branch_a2.pk},
    }
    assert [org.name for org in children_rows(cast.county)] == ["甲乡党委", "乙乡党委"]


def test_the_table_has_a_total_and_marks_the_weakest(cast, campaign):
    table, _total = org_table(campaign, cast.township_a)
    values = {row.org.name: row.values for row in table.rows}
    assert values["甲一村党支部"] == {"m.all": 2, "m.retired": 1, "m.share": 50, "org.branches": 1}
    assert values["甲乡机关党总支"]["m.share"] == 0
    assert table.total["m.all"] == 3 and table.total["m.share"] == 33
    weakest = [row.org.name for row in table.rows if row.weakest]
    assert weakest == ["甲乡机关党总支"]
    assert [c.code for c in table.columns] == ["m.all", "m.retired", "m.share"]


def test_where_lower_is_better_the_highest_is_marked(cast, campaign):
    campaign.indicators = [*TABLE_INDICATORS[:1], {**TABLE_INDICATORS[1], "better": "lower"}]
    campaign.save()
    table, _total = org_table(campaign, cast.township_a)
    marked = {row.org.name: sorted(row.low) for row in table.rows}
    assert marked == {"甲一村党支部": ["m.retired"], "甲乡机关党总支": ["m.all"]}


def test_the_county_compares_townships(cast, campaign):
    table, _total = org_table(campaign, cast.county)
    assert {row.org.name: row.values["m.all"] for row in table.rows} == {"甲乡党委": 3, "乙乡党委": 1}


def test_the_table_takes_a_constant_number_of_queries(cast, campaign, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as before:
        org_table(campaign, cast.county)
    for i in range(5):
        branch = Organisation.objects.create(
            name=f"乙{i}村党支部", kind="branch", parent=cast.township_b, order=5 + i
        )
        Member.objects.create(name=f"党员{i}", organisation=branch, category="退休")
    with django_assert_max_num_queries(len(before.captured_queries)):
        org_table(campaign, cast.county)
    with django_assert_max_num_queries(len(before.captured_queries)):
        org_table(campaign, cast.township_b)


def test_recent_changes_count_history_within_the_subtree(cast, django_assert_num_queries):
    from taizhang.core.services import delete_record

    delete_record(cast.li, actor=cast.admin_a)
    # The data's fingerprint, the subtree, then one union over every kind of record; then only the fingerprint.
    with django_assert_num_queries(3):
        changes = {c.label: c for c in recent_changes(cast.township_a)}
    with django_assert_num_queries(1):
        assert {c.label: c for c in recent_changes(cast.township_a)} == changes
    assert changes["党员"].added == 3  # 张三, 李四 and 王五, not 赵六 of township B
    assert (changes["党员"].changed, changes["党员"].deleted) == (1, 0)  # a deletion is a soft one: a change
    assert changes["组织"].added == 4
    assert recent_changes(cast.township_a, now=cast.zhang.created_at + datetime.timedelta(days=30)) == []


def test_recent_changes_count_calendar_days(cast):
    from django.utils import timezone

    created = timezone.localtime(cast.zhang.created_at)
    # Created today: counted on each of the 7 days up to the 7th (today and the 6 before), not on the 8th.
    sixth = (created + datetime.timedelta(days=6)).replace(hour=23, minute=59)
    seventh = (created + datetime.timedelta(days=7)).replace(hour=0, minute=1)
    assert recent_changes(cast.township_a, now=sixth) != []
    assert recent_changes(cast.township_a, now=seventh) == []


def test_dashboard_page(cast, client_as, campaign):
    Campaign.objects.update(is_current=False)
    Campaign.objects.filter(pk=campaign.pk).update(is_current=True)
    body = client_as(cast.admin_a).get("/indicators/dashboard/").content.decode()
    assert "各基层党组织" in body and "最薄弱" in body and "近7天的变化" in body
    assert f"/indicators/m.retired/?org={cast.branch_a1.pk}" in body
    body = client_as(cast.county_viewer).get("/indicators/dashboard/").content.decode()
    assert "各乡镇" in body


def test_dashboard_object(cast, campaign):
    board = dashboard(campaign, cast.township_a)
    assert [part for part, _ in board.figures.parts] == ["谋", "学"]


def test_recent_changes_of_the_whole_tree_are_the_same_without_a_list(cast, monkeypatch):
    from django.core.cache import cache

    from taizhang.core import scoping

    by_list = recent_changes(cast.county)
    monkeypatch.setattr(scoping, "EVERYTHING_FROM", 1)
    cache.clear()
    assert recent_changes(cast.county) == by_list
    assert {c.label: c.added for c in by_list}["党员"] == 4
