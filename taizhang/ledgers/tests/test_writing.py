"""Writing ledgers out: the export a township keeps and prints, and the template its branches fill in."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from taizhang.ledgers import writing
from taizhang.ledgers.importer import import_workbook
from taizhang.ledgers.reading import is_formula, open_workbook, sheet_rows
from taizhang.ledgers.spec import all_sheets, find_sheet
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Member, Organisation
from taizhang.study.models import Attendance, MakeUp, Meeting

FINISHED = ["组织", "党员", "会议活动", "补学"]
TRICKY = ["=1+1", "+86", "@x", "-5", '=HYPERLINK("http://x")', "#N/A"]
MEETING_HEADER = ["序号", "日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]


def meeting(campaign, org, day, topic, **extra):
    return Meeting.objects.create(
        campaign=campaign,
        organiser=org,
        type="专题研讨",
        date=datetime.date(2023, 9, day),
        topic=topic,
        **extra,
    )


@pytest.fixture
def ledger(cast, campaign):
    """Township A's meetings (topics Excel would take for formulas among them), a make-up, and one meeting of
    township B that A's export must not show."""
    first = meeting(campaign, cast.branch_a1, 15, "学习新思想", speaker=cast.zhang, place="村部")
    Attendance.objects.create(meeting=first, member=cast.zhang, status="出席", method="登记")
    Attendance.objects.create(meeting=first, member=cast.li, status="缺席")
    MakeUp.objects.create(member=cast.li, meeting=first, date=datetime.date(2023, 9, 20), method="送书上门")
    for day, topic in enumerate(TRICKY, start=16):
        tricky = meeting(campaign, cast.branch_a1, day, topic, place=topic, speaker=cast.li)
        Attendance.objects.create(meeting=tricky, member=cast.li, status="出席", method="登记")
    meeting(campaign, cast.branch_a2, 25, "党课", speaker_name="陈明", speaker_unit="省委党校", head_count=30)
    meeting(campaign, cast.branch_b1, 15, "乙乡的会", speaker=cast.zhao)
    return cast


def export(tmp_path, campaign, org, **kwargs):
    path = tmp_path / "导出.xlsx"
    written = writing.write_ledgers(path, campaign, org, **kwargs)
    return path, written


def rows_of(ws, start):
    return [list(r) for r in ws.iter_rows(min_row=start, values_only=True)]


# -- the export ---------------------------------------------------------------------------------------------


def test_an_export_has_a_title_a_frozen_header_a_serial_and_a_print_setup(ledger, campaign, tmp_path):
    path, written = export(tmp_path, campaign, ledger.township_a, sheets=FINISHED)
    assert dict(written) == {"组织": 4, "党员": 3, "会议活动": 8, "补学": 1}
    book = load_workbook(path)
    assert book.sheetnames == FINISHED
    ws = book["会议活动"]
    assert ws["A1"].value == "甲乡党委第二批主题教育会议活动台账"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == MEETING_HEADER
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    # Widths in Excel units (a Chinese character is two): the topic is wide, 序号 narrow.
    widths = {c: ws.column_dimensions[c].width for c in "ABCEH"}
    assert widths["A"] < 8 and widths["B"] >= 10 and widths["E"] >= 36 and widths["H"] >= 40
    assert all(
        ws.column_dimensions[c].width >= 2 * len(name) + 2
        for c, name in zip("ABCDEFGHI", MEETING_HEADER, strict=True)
    )
    data = rows_of(ws, 3)
    assert [r[0] for r in data] == list(range(1, 9))
    assert data[0][1:] == [
        datetime.datetime(2023, 9, 15),
        "甲一村党支部",
        "专题研讨",
        "学习新思想",
        "张三",
        "村部",
        "张三",
        1,
    ]
    assert data[-1][2:] == ["甲机关党支部", "专题研讨", "党课", "陈明（省委党校）", None, None, 30]
    assert "乙乡的会" not in {r[4] for r in data}
    date = ws["B3"]
    assert date.is_date and date.number_format == "yyyy-mm-dd"
    assert ws["E3"].border.left.style == "thin" and ws["E3"].alignment.wrap_text
    assert ws["G10"].border.left.style == "thin"  # an empty cell is still inside the table
    # 组织: the county is not written; a committee has no 上级组织.
    orgs = book["组织"]
    assert [r[1:3] for r in rows_of(orgs, 3)][0] == ["甲乡党委", "党委"]


def test_text_that_looks_like_a_formula_stays_text_and_reads_back_the_same(ledger, campaign, tmp_path):
    path, _ = export(tmp_path, campaign, ledger.township_a, sheets=["会议活动"])
    ws = load_workbook(path)["会议活动"]
    cells = {c.value: c for c in ws["E"][2:] if c.value in TRICKY}
    assert set(cells) == set(TRICKY)
    for text, cell in cells.items():
        assert cell.data_type == "s", text
        assert cell.quotePrefix, text
    # The importer's reading sees the same text, not a formula.
    book = open_workbook(path)
    try:
        found = sheet_rows(path, book, "会议活动", find_sheet("会议活动").required)
        assert found.header_row == 2
        read = [values for _, values in found.rows]
    finally:
        book.close()
    topics = [r["主题"] for r in read]
    assert [t for t in topics if t in TRICKY] == TRICKY
    assert not any(is_formula(r[name]) for r in read for name in ("主题", "地点"))
    assert {r["地点"] for r in read} >= set(TRICKY)


def test_a_cell_maker_never_writes_a_formula(ledger, campaign):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("x")
    make = writing.CellMaker(ws, writing.Styles(book), find_sheet("会议活动").column("主题"))
    assert make("=SUM(A1:A2)").data_type == "s"
    assert make("a\x07b").value == "ab"  # control characters Excel refuses are dropped
    assert make(True).value == "是"
    assert make(None).value is None


def test_a_row_of_long_text_is_as_high_as_its_lines():
    assert writing.text_lines("张三、李四", 40) == 1
    assert writing.text_lines("张三丰、" * 20, 40) == 5  # 160 units, 38 to a line of a 40-unit column
    assert writing.text_lines("第一行\n第二行", 40) == 2
    assert writing.text_lines(12345, 4) == 1


def test_an_export_goes_to_a_file_object_and_takes_org_ids(ledger, campaign):
    out = io.BytesIO()
    written = writing.write_ledgers(
        out, campaign, ledger.township_b, sheets=["会议活动"], org_ids={ledger.branch_b1.pk}
    )
    assert written == [("会议活动", 1)]
    ws = load_workbook(io.BytesIO(out.getvalue()))["会议活动"]
    assert ws["A1"].value == "乙乡党委第二批主题教育会议活动台账"
    assert ws["E3"].value == "乙乡的会"


def test_a_sheet_without_records_is_left_out(cast, campaign, tmp_path):
    path, written = export(tmp_path, campaign, cast.township_a, sheets=["党员", "会议活动"])
    assert written == [("党员", 3), ("会议活动", 0)]
    assert load_workbook(path).sheetnames == ["党员"]
    path, written = export(tmp_path, campaign, cast.township_a, sheets=["会议活动"], keep_empty=True)
    assert [c.value for c in load_workbook(path)["会议活动"][2]] == MEETING_HEADER


def test_an_unknown_sheet_is_refused_in_chinese(cast, campaign, tmp_path):
    with pytest.raises(writing.SheetUnknown, match="没有名为“会计”的台账工作表"):
        export(tmp_path, campaign, cast.township_a, sheets=["会计"])


def test_a_sheet_with_its_own_serial_gets_no_second_one():
    from taizhang.ledgers.spec import Column, Sheet

    sheet = Sheet(
        name="清单",
        order=99,
        columns=(Column("事项", required=True), Column("序号", "int", required=True, key=True)),
    )
    layout = writing.Layout.of(sheet)
    assert not layout.serial and [c.name for c in layout.columns] == ["序号", "事项"]
    assert layout.arrange(("修路", 3)) == [3, "修路"]
    for sheet in all_sheets():
        names = [c.name for c in writing.Layout.of(sheet).columns]
        assert names.count("序号") <= 1
        assert writing.Layout.of(sheet).serial == ("序号" not in names)


# -- re-import ----------------------------------------------------------------------------------------------


def snapshot():
    return {
        "组织": sorted(Organisation.objects.values_list("pk", "name", "kind", "parent_id", "secretary_id")),
        "党员": sorted(Member.objects.values_list("pk", "name", "organisation_id", "mobile", "joined_on")),
        "会议": sorted(
            Meeting.objects.values_list("pk", "topic", "date", "speaker_id", "place", "head_count")
        ),
        "出勤": sorted(Attendance.objects.values_list("meeting_id", "member_id", "status")),
        "补学": sorted(MakeUp.objects.values_list("pk", "member_id", "meeting_id", "date", "method")),
    }


def test_an_export_imported_into_the_same_database_changes_nothing(ledger, campaign, tmp_path):
    path, written = export(tmp_path, campaign, ledger.county)
    before = snapshot()
    result = import_workbook(path, campaign=campaign)
    assert result.ok, [str(e) for e in result.errors]
    assert {s.name: s.rows for s in result.sheets} == {name: rows for name, rows in written if rows}
    assert {s.name: (s.created, s.updated) for s in result.sheets} == {s.name: (0, 0) for s in result.sheets}
    # The townships stay under the county (the 组织 sheet leaves a committee's 上级组织 blank).
    assert snapshot() == before


# -- the template -------------------------------------------------------------------------------------------


def test_the_template_has_headers_hints_lists_and_an_example(db, tmp_path):
    path = tmp_path / "模板.xlsx"
    assert writing.write_template(path) == [s.name for s in all_sheets()]
    book = load_workbook(path)
    assert book.sheetnames == [s.name for s in all_sheets()]
    for sheet in all_sheets():
        ws = book[sheet.name]
        layout = writing.Layout.of(sheet)
        offset = 1 + layout.serial
        header = [c.value for c in ws[3]]
        assert header[offset - 1 :] == [c.name for c in layout.columns], sheet.name
        assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
        # Required columns stand out; the text stays the bare column name.
        for index, column in enumerate(layout.columns, start=offset):
            cell = ws.cell(3, index)
            assert (cell.fill.fgColor.rgb == "00FCE4D6") == column.required, column.name
            assert cell.comment is not None and ("必填" in cell.comment.text) >= column.required
            assert cell.value == column.name
        # Every choice column has a drop-down list over the rows to fill, quoted and short enough for Excel.
        lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
        assert all(dv.type == "list" and len(dv.formula1) <= 255 for dv in lists.values())
        for index, column in enumerate(layout.columns, start=offset):
            if column.choices:
                letter = ws.cell(3, index).column_letter
                dv = lists[f"{letter}4:{letter}{3 + writing.TEMPLATE_ROWS}"]
                assert dv.formula1 == '"' + ",".join(column.choices) + '"', column.name
        # The example row is right under the header, and is_example knows it as read back.
        if sheet.example:
            example = [ws.cell(4, index).value for index in range(offset, offset + len(layout.columns))]
            in_column_order = [None] * len(sheet.columns)
            for position, value in zip(layout.order, example, strict=True):
                in_column_order[position] = value
            assert writing.is_example(sheet, in_column_order), sheet.name
            assert not writing.is_example(sheet, [None] * len(sheet.columns))


def test_the_template_example_is_recognised_by_the_importers_reading(db, tmp_path):
    path = tmp_path / "模板.xlsx"
    writing.write_template(path)
    book = open_workbook(path)
    try:
        for sheet in all_sheets():
            name = sheet.name
            found = sheet_rows(path, book, name, sheet.required)
            assert found.header_row == 3, name
            number, raw = next(found.rows)
            assert number == 4
            assert writing.is_example(sheet, [raw.get(c.name) for c in sheet.columns]), name
            assert writing.is_example(sheet, raw), name
    finally:
        book.close()


def test_is_example_compares_as_text():
    sheet = find_sheet("会议活动")
    assert writing.is_example(
        sheet,
        [
            datetime.date(2023, 9, 15),
            " XX村党支部",
            "专题研讨",
            "学习贯彻主题教育精神",
            "张三",
            "村委会议室",
            "张三，李四",
            2.0,
        ],
    )
    assert writing.is_example(
        sheet,
        [
            "2023年9月15日",
            "XX村党支部",
            "专题研讨",
            "学习贯彻主题教育精神",
            "张三",
            "村委会议室",
            "张三、李四",
            "2",
        ],
    )
    assert not writing.is_example(
        sheet,
        [
            "2023-09-16",
            "XX村党支部",
            "专题研讨",
            "学习贯彻主题教育精神",
            "张三",
            "村委会议室",
            "张三、李四",
            2,
        ],
    )
    members = find_sheet("党员")
    assert writing.is_example(
        members, ["张三", "男", "XX村党支部", "农村", 13800000000, datetime.datetime(2001, 7, 1)]
    )


def test_list_formulas_excel_could_not_take_are_left_out():
    assert writing.list_formula(["是", "否"]) == '"是,否"'
    assert writing.list_formula(["甲,乙"]) is None
    assert writing.list_formula(["很长的选项名称" * 5] * 10) is None


# -- the command --------------------------------------------------------------------------------------------


def test_the_command_exports_the_named_sheets(ledger, campaign, tmp_path):
    path = tmp_path / "甲.xlsx"
    out = io.StringIO()
    call_command("export", "--org", "甲乡党委", "--sheet", "会议活动", "补学", "-o", str(path), stdout=out)
    assert load_workbook(path).sheetnames == ["会议活动", "补学"]
    text = out.getvalue()
    assert "会议活动：8行" in text and "补学：1行" in text and "用时" in text


def test_the_command_defaults_to_the_only_township(ledger, campaign, tmp_path):
    with pytest.raises(CommandError, match="多个乡党委"):
        call_command("export", "-o", str(tmp_path / "x.xlsx"), stdout=io.StringIO())
    Organisation.objects.filter(pk=ledger.township_b.pk).update(kind=OrgKind.GENERAL_BRANCH)
    path = tmp_path / "默认.xlsx"
    call_command(
        "export", "--campaign", campaign.code, "--sheet", "会议活动", "-o", str(path), stdout=io.StringIO()
    )
    ws = load_workbook(path)["会议活动"]
    assert ws["A1"].value.startswith("甲乡党委") and ws.max_row == 2 + 8


def test_the_command_writes_the_template(db, tmp_path):
    path = tmp_path / "模板.xlsx"
    out = io.StringIO()
    call_command("export", "--template", "--sheet", "党员", "-o", str(path), stdout=out)
    ws = load_workbook(path)["党员"]
    assert [c.value for c in ws[3]] == [
        "序号",
        "姓名",
        "性别",
        "所在组织",
        "党员类别",
        "联系电话",
        "入党时间",
    ]
    assert "党员" in out.getvalue()


def test_the_command_says_what_is_wrong_in_chinese(ledger, campaign, tmp_path):
    target = str(tmp_path / "x.xlsx")
    with pytest.raises(CommandError, match="没有名为“丙乡党委”的组织"):
        call_command("export", "--org", "丙乡党委", "-o", target)
    with pytest.raises(CommandError, match="没有代码为“nope”的主题教育"):
        call_command("export", "--org", "甲乡党委", "--campaign", "nope", "-o", target)
    with pytest.raises(CommandError, match="没有名为“会计”的台账工作表"):
        call_command("export", "--org", "甲乡党委", "--sheet", "会计", "-o", target)
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("export", "--org", "甲乡党委", "-o", str(tmp_path / "x.xls"))
