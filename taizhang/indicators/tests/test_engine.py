import datetime

import pytest
from django.core.exceptions import ValidationError

from taizhang.campaigns.models import Campaign
from taizhang.indicators.engine import compute, indicators_of, parse, records
from taizhang.orgs.models import Member, Organisation


@pytest.fixture
def campaign(db):
    return Campaign.objects.get(code="2023-second-batch")


def test_the_shipped_campaign_counts_branches_and_grassroots(cast, campaign):
    figures = compute(campaign, cast.township_a)
    assert figures["org.branches"] == 2  # 甲一村党支部 and 甲机关党支部 (inside the general branch)
    assert figures["org.grassroots"] == 2  # 甲一村党支部 and 甲乡机关党总支
    county = compute(campaign, cast.county)
    assert county["org.branches"] == 3 and county["org.grassroots"] == 3
    assert compute(campaign, cast.branch_a1)["org.branches"] == 1


def test_retired_organisations_do_not_count(cast, campaign):
    Organisation.objects.filter(pk=cast.branch_a1.pk).update(retired_at=datetime.date(2023, 10, 1))
    assert compute(campaign, cast.township_a)["org.branches"] == 1


def members_declarations():
    return [
        parse(
            {
                "code": "m.retired",
                "label": "退休党员",
                "unit": "名",
                "count": "orgs.Member",
                "where": {"category": "退休"},
            }
        ),
        parse(
            {
                "code": "m.rural",
                "label": "农村党员",
                "unit": "名",
                "count": "orgs.Member",
                "where": {"category": ["农村"]},
            }
        ),
        parse(
            {
                "code": "m.orgs",
                "label": "有党员的组织",
                "unit": "个",
                "distinct": ["orgs.Member", "organisation"],
            }
        ),
        parse(
            {
                "code": "m.joined",
                "label": "入党",
                "unit": "名",
                "count": "orgs.Member",
                "as_of": "joined_on",
                "where": {"organisation": "below_committee"},
            }
        ),
        parse(
            {
                "code": "m.both",
                "label": "退休和农村",
                "unit": "名",
                "terms": [
                    {"count": "orgs.Member", "where": {"category": "退休"}},
                    {"count": "orgs.Member", "where": {"category": "农村"}},
                ],
            }
        ),
    ]


def test_one_query_per_model_whatever_the_data(cast, campaign, django_assert_num_queries):
    declarations = members_declarations()
    # The subtree, the data's fingerprint (cache.py), then one aggregate over members.
    with django_assert_num_queries(3):
        figures = compute(campaign, cast.township_a, indicators=declarations)
    assert figures == {"m.retired": 1, "m.rural": 1, "m.orgs": 2, "m.joined": 3, "m.both": 2}
    for i in range(20):
        Member.objects.create(
            name=f"新党员{i}", organisation=cast.branch_a1, category="退休", mobile=f"1390000{i:04d}"
        )
    with django_assert_num_queries(3):
        assert compute(campaign, cast.township_a, indicators=declarations)["m.retired"] == 21


def test_as_of_counts_records_from_their_own_date(cast, campaign):
    declarations = members_declarations()
    Member.objects.filter(pk=cast.zhang.pk).update(joined_on=datetime.date(2023, 11, 1))
    assert (
        compute(campaign, cast.township_a, indicators=declarations, as_of=datetime.date(2023, 10, 1))[
            "m.joined"
        ]
        == 2
    )
    assert (
        compute(campaign, cast.township_a, indicators=declarations, as_of=datetime.date(2023, 11, 1))[
            "m.joined"
        ]
        == 3
    )


def test_records_are_the_figure_opened(cast, campaign):
    declaration = members_declarations()[0]
    ((term, qs),) = records(campaign, cast.county, declaration)
    assert list(qs) == [cast.li]


def test_the_secretary_filter(cast, campaign):
    Organisation.objects.filter(pk=cast.branch_a1.pk).update(secretary=cast.zhang)
    declaration = parse(
        {"code": "s", "label": "书记", "unit": "名", "count": "orgs.Member", "where": {"self": "secretary"}}
    )
    assert compute(campaign, cast.county, indicators=[declaration]) == {"s": 1}
    # The county's secretary is not "a secretary" of domain.md (the committee's or below).
    Organisation.objects.filter(pk=cast.county.pk).update(secretary=cast.wang)
    assert compute(campaign, cast.county, indicators=[declaration]) == {"s": 1}


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ({"code": "x", "label": "x", "unit": "个", "count": "nothing.Here"}, "没有记录类型"),
        (
            {"code": "x", "label": "x", "unit": "个", "count": "orgs.Member", "where": {"colour": "红"}},
            "没有字段“colour”",
        ),
        (
            {
                "code": "x",
                "label": "x",
                "unit": "个",
                "count": "orgs.Organisation",
                "where": {"members__name": "张三"},
            },
            "多值关联",
        ),
        (
            {
                "code": "x",
                "label": "x",
                "unit": "个",
                "count": "orgs.Member",
                "where": {"name": "grassroots"},
            },
            None,
        ),
        ({"code": "x", "label": "x", "unit": "个", "sum": ["orgs.Member"]}, "须写成"),
        (
            {"code": "x", "label": "x", "unit": "个", "count": "orgs.Member", "sum": ["orgs.Member", "pk"]},
            "只有",
        ),
        ({"code": "x", "unit": "个", "count": "orgs.Member"}, "缺少 label"),
    ],
)
def test_declarations_are_checked_with_chinese_messages(db, declaration, message):
    with pytest.raises(ValidationError, match=message):
        parse(declaration)


def test_declarations_without_a_definition_are_left_out(campaign):
    codes = [i.code for i in indicators_of(campaign)]
    assert "org.branches" in codes
    assert all(code.startswith("org.") or "." in code for code in codes)


def test_a_ratio_is_a_percentage_of_two_figures(cast, campaign):
    declarations = [
        *members_declarations(),
        parse({"code": "m.share", "label": "退休占比", "unit": "%", "ratio": ["m.retired", "m.both"]}),
    ]
    assert compute(campaign, cast.township_a, indicators=declarations)["m.share"] == 50
    assert compute(campaign, cast.township_b, indicators=declarations)["m.share"] == 0
    assert compute(campaign, cast.branch_a2, indicators=declarations)["m.share"] is None  # 0 of 0


def test_a_malformed_ratio_is_refused(db):
    with pytest.raises(ValidationError, match="ratio"):
        parse({"code": "r", "label": "比", "unit": "%", "ratio": "a/b"})


def test_rows_are_computed_together_in_one_query_per_model(cast, campaign, django_assert_num_queries):
    from taizhang.core.scoping import subtree_ids
    from taizhang.indicators.engine import compute_rows

    declarations = members_declarations()
    rows = {org.pk: subtree_ids(org.pk) for org in (cast.township_a, cast.township_b, cast.branch_a1)}
    with django_assert_num_queries(2):  # the data's fingerprint (cache.py), then the one model
        table = compute_rows(
            campaign, {"a": rows[cast.township_a.pk], "b": rows[cast.township_b.pk]}, indicators=declarations
        )
    assert table["a"] == compute(campaign, cast.township_a, indicators=declarations)
    assert table["b"] == compute(campaign, cast.township_b, indicators=declarations)
    empty = Organisation.objects.create(name="空党支部", kind="branch", parent=cast.township_b)
    table = compute_rows(
        campaign, {"empty": frozenset({empty.pk}), "a1": rows[cast.branch_a1.pk]}, indicators=declarations
    )
    assert table["empty"]["m.retired"] == 0 and table["a1"]["m.retired"] == 1


def test_rows_may_overlap_and_distinct_counts_do_not_simply_add_up(cast, campaign):
    from taizhang.core.scoping import subtree_ids
    from taizhang.indicators.engine import compute_rows

    categories = parse(
        {"code": "m.kinds", "label": "党员类别", "unit": "类", "distinct": ["orgs.Member", "category"]}
    )
    everyone = parse({"code": "m.all", "label": "党员", "unit": "名", "count": "orgs.Member"})
    rows = {
        "a": subtree_ids(cast.township_a.pk),
        "b": subtree_ids(cast.township_b.pk),
        "total": subtree_ids(cast.county.pk),
    }
    table = compute_rows(campaign, rows, indicators=[categories, everyone])
    for key, root in (("a", cast.township_a), ("b", cast.township_b), ("total", cast.county)):
        assert table[key] == compute(campaign, root, indicators=[categories, everyone])
    # Township A's members are of three categories, B's of one of them: the county has three, not four.
    assert (table["a"]["m.kinds"], table["b"]["m.kinds"], table["total"]["m.kinds"]) == (3, 1, 3)
    assert table["total"]["m.all"] == table["a"]["m.all"] + table["b"]["m.all"]


def test_the_whole_tree_is_counted_without_a_list_of_its_ids(cast, campaign, monkeypatch):
    """A county's figures over every organisation filter by "has an organisation" rather than by a list of
    hundreds of ids; the figures are the same, and a smaller subtree still gets its list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taizhang.core import scoping

    by_list = compute(campaign, cast.county)
    monkeypatch.setattr(scoping, "EVERYTHING_FROM", 1)
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        whole = compute(campaign, cast.county)
    assert whole == by_list
    member_queries = [q["sql"] for q in queries if 'FROM "orgs_member"' in q["sql"]]
    assert member_queries and all('"organisation_id" IN (' not in sql for sql in member_queries)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        compute(campaign, cast.township_a)
    assert any('"organisation_id" IN (' in q["sql"] for q in queries if 'FROM "orgs_member"' in q["sql"])
