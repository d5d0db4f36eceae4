"""Bad input to the ledger import, as townships send it: each is refused with a Chinese message naming sheet,
row, column and value (or normalised, where that is the rule), and nothing is written after a refusal."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from taizhang.ledgers.importer import SHOWN_ERRORS, import_workbook
from taizhang.orgs.models import Member, Organisation
from taizhang.study.models import Meeting

from .workbooks import book

MEETING_HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]
MEMBER_HEADER = ["姓名", "性别", "所在组织", "党员类别", "联系电话", "入党时间"]
EXCEL_ERRORS = ["#REF!", "#VALUE!", "#N/A", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"]
FUTURE = datetime.date.today() + datetime.timedelta(days=400)


def meeting_row(**changes):
    row = dict(
        zip(
            MEETING_HEADER,
            ["2023-09-15", "甲一村党支部", "专题研讨", "学习", None, None, None, None],
            strict=True,
        )
    )
    row.update(changes)
    return [row[name] for name in MEETING_HEADER]


def member_row(**changes):
    row = dict(
        zip(MEMBER_HEADER, ["苏平", "男", "甲一村党支部", "农村", "13800005555", "2001-07-01"], strict=True)
    )
    row.update(changes)
    return [row[name] for name in MEMBER_HEADER]


def counts():
    return Organisation.objects.count(), Member.objects.count(), Meeting.objects.count()


def errors_of(result):
    return [str(e) for e in result.errors]


def refused(path, campaign, *expected):
    """Import, and check that nothing was written and every expected part is in some message."""
    before = counts()
    result = import_workbook(path, campaign=campaign)
    messages = errors_of(result)
    assert not result.ok and not result.written, messages
    assert counts() == before
    for part in expected:
        assert any(part in m for m in messages), (part, messages)
    for message in messages:  # never Python's own words
        assert "Error" not in message and "invalid literal" not in message and "Traceback" not in message
    return messages


# -- cells: one bad row of 会议活动 or 党员 each ------------------------------------------------------------

CELL_CASES = [
    # (sheet, row, what the message must say)
    *[
        ("会议活动", meeting_row(主题=e), f"第2行“主题”列（{e}）：主题是 Excel 错误值“{e}”")
        for e in EXCEL_ERRORS
    ],
    *[("会议活动", meeting_row(地点=e), f"第2行“地点”列（{e}）：地点是 Excel 错误值") for e in EXCEL_ERRORS],
    *[("会议活动", meeting_row(参加人数=e), f"第2行“参加人数”列（{e}）") for e in EXCEL_ERRORS[:2]],
    *[("会议活动", meeting_row(日期=e), f"第2行“日期”列（{e}）") for e in EXCEL_ERRORS[:2]],
    *[
        ("党员", member_row(联系电话=e), f"第2行“联系电话”列（{e}）：联系电话是 Excel 错误值")
        for e in EXCEL_ERRORS
    ],
    ("会议活动", meeting_row(参加人数="²"), "第2行“参加人数”列（²）：不是整数：不能含上标"),
    ("会议活动", meeting_row(参加人数="3²"), "“参加人数”列（3²）：不是整数"),
    ("会议活动", meeting_row(参加人数=True), "第2行“参加人数”列（True）：不是整数：不能是 TRUE/FALSE"),
    ("会议活动", meeting_row(参加人数=False), "“参加人数”列（False）：不是整数"),
    ("会议活动", meeting_row(参加人数=2.5), "第2行“参加人数”列（2.5）：不是整数：不能有小数"),
    ("会议活动", meeting_row(参加人数="2.5人"), "“参加人数”列（2.5人）：不是整数"),
    ("会议活动", meeting_row(参加人数=-3), "第2行“参加人数”列（-3）：不能为负数"),
    ("会议活动", meeting_row(参加人数=10**20), "第2行“参加人数”列（100000000000000000000）：数值过大"),
    ("会议活动", meeting_row(日期="2023-02-30"), "第2行“日期”列（2023-02-30）：日期不存在"),
    ("会议活动", meeting_row(日期=100), "第2行“日期”列（100）：不是日期"),
    ("会议活动", meeting_row(日期="9999-12-31"), "第2行“日期”列（9999-12-31）：日期不能晚于一年以后"),
    ("会议活动", meeting_row(日期=FUTURE), f"“日期”列（{FUTURE.isoformat()}）：日期不能晚于一年以后"),
    ("会议活动", meeting_row(主题="=1+1"), "第2行“主题”列（=1+1）：单元格是公式"),
    ("会议活动", meeting_row(主题="=cmd|' /C calc'!A0"), "第2行“主题”列（=cmd|' /C calc'!A0）：单元格是公式"),
    ("会议活动", meeting_row(主题="学习\x9b"), "第2行“主题”列（学习�）：主题含有不可见的控制字符（U+009B）"),
    (
        "会议活动",
        meeting_row(主题="字" * 201),
        "第2行“主题”列（" + "字" * 50 + "…）：主题最多200个字，现有201个字",
    ),
    (
        "会议活动",
        meeting_row(地点="村" * (100 * 1024)),
        "“地点”列（" + "村" * 50 + "…）：地点最多100个字，现有",
    ),
    (
        "会议活动",
        meeting_row(参加人员="张" * (100 * 1024)),
        "“参加人员”列（" + "张" * 50 + "…）：参加人员最多5000个字",
    ),
    ("会议活动", meeting_row(组织="没有的支部"), "第2行“组织”列（没有的支部）：没有这个组织"),
    (
        "党员",
        member_row(入党时间="1899-12-31"),
        "第2行“入党时间”列（1899-12-31）：入党时间1899年12月31日早于建党日期",
    ),
    (
        "党员",
        member_row(入党时间="1921-06-30"),
        "“入党时间”列（1921-06-30）：入党时间1921年6月30日早于建党日期",
    ),
    ("党员", member_row(入党时间=datetime.date(1899, 12, 31)), "第2行“入党时间”列（1899-12-31）：不是日期"),
    (
        "党员",
        member_row(入党时间="2099-01-01"),
        "第2行“入党时间”列（2099-01-01）：入党时间2099年1月1日晚于今天",
    ),
    (
        "党员",
        member_row(入党时间=datetime.datetime(2099, 1, 1)),
        "“入党时间”列（2099-01-01）：入党时间2099年1月1日晚于今天",
    ),
    ("党员", member_row(联系电话="1380000555"), "第2行“联系电话”列（1380000555）：不是11位手机号码"),
    (
        "党员",
        member_row(联系电话="138000055551234"),
        "第2行“联系电话”列（138000055551234）：不是11位手机号码",
    ),
    ("党员", member_row(联系电话=1380000555), "“联系电话”列（1380000555）：不是11位手机号码"),
    ("党员", member_row(联系电话="1380000555²"), "“联系电话”列（1380000555²）：不是11位手机号码"),
    ("党员", member_row(姓名="苏" * 51), "第2行“姓名”列（" + "苏" * 50 + "…）：姓名最多50个字，现有51个字"),
]


@pytest.mark.parametrize(
    "sheet, row, message", CELL_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CELL_CASES)]
)
def test_a_bad_cell_is_refused_naming_sheet_row_column_and_value(
    cast, campaign, tmp_path, sheet, row, message
):
    header = MEETING_HEADER if sheet == "会议活动" else MEMBER_HEADER
    path = book(tmp_path, {sheet: [header, row]})
    if message.startswith("“"):
        message = f"第2行{message}"
    messages = refused(path, campaign, f"工作表“{sheet}”{message}")
    assert len(messages) == 1, messages


def test_an_excel_error_cell_as_openpyxl_reads_it(cast, campaign, tmp_path):
    """An error cell (t="e"): refused whatever the column; text written '#N/A is text (test_writing)."""
    path = book(tmp_path, {"会议活动": [MEETING_HEADER, meeting_row()]})
    workbook = load_workbook(path)
    cell = workbook["会议活动"]["D2"]
    cell.value, cell.data_type = "#DIV/0!", "e"
    workbook.save(path)
    refused(path, campaign, "工作表“会议活动”第2行“主题”列（#DIV/0!）：主题是 Excel 错误值")


# -- normalised, not refused --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, stored",
    [
        ("1380001111２", "13800011112"),
        ("138٠٠٠١١١١٢", "13800011112"),
        ("+86 138 0000 5555", "13800005555"),
        ("+8613800005555", "13800005555"),
        ("138 0000 5555", "13800005555"),
        ("１３８００００５５５５", "13800005555"),
        (13800005555, "13800005555"),
    ],
)
def test_mobiles_are_normalised(cast, campaign, tmp_path, written, stored):
    path = book(tmp_path, {"党员": [MEMBER_HEADER, member_row(联系电话=written)]})
    result = import_workbook(path, campaign=campaign)
    assert result.ok, errors_of(result)
    assert Member.objects.get(name="苏平").mobile == stored


@pytest.mark.parametrize(
    "name",
    [
        "苏\u200b平",
        "\ufeff苏平",
        "\u200f苏平",
        "苏平\u00a0",
        "苏\u3000平".replace("\u3000", ""),
        " 苏平\u2060",
    ],
)
def test_a_look_alike_name_is_the_same_member(cast, campaign, tmp_path, name):
    Member.objects.create(name="苏平", organisation=cast.branch_a1, category="农村", mobile="13800005555")
    path = book(tmp_path, {"党员": [MEMBER_HEADER, member_row(姓名=name)]})
    result = import_workbook(path, campaign=campaign)
    assert result.ok, errors_of(result)
    assert list(Member.objects.filter(name__contains="平").values_list("name", flat=True)) == ["苏平"]


def test_names_in_other_sheets_are_normalised_too(cast, campaign, tmp_path):
    row = meeting_row(
        组织="甲一村\u200b党支部",
        主题="学习\u00a0新思想\u200f",
        参加人员="张\u200b三、李四\ufeff",
        参加人数="２",
    )
    path = book(tmp_path, {"会议活动": [MEETING_HEADER, row]})
    result = import_workbook(path, campaign=campaign)
    assert result.ok, errors_of(result)
    meeting = Meeting.objects.get()
    assert meeting.topic == "学习 新思想"
    assert sorted(meeting.attendances.values_list("member__name", flat=True)) == ["张三", "李四"]


def test_xss_sql_and_formula_like_text_is_stored_as_text_and_shown_escaped(cast, campaign, tmp_path, client):
    topics = ["<script>alert(1)</script>", "'; DROP TABLE study_meeting; --", "+86", "-5", "@x", "=1+1"]
    path = book(
        tmp_path,
        {
            "会议活动": [
                MEETING_HEADER,
                *(meeting_row(日期=f"2023-09-{10 + i}", 主题=t) for i, t in enumerate(topics)),
            ]
        },
    )
    workbook = load_workbook(path)
    cell = workbook["会议活动"]["D7"]  # text that begins with =, as a clerk types it: '=1+1
    cell.value, cell.data_type = "=1+1", "s"
    workbook.save(path)
    result = import_workbook(path, campaign=campaign)
    assert result.ok, errors_of(result)
    assert set(Meeting.objects.values_list("topic", flat=True)) == set(topics)
    client.force_login(cast.admin_a)
    page = client.get(Meeting.objects.get(topic=topics[0]).get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    # Exported as text: Excel shows it and never runs it.
    from taizhang.ledgers.writing import write_ledgers

    out = tmp_path / "导出.xlsx"
    write_ledgers(out, campaign, cast.township_a, sheets=["会议活动"])
    cells = {c.value: c for c in load_workbook(out)["会议活动"]["E"] if c.value in topics}
    for text in ("=1+1", "+86", "-5", "@x"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text


# -- sheets -------------------------------------------------------------------------------------------------


def test_two_columns_of_the_same_name_are_refused_naming_both(cast, campaign, tmp_path):
    path = book(tmp_path, {"会议活动": [[*MEETING_HEADER, "主题"], [*meeting_row(), "另一个主题"]]})
    refused(path, campaign, "工作表“会议活动”第1行“主题”列：表头中D、I列都是“主题”")


def test_a_header_of_ten_thousand_columns_is_refused(cast, campaign, tmp_path):
    extra = [f"列{i}" for i in range(10_000 - len(MEETING_HEADER))]
    path = book(tmp_path, {"会议活动": [[*MEETING_HEADER, *extra], meeting_row()]})
    refused(path, campaign, "表头有10000列，超过200列")


def test_only_unknown_sheets(cast, campaign, tmp_path):
    path = book(tmp_path, {"花名册": [["姓名"], ["张三"]], "Sheet2": [["x"]]})
    refused(path, campaign, "工作表“花名册”：不认识的工作表", "工作表“Sheet2”：不认识的工作表")


def test_a_sheet_without_a_header_row(cast, campaign, tmp_path):
    path = book(tmp_path, {"会议活动": [meeting_row(), meeting_row(主题="又一次")]})
    refused(path, campaign, "工作表“会议活动”：没有找到表头行（应含日期、组织、类型、主题）")


def test_two_thousand_wrong_rows_give_a_capped_list_that_says_how_many_more(cast, campaign, tmp_path):
    rows = [meeting_row(日期=f"2023-13-{1 + i % 28}", 主题=f"会{i}") for i in range(2000)]
    path = book(tmp_path, {"会议活动": [MEETING_HEADER, *rows]})
    messages = refused(path, campaign, "第2行“日期”列（2023-13-1）：日期不存在")
    assert len(messages) == SHOWN_ERRORS + 1
    assert messages[-1].startswith(f"另有{2000 - SHOWN_ERRORS}条错误未列出")


def test_good_and_bad_rows_mixed_write_nothing(cast, campaign, tmp_path):
    rows = [
        meeting_row(主题="好的"),
        meeting_row(主题="#VALUE!"),
        meeting_row(日期="2023-09-16", 主题="也好"),
    ]
    path = book(tmp_path, {"会议活动": [MEETING_HEADER, *rows]})
    messages = refused(path, campaign, "第3行“主题”列（#VALUE!）")
    assert len(messages) == 1


def test_the_same_meeting_row_twice_is_one_meeting(cast, campaign, tmp_path):
    path = book(tmp_path, {"会议活动": [MEETING_HEADER, meeting_row(), meeting_row()]})
    result = import_workbook(path, campaign=campaign)
    assert result.ok, errors_of(result)
    assert Meeting.objects.count() == 1


def test_a_booleans_as_counts_row(cast, campaign, tmp_path):
    book_ = Workbook()
    ws = book_.active
    ws.title = "宣传"
    ws.append(["日期", "组织", "类型", "数量", "内容或位置"])
    ws.append(["2023-09-15", "甲一村党支部", "横幅标语", True, "村口"])
    path = tmp_path / "宣传.xlsx"
    book_.save(path)
    refused(path, campaign, "工作表“宣传”第2行“数量”列（True）：不是整数：不能是 TRUE/FALSE")


# -- files --------------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _good_xlsx(tmp_path) -> bytes:
    return book(tmp_path, {"会议活动": [MEETING_HEADER, meeting_row()]}, name="good.xlsx").read_bytes()


def _garbled_workbook_xml(tmp_path) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_good_xlsx(tmp_path))) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/workbook.xml"] = b"<workbook><sheets><sheet name='\xe4\xbc"
    return _zip(members)


def _garbled_sheet_xml(tmp_path) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_good_xlsx(tmp_path))) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    members[sheet] = members[sheet][: len(members[sheet]) // 2]
    return _zip(members)


FILE_CASES = [
    ("text", lambda tmp: "日期,组织\n2023-09-15,甲一村党支部\n".encode(), "文件不是 Excel 工作簿"),
    ("empty", lambda tmp: b"", "文件是空的"),
    ("plain zip", lambda tmp: _zip({"readme.txt": b"hello"}), "文件不是 Excel 工作簿"),
    ("xls", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "旧版 .xls"),
    ("truncated", lambda tmp: _good_xlsx(tmp)[:2000], "已损坏、不完整"),
    ("garbled workbook.xml", _garbled_workbook_xml, "无法读取该工作簿"),
    ("garbled sheet xml", _garbled_sheet_xml, "已损坏"),
]


@pytest.mark.parametrize("kind, content, message", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_a_file_that_is_no_workbook_is_refused_in_chinese(cast, campaign, tmp_path, kind, content, message):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content(tmp_path))
    messages = refused(path, campaign, message)
    assert len(messages) == 1


def test_a_workbook_named_xls(cast, campaign, tmp_path):
    """The upload form goes by the name; the importer by the content (a real workbook is read)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from taizhang.ledgers.forms import UploadForm

    form = UploadForm(files={"file": SimpleUploadedFile("台账.xls", _good_xlsx(tmp_path))})
    assert not form.is_valid()
    assert "“台账.xls”不是 .xlsx 文件" in form.errors["file"][0]
    path = tmp_path / "台账.xls"
    path.write_bytes(_good_xlsx(tmp_path))
    assert import_workbook(path, campaign=campaign).ok


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../台账.xlsx", "台账.xlsx"),
        ("..\\..\\台账.xlsx", "台账.xlsx"),
        ("报表\u202exslx.exe", "报表xslx.exe"),
    ],
)
def test_an_uploaded_file_name_is_kept_safe(cast, campaign, tmp_path, settings, name, shown):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from taizhang.ledgers import jobs
    from taizhang.ledgers.forms import UploadForm

    settings.VAR_DIR = tmp_path
    upload = SimpleUploadedFile(name, _good_xlsx(tmp_path))
    job = jobs.start(upload, user=cast.admin_a, campaign=campaign, township=cast.township_a)
    assert job.filename == shown
    assert jobs.file(job).parent.parent == tmp_path / "imports" and jobs.file(job).exists()
    form = UploadForm(files={"file": SimpleUploadedFile(name.replace(".xlsx", ".txt"), b"x")})
    if not form.is_valid():
        assert "\u202e" not in form.errors["file"][0] and "../" not in form.errors["file"][0]
