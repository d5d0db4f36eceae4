import io

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from taizhang.campaigns.models import Campaign
from taizhang.orgs.models import Member, Organisation
from taizhang.reports.stats import StatsColumn, build_stats
from taizhang.reports.stats_files import column_groups, stats_docx, stats_xlsx

CODES = ["org.branches", "members.retired", "members.mobile", "members.rural"]


def values(row):
    return dict(zip(CODES, row.values, strict=True))


def test_one_row_per_grassroots_organisation_and_a_total(cast, members_campaign):
    table = build_stats(members_campaign, cast.township_a)
    assert [c.code for c in table.columns] == CODES  # the computable ones; members.pending is not yet
    assert [(r.number, r.name) for r in table.rows] == [(1, "甲一村党支部"), (2, "甲乡机关党总支")]
    assert [values(r) for r in table.rows] == [
        {"org.branches": 1, "members.retired": 1, "members.mobile": 0, "members.rural": 1},
        {"org.branches": 1, "members.retired": 0, "members.mobile": 0, "members.rural": 0},
    ]
    assert table.own is None
    assert values(table.total) == {
        "org.branches": 2,
        "members.retired": 1,
        "members.mobile": 0,
        "members.rural": 1,
    }
    assert table.title == "甲乡第一期学习教育进展情况统计表"


def test_the_committees_own_records_are_a_row_so_the_total_is_the_sum(cast, members_campaign):
    Member.objects.create(name="周十", organisation=cast.township_a, category="退休", mobile="13600007777")
    table = build_stats(members_campaign, cast.township_a)
    assert table.own is not None and table.own.name == "甲乡党委（本级）"
    assert values(table.own)["members.retired"] == 1
    for i in range(len(CODES)):
        assert table.total.values[i] == sum(r.values[i] or 0 for r in [*table.rows, table.own])
    assert table.not_additive == []


def test_a_county_has_one_row_per_township(cast, members_campaign):
    table = build_stats(members_campaign, cast.county)
    assert [r.name for r in table.rows] == ["甲乡党委", "乙乡党委"]
    assert [values(r)["org.branches"] for r in table.rows] == [2, 1]
    assert values(table.total)["org.branches"] == 3


def test_a_retired_organisation_without_records_is_no_row(cast, members_campaign):
    import datetime

    Organisation.objects.create(
        name="甲三村党支部",
        kind="branch",
        parent=cast.township_a,
        order=9,
        retired_at=datetime.date(2023, 1, 1),
    )
    assert [r.name for r in build_stats(members_campaign, cast.township_a).rows] == [
        "甲一村党支部",
        "甲乡机关党总支",
    ]


def test_a_fixed_number_of_queries_whatever_the_rows(cast, members_campaign, assert_queries):
    # One tree query, the data's fingerprint, then one per model for the rows and the total together (2 here).
    with assert_queries(4):
        build_stats(members_campaign, cast.township_a)
    with assert_queries(4):
        build_stats(members_campaign, cast.county)


def test_the_workbook(cast, members_campaign):
    table = build_stats(members_campaign, cast.township_a)
    book = load_workbook(io.BytesIO(stats_xlsx(table)))
    sheet = book.active
    assert sheet["A1"].value == "甲乡第一期学习教育进展情况统计表"
    assert "A1" in {str(r).split(":")[0] for r in sheet.merged_cells.ranges}
    header = [c.value for c in sheet[3]]
    assert header == [
        "序号",
        "组织名称",
        "党支部\n（个）",
        "退休党员\n（名）",
        "流动党员\n（名）",
        "农村党员\n（名）",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert rows[0][:2] == [1, "甲一村党支部"] and rows[1][:2] == [2, "甲乡机关党总支"]
    assert rows[2][1] == "合计"
    for column in range(2, len(header)):
        assert rows[2][column] == rows[0][column] + rows[1][column]
    assert sheet.freeze_panes == "C4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.column_dimensions["B"].width >= 14  # 甲乡机关党总支: seven Chinese characters
    assert "&P" in sheet.oddFooter.center.text
    assert sheet.print_title_cols is None


def test_a_wide_workbook_prints_on_pages_side_by_side_with_the_names_repeated(cast):
    campaign = Campaign.objects.get(code="2023-second-batch")
    table = build_stats(campaign, cast.township_a)
    table.columns = table.columns * 3  # as many as the campaign will have, and more
    for row in table.all_rows:
        row.values = row.values * 3
    sheet = load_workbook(io.BytesIO(stats_xlsx(table))).active
    assert sheet.page_setup.fitToWidth >= 2
    assert sheet.print_title_cols == "$A:$B"


def test_the_word_table_is_landscape_when_wider_than_eight_columns(cast, members_campaign):
    narrow = Document(io.BytesIO(stats_docx(build_stats(members_campaign, cast.township_a))))
    assert narrow.sections[0].page_width < narrow.sections[0].page_height  # 6 columns: portrait
    members_campaign.indicators = [
        *members_campaign.indicators,
        *[
            {"code": f"extra.n{i}", "label": f"附加{i}", "unit": "名", "part": "学", "count": "orgs.Member"}
            for i in range(4)
        ],
    ]
    members_campaign.save()
    wide = Document(io.BytesIO(stats_docx(build_stats(members_campaign, cast.township_a))))
    section = wide.sections[0]
    assert section.page_width > section.page_height  # 10 columns: landscape
    (grid,) = wide.tables
    assert grid.rows[1]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert [c.text for c in grid.rows[1].cells][:3] == ["序号", "组织名称", "党支部\n（个）"]
    assert grid.rows[-1].cells[1].text == "合计"
    assert wide.paragraphs[0].text == "甲乡第一期学习教育进展情况统计表"
    assert wide.settings.odd_and_even_pages_header_footer


def test_too_many_columns_for_one_page_are_packed_into_tables_by_part():
    sizes = {"谋": 3, "学": 9, "改": 8, "研": 2, "建": 14}
    columns = [
        StatsColumn(f"{part}{i}", f"指标{i}", "个", part) for part, n in sizes.items() for i in range(n)
    ]
    tables = column_groups(columns)
    assert [[c.part for c in t] for t in tables] == [
        ["谋"] * 3 + ["学"] * 9,
        ["改"] * 8 + ["研"] * 2,
        ["建"] * 12,
        ["建"] * 2,
    ]


def test_the_word_table_has_a_row_of_parts_over_the_indicators(cast, members_campaign):
    document = Document(io.BytesIO(stats_docx(build_stats(members_campaign, cast.township_a))))
    (grid,) = document.tables
    parts, labels = ([c.text for c in row.cells] for row in grid.rows[:2])
    assert parts == ["序号", "组织名称", "“谋”字为先", "“学”字铸魂", "“学”字铸魂", "“学”字铸魂"]
    assert labels[:3] == ["序号", "组织名称", "党支部\n（个）"]  # 序号 and 组织名称 merged down
    for row in grid.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert grid.rows[-1].cells[1].text == "合计" and grid.rows[-1].cells[1].paragraphs[0].runs[0].bold
