"""Importing workbooks: the tree, members and meetings; messy layouts; all or nothing."""

import datetime

import pytest

from taizhang.core.scoping import scope_for
from taizhang.ledgers.importer import import_workbook
from taizhang.orgs.models import Member, Organisation
from taizhang.study.models import Attendance, Meeting

from .workbooks import book

MEETING_HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]


def run(path, campaign, **kwargs):
    return import_workbook(path, campaign=campaign, **kwargs)


def errors_of(result):
    return [str(e) for e in result.errors]


def test_a_tree_and_its_members_into_an_empty_database(db, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            # Sheets in any order, children before their parents.
            "党员": [
                ["姓名", "性别", "所在组织", "党员类别", "联系电话", "入党时间"],
                ["王书记", "男", "新村党支部", "农村", 13800000001, "1998年7月1日"],
                ["李四", "女", "新乡机关党支部", "在职", "13800000002", "2001.7.1"],
            ],
            "组织": [
                ["组织名称", "组织类型", "上级组织", "书记"],
                ["新村党支部", "党支部", "新乡党委", "王书记"],
                ["新乡机关党支部", "党支部", "新乡机关党总支", None],
                ["新乡机关党总支", "党总支", "新乡党委", None],
                ["新乡党委", "党委", None, None],
            ],
        },
    )
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    village = Organisation.objects.get(name="新村党支部")
    assert village.parent.name == "新乡党委" and village.secretary.name == "王书记"
    li = Member.objects.get(name="李四")
    assert (li.mobile, li.joined_on, li.organisation.parent.name) == (
        "13800000002",
        datetime.date(2001, 7, 1),
        "新乡机关党总支",
    )
    # The same file again adds nothing.
    again = run(path, campaign)
    assert again.ok and Organisation.objects.count() == 4 and Member.objects.count() == 2
    assert {s.name: (s.created, s.updated) for s in again.sheets} == {"组织": (0, 0), "党员": (0, 0)}


def test_meetings_with_attendance_under_a_title_and_above_a_footer(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "会议活动": [
                ["甲乡主题教育会议活动台账"],
                ["填报单位：甲乡党委", None, None, None, "填报日期：2023年12月1日"],
                [],
                [" 日期 ", "组织", "类型*", "主题", "主讲人", "地点", "参加人员", "参加人数（人）"],
                ["2023/9/15", "甲一村党支部", "专题研讨", "学习新思想", "张三", "村部", "张三、 李四", 2],
                [None] * 8,
                [
                    datetime.date(2023, 10, 8),
                    "甲一村党支部",
                    "专题党课",
                    "党课",
                    "陈明（省委党校）",
                    None,
                    "张三\n李四",
                    None,
                ],
                ["2023年11月2日", "甲一村党支部", "培训", "培训班", None, None, None, 30],
                ["填表人：王五"],
                ["不是数据", "甲一村党支部", "培训", "x"],
            ]
        },
    )
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    meetings = {m.topic: m for m in Meeting.objects.all()}
    assert set(meetings) == {"学习新思想", "党课", "培训班"}
    assert (
        meetings["学习新思想"].date == datetime.date(2023, 9, 15)
        and meetings["学习新思想"].speaker == cast.zhang
    )
    assert (meetings["党课"].speaker_name, meetings["党课"].speaker_unit) == ("陈明", "省委党校")
    assert meetings["培训班"].head_count == 30
    assert Attendance.objects.filter(meeting=meetings["学习新思想"], status="出席").count() == 2
    # Changed in place: one attendee fewer is marked absent, nothing is added.
    path = book(
        tmp_path,
        {
            "会议活动": [
                MEETING_HEADER,
                ["2023-09-15", "甲一村党支部", "专题研讨", "学习新思想", "张三", "村部", "张三", None],
            ]
        },
        name="改.xlsx",
    )
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    assert Meeting.objects.count() == 3
    statuses = dict(
        Attendance.objects.filter(meeting=meetings["学习新思想"]).values_list("member__name", "status")
    )
    assert statuses == {"张三": "出席", "李四": "缺席"}


def test_a_bad_file_is_refused_whole_with_every_error(cast, campaign, tmp_path):
    Member.objects.create(
        name="张三", organisation=cast.branch_b1, category="农村"
    )  # a namesake in township B
    path = book(
        tmp_path,
        {
            "会议活动": [
                MEETING_HEADER,
                ["2023-09-15", "甲一村党支部", "专题研讨", "好的一行", None, None, "李四", None],
                ["2023-13-45", "甲一村党支部", "专题研讨", "坏日期", None, None, None, None],
                ["2023-09-16", "甲一村党支部", "座谈会", "坏类型", None, None, None, None],
                ["2023-09-17", "没有的支部", "专题研讨", "坏组织", None, None, None, None],
                ["2023-09-18", "甲一村党支部", "专题研讨", "坏人名", None, None, "李四、刘某", None],
                ["2023-09-19", "甲一村党支部", "专题研讨", "人数不符", None, None, "李四", 3],
                ["2023-09-20", "甲一村党支部", "专题研讨", "=A1", None, None, None, None],
                ["2023-09-21", "甲一村党支部", "专题研讨", None, None, None, None, None],
            ]
        },
    )
    result = run(path, campaign)
    messages = errors_of(result)
    assert not result.written and Meeting.objects.count() == 0
    expected = [
        "第3行“日期”列（2023-13-45）：日期不存在",
        "第4行“类型”列（座谈会）：应为",
        "第5行“组织”列（没有的支部）：没有这个组织",
        "第6行“参加人员”列（刘某）：没有这名党员",
        "第7行“参加人数”列（3）：与参加人员的人数（1人）不符",
        "第8行“主题”列（=A1）：单元格是公式",
        "第9行“主题”列：必填项",
    ]
    for part in expected:
        assert any(part in m for m in messages), (part, messages)
    assert all(m.startswith("工作表“会议活动”") for m in messages)


def test_namesakes_are_resolved_within_the_township_or_by_organisation(cast, campaign, tmp_path):
    Member.objects.create(name="李四", organisation=cast.branch_a2, category="农村", mobile="13911112222")
    header = MEETING_HEADER
    ambiguous = book(
        tmp_path,
        {"会议活动": [header, ["2023-09-15", "甲一村党支部", "专题研讨", "x", None, None, "李四", None]]},
    )
    result = run(ambiguous, campaign)
    assert not result.ok
    assert "有2名同名党员（甲一村党支部、甲机关党支部），请写成“李四（组织名称）”" in errors_of(result)[0]
    clear = book(
        tmp_path,
        {
            "会议活动": [
                header,
                ["2023-09-15", "甲一村党支部", "专题研讨", "x", None, None, "李四(甲一村党支部)", None],
            ]
        },
        name="2.xlsx",
    )
    result = run(clear, campaign)
    assert result.ok, errors_of(result)
    assert Attendance.objects.get().member == cast.li


def test_a_branch_secretary_imports_only_his_own_branch(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "会议活动": [
                MEETING_HEADER,
                ["2023-09-15", "甲一村党支部", "专题研讨", "本支部", None, None, None, None],
                ["2023-09-15", "甲机关党支部", "专题研讨", "别的支部", None, None, None, None],
            ]
        },
    )
    result = run(path, campaign, actor=cast.sec_a1, scope=scope_for(cast.sec_a1))
    assert not result.ok and Meeting.objects.count() == 0
    assert errors_of(result) == [
        "工作表“会议活动”第3行“组织”列（甲机关党支部）：不在您的管理范围内，本行不能导入"
    ]


def test_a_dry_run_counts_and_writes_nothing(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {"会议活动": [MEETING_HEADER, ["2023-09-15", "甲一村党支部", "专题研讨", "x", None, None, None, 5]]},
    )
    result = run(path, campaign, dry_run=True)
    assert result.ok and not result.written and Meeting.objects.count() == 0
    assert [(s.name, s.rows, s.created) for s in result.sheets] == [("会议活动", 1, 1)]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a workbook at all", "文件不是 Excel 工作簿"),
        (b"PK\x03\x04 broken zip", "文件不是 Excel 工作簿"),
    ],
)
def test_a_file_that_is_not_excel(db, campaign, tmp_path, content, message):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    result = run(path, campaign)
    assert not result.ok and errors_of(result)[0].startswith(message)


def test_a_compressed_bomb_is_refused_before_reading(db, campaign, tmp_path):
    import zipfile

    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024)
        )  # 300 MB of zeros, ~300 KB packed
    result = run(path, campaign)
    assert not result.ok and "远超正常台账" in errors_of(result)[0]


def test_unknown_and_empty_sheets(cast, campaign, tmp_path):
    path = book(tmp_path, {"Sheet1": [], "会议活动": [], "杂项": [["随便写的"]]})
    result = run(path, campaign)
    messages = errors_of(result)
    assert any("工作表“杂项”：不认识的工作表" in m for m in messages)
    assert any("工作表“会议活动”：没有找到表头行" in m for m in messages)
    assert result.notices == ["空白工作表“Sheet1”已忽略。"]


def test_the_templates_example_row_is_skipped(cast, campaign, tmp_path):
    from taizhang.ledgers.writing import write_template

    path = tmp_path / "模板.xlsx"
    write_template(path, sheets=["会议活动"])
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook["会议活动"]
    sheet.cell(row=6, column=1, value=1)  # under the example, as a clerk fills it in (序号 first)
    for col, value in enumerate(
        ["2023-09-16", "甲一村党支部", "专题研讨", "真的一次", None, None, "张三"], start=2
    ):
        sheet.cell(row=6, column=col, value=value)
    workbook.save(path)
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    assert [m.topic for m in Meeting.objects.all()] == ["真的一次"]
    assert any("是模板中的示例，已跳过" in n for n in result.notices)


def test_a_study_plan_in_any_month_form_twice_adds_nothing(cast, campaign, tmp_path):
    from taizhang.study.models import PlannedMeeting

    rows = [
        ["组织", "月份", "类型", "计划主题"],
        ["甲一村党支部", "2023-09", "专题研讨", "学习"],
        ["甲一村党支部", "2023年10月", "党小组会", None],
        ["甲一村党支部", datetime.date(2023, 10, 20), "党小组会", None],  # two alike in one month
        ["甲一村党支部", "2023年13月", "党小组会", None],
    ]
    result = run(book(tmp_path, {"学习计划": rows}), campaign)
    assert errors_of(result) == ["工作表“学习计划”第5行“月份”列（2023年13月）：月份不存在"]
    path = book(tmp_path, {"学习计划": rows[:4]}, name="2.xlsx")
    assert run(path, campaign).ok and run(path, campaign).ok
    months = sorted((p.month.month, p.type) for p in PlannedMeeting.objects.all())
    assert months == [(9, "专题研讨"), (10, "党小组会"), (10, "党小组会")]


def test_the_command_reports_counts_progress_and_errors(cast, campaign, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good = book(
        tmp_path,
        {
            "会议活动": [
                MEETING_HEADER,
                ["2023-09-15", "甲一村党支部", "专题研讨", "学习", None, None, "张三", None],
            ]
        },
    )
    out, err = StringIO(), StringIO()
    call_command("import", str(good), "--dry-run", stdout=out, stderr=err)
    assert "会议活动：1行，新增1，更新0，未变0" in out.getvalue() and "检查通过（未写入）" in out.getvalue()
    assert "会议活动：已读 1 行" in err.getvalue()  # progress
    assert Meeting.objects.count() == 0
    call_command("import", str(good), stdout=StringIO(), stderr=StringIO())
    assert Meeting.objects.count() == 1
    bad = book(
        tmp_path,
        {"会议活动": [MEETING_HEADER, ["2023-09-15", "甲一村党支部", "座谈", "x", None, None, None, None]]},
        name="bad.xlsx",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="共1处错误，未写入任何记录"):
        call_command("import", str(bad), stdout=StringIO(), stderr=err)
    assert "第2行“类型”列（座谈）" in err.getvalue()


def test_a_batch_writes_each_record_once_with_history_and_counts_each_row(cast, campaign):
    from taizhang.core.scoping import EVERYTHING
    from taizhang.ledgers.context import Batch, ImportContext, changed
    from taizhang.ledgers.plan import apply
    from taizhang.ledgers.sheets.orgs import MEMBERS

    ctx = ImportContext(campaign=campaign, scope=EVERYTHING, actor=cast.admin_a)
    ctx.sheet = MEMBERS
    batch = Batch(ctx, Member)
    new = Member(name="新人", organisation=cast.branch_a1, category="农村")
    batch.add(new)
    batch.add(new)  # a second row of the same new member that changes nothing
    li = ctx.members_by_name["李四"][0]
    batch.add(li, changed(li, {"organisation_id": cast.branch_a2.pk}))  # an attname: written as organisation
    batch.add(li, changed(li, {"mobile": "13800009999"}))  # the same member again: written once, both fields
    batch.add(ctx.members_by_name["张三"][0], changed(ctx.members_by_name["张三"][0], {"category": "农村"}))
    batch.write()
    assert dict(ctx.counts["党员"]) == {"created": 1, "updated": 1, "unchanged": 2}
    assert not Member.objects.filter(name="新人").exists()  # planned, not yet written
    apply(ctx.plan)
    assert Member.objects.filter(name="新人").count() == 1
    li.refresh_from_db()
    assert (li.organisation_id, li.mobile) == (cast.branch_a2.pk, "13800009999")
    assert li.history.count() == 2 and li.history.first().history_user == cast.admin_a
    # Not counted: for records the caller counts itself.
    quiet = Batch(ctx, Member, counted=False)
    quiet.add(Member(name="又一人", organisation=cast.branch_a1, category="农村"))
    quiet.add(li)
    quiet.write()
    assert dict(ctx.counts["党员"]) == {"created": 1, "updated": 1, "unchanged": 2}
    ctx.plan.steps = ctx.plan.steps[-1:]  # the batch's one step (the first ones are written)
    apply(ctx.plan)
    assert Member.objects.filter(name="又一人").exists()


def test_a_full_template_with_one_sheet_filled_imports_that_sheet(cast, campaign, tmp_path):
    from openpyxl import load_workbook

    from taizhang.ledgers.writing import write_template

    path = tmp_path / "模板.xlsx"
    write_template(path)
    blank = run(path, campaign)
    assert errors_of(blank) == ["工作簿中没有数据行：请在表头下填写后再导入。"]
    workbook = load_workbook(path)
    for col, value in enumerate(["2023-09-16", "甲一村党支部", "专题研讨", "只填了这一行"], start=2):
        workbook["会议活动"].cell(row=5, column=col, value=value)
    workbook.save(path)
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    assert [m.topic for m in Meeting.objects.all()] == ["只填了这一行"]
    assert "工作表“组织”表头下没有数据，已跳过。" in result.notices
