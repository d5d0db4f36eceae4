"""The rectification ledgers: 问题清单 (a problem over the rows of its measures), 谈心谈话, 党建工作体检 — from
messy workbooks, idempotent, updated in place, refused with every error, and exported so as to re-import."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from taizhang.core.scoping import scope_for, subtree_ids
from taizhang.ledgers.importer import import_workbook
from taizhang.ledgers.sheets.rectify import CHECKS, PROBLEMS, TALKS
from taizhang.orgs.models import Member
from taizhang.rectify import services
from taizhang.rectify.choices import EntryKind, MeasureStatus, OwnerKind
from taizhang.rectify.models import HealthCheck, Measure, Problem, ProgressEntry, Remedy, Talk, TalkPerson

from .workbooks import book


def _png():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile("佐证.png", out.getvalue(), content_type="image/png")


D = datetime.date
PROBLEM_HEADER = [
    "序号",
    "责任主体",
    "问题描述",
    "问题类别",
    "问题来源",
    "整改措施",
    "整改标准",
    "责任领导",
    "责任人",
    "整改时限",
    "整改状态",
    "完成情况",
]
TALK_HEADER = ["日期", "类型", "谈话人", "谈话对象", "主要内容"]
CHECK_HEADER = ["日期", "组织", "等次", "发现问题", "检查人"]


def run(path, campaign, **kwargs):
    return import_workbook(path, campaign=campaign, **kwargs)


def errors_of(result):
    return [str(e) for e in result.errors]


def counts(result):
    return {s.name: (s.rows, s.created, s.updated, s.unchanged) for s in result.sheets}


def assert_has(messages, *parts):
    for part in parts:
        assert any(part in m for m in messages), (part, messages)


def problem_snapshot():
    """Every problem with its measures, by natural key, in plain values."""
    out = {}
    for p in Problem.objects.select_related("township", "owner_org", "owner_member"):
        measures = [
            (
                m.order,
                m.content,
                m.responsible_leader.name if m.responsible_leader_id else "",
                m.responsible_person.name if m.responsible_person_id else "",
                m.deadline,
                m.status,
                m.completed_on,
                m.completion_note,
            )
            for m in Measure.objects.filter(problem=p)
            .select_related("responsible_leader", "responsible_person")
            .order_by("order", "pk")
        ]
        out[(p.township.name, p.number)] = (
            p.owner_kind,
            p.owner_org.name,
            p.owner_member.name if p.owner_member_id else "",
            p.content,
            p.category,
            p.source,
            p.standard,
            p.found_on,
            measures,
        )
    return out


def export_book(tmp_path, sheet, campaign, org_ids, name):
    rows = [list(r) for r in sheet.export_rows(campaign, frozenset(org_ids))]
    header = [c.name for c in sheet.columns]
    return book(tmp_path, {sheet.name: [[f"{sheet.name}（导出）"], header, *rows]}, name=name), rows


def messy_problems(tmp_path, name="问题清单.xlsx"):
    """A township's 问题清单 as it comes in: a merged title, a 填报单位 line, a blank row, an extra column,
    columns in another order, a problem's cells merged over its two measures, another's left blank on its
    follow-on row, text dates in four spellings, a footer."""
    header = [
        "序号",
        "责任主体",
        "问题描述",
        "问题类别",
        "问题来源",
        "整改措施",
        "整改标准",
        "责任领导",
        "责任人",
        "整改时限（时间）",
        "整改状态*",
        "完成情况",
        "联系人",
    ]
    rows = [
        ["甲乡主题教育问题清单"],
        ["填报单位：甲乡党委", None, None, None, None, None, None, None, None, "填报日期：2024年1月31日"],
        [],
        header,
        [
            1,
            "班子",
            "理论学习不够系统深入",
            "理论学习",
            "查摆",
            "制定班子学习计划",
            "学习计划落实到位",
            "王五",
            "张三",
            "2023/12/31",
            "整改中",
            None,
            "x",
        ],
        [
            None,
            None,
            None,
            None,
            None,
            "每月集中学习一次",
            None,
            "王五",
            None,
            "2024.1.15",
            "已完成",
            "已集中学习4次",
        ],
        [
            " 2 ",
            "甲一村党支部",
            "组织生活不规范",
            "工作作风",
            "征求意见",
            "规范三会一课",
            "记录完整",
            None,
            "张三",
            "2023年11月30日",
            "未开始",
            None,
        ],
        [
            None,
            None,
            None,
            None,
            None,
            "建立组织生活台账",
            "台账齐全",
            None,
            "李四",
            "2023-12-15",
            None,
            None,
        ],
        [
            3,
            "班子成员： 王五",
            "调研不够深入",
            "担当作为",
            "调研",
            "每月到村调研一次",
            None,
            "王五",
            None,
            None,
            "长期坚持",
            "已形成制度",
        ],
        ["填表人：王五"],
    ]
    return book(
        tmp_path, {"问题清单": rows}, name=name, merges={"问题清单": ["A1:L1", "A5:A6", "B5:B6", "C5:C6"]}
    )


# 问题清单 --------------------------------------------------------------------------------------------


def test_problems_from_a_messy_workbook_and_again_adding_nothing(cast, campaign, tmp_path):
    path = messy_problems(tmp_path)
    result = run(path, campaign, actor=cast.admin_a, scope=scope_for(cast.admin_a))
    assert result.ok, errors_of(result)
    assert counts(result) == {"问题清单": (5, 5, 0, 0)}
    problems = {p.number: p for p in Problem.objects.all()}
    assert set(problems) == {1, 2, 3}
    one, two, three = problems[1], problems[2], problems[3]
    assert (one.owner_kind, one.owner_org, one.township) == (
        OwnerKind.LEADERSHIP,
        cast.township_a,
        cast.township_a,
    )
    assert (two.owner_kind, two.owner_org, two.township) == (
        OwnerKind.ORGANISATION,
        cast.branch_a1,
        cast.township_a,
    )
    assert (three.owner_kind, three.owner_org, three.owner_member) == (
        OwnerKind.LEADER,
        cast.township_a,
        cast.wang,
    )
    # No 发现日期 column: the campaign's start.
    assert {p.found_on for p in problems.values()} == {campaign.start_date}
    assert two.standard == "记录完整\n台账齐全" and one.standard == "学习计划落实到位"
    plan, monthly = Measure.objects.filter(problem=one).order_by("order")
    assert (plan.content, plan.responsible_leader, plan.responsible_person) == (
        "制定班子学习计划",
        cast.wang,
        cast.zhang,
    )
    assert (plan.deadline, plan.status, plan.completed_on) == (D(2023, 12, 31), "整改中", None)
    # Done by the import: its deadline as completion date; not signed off (销号 needs evidence), and no
    # closing made up in its progress log.
    assert (monthly.status, monthly.completed_on, monthly.completion_note) == (
        "已完成",
        D(2024, 1, 15),
        "已集中学习4次",
    )
    assert not monthly.is_signed_off and monthly.status_label == "已完成、待销号"
    assert [m.status for m in Measure.objects.filter(problem=two).order_by("order")] == ["未开始", "未开始"]
    ongoing = Measure.objects.get(problem=three)
    assert (ongoing.deadline, ongoing.completed_on) == (None, campaign.end_date)
    assert not ongoing.is_signed_off
    assert not ProgressEntry.objects.exists()
    assert one.history.first().history_user == cast.admin_a

    again = run(path, campaign, actor=cast.admin_a, scope=scope_for(cast.admin_a))
    assert again.ok, errors_of(again)
    assert counts(again) == {"问题清单": (5, 0, 0, 5)}
    assert (Problem.objects.count(), Measure.objects.count(), ProgressEntry.objects.count()) == (3, 5, 0)


def test_a_changed_row_updates_its_problem_and_measure_in_place(cast, campaign, tmp_path):
    assert run(messy_problems(tmp_path), campaign).ok
    ids = dict(Measure.objects.values_list("content", "pk"))
    changed = book(
        tmp_path,
        {
            "问题清单": [
                PROBLEM_HEADER,
                [
                    1,
                    "班子",
                    "理论学习不够系统深入",
                    "理论学习",
                    "查摆",
                    "制定班子学习计划",
                    "学习计划落实到位",
                    "王五",
                    "李四",
                    "2023-12-31",
                    "已完成",
                    "计划已印发",
                ],
                [
                    2,
                    "甲一村党支部",
                    "组织生活不够规范",
                    "工作作风",
                    "征求意见",
                    "规范三会一课",
                    "记录完整",
                    None,
                    "张三",
                    "2023-11-30",
                    "整改中",
                    None,
                ],
            ]
        },
        name="改.xlsx",
    )
    result = run(changed, campaign)
    assert result.ok, errors_of(result)
    assert counts(result) == {"问题清单": (2, 0, 2, 0)}
    assert (Problem.objects.count(), Measure.objects.count()) == (3, 5)
    plan = Measure.objects.get(pk=ids["制定班子学习计划"])
    assert (plan.status, plan.responsible_person, plan.completed_on, plan.completion_note) == (
        "已完成",
        cast.li,
        D(2023, 12, 31),
        "计划已印发",
    )
    assert Problem.objects.get(number=2).content == "组织生活不够规范"
    assert Measure.objects.get(pk=ids["规范三会一课"]).status == "整改中"
    # Measures the file leaves out are not deleted; a blank 整改状态 would have kept the stored one.
    assert Measure.objects.get(pk=ids["建立组织生活台账"]).status == "未开始"


def test_two_townships_number_their_problems_apart(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "问题清单": [
                PROBLEM_HEADER,
                [1, "甲一村党支部", "甲的问题", None, None, "甲的措施", None, None, None, None, None, None],
                [1, "乙一村党支部", "乙的问题", None, None, "乙的措施", None, None, None, None, None, None],
                [None, None, None, None, None, "乙的第二项措施", None, None, "赵六", None, None, None],
            ]
        },
    )
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    problems = {p.township: p for p in Problem.objects.all()}
    assert set(problems) == {cast.township_a, cast.township_b}
    assert problems[cast.township_b].measures.count() == 2
    assert run(path, campaign).ok and Problem.objects.count() == 2 and Measure.objects.count() == 3


def test_a_bad_problem_list_is_refused_with_sheet_row_and_column(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "问题清单": [
                PROBLEM_HEADER,
                [
                    None,
                    "甲一村党支部",
                    None,
                    None,
                    None,
                    "没有问题的措施",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
                [1, "丙村党支部", "组织不存在", None, None, "措施", None, None, None, None, None, None],
                [2, "甲一村党支部", "状态不对", None, None, "措施", None, None, None, None, "进行中", None],
                [
                    3,
                    "甲一村党支部",
                    "已完成未写完成情况",
                    None,
                    None,
                    "措施",
                    None,
                    None,
                    None,
                    "2023-12-01",
                    "已完成",
                    None,
                ],
                [4, "甲一村党支部", "好问题", None, None, "措施", None, None, None, None, None, None],
                [
                    None,
                    None,
                    "另一个问题却没写序号",
                    None,
                    None,
                    "措施二",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
                [5, "甲一村党支部", "只有责任人", None, None, None, None, None, "张三", None, None, None],
                [6, "甲一村党支部", "不认识的人", None, None, "措施", None, "刘某", None, None, None, None],
                [7, "班子成员：赵六", "外乡的人", None, None, "措施", None, None, "张三", None, None, None],
                [
                    8,
                    "甲乡党委班子",
                    "时限早于发现日期",
                    None,
                    None,
                    "措施",
                    None,
                    None,
                    None,
                    "2020-01-01",
                    None,
                    None,
                ],
                [9, "班子", "无从知道哪个乡", None, None, "措施", None, None, None, None, None, None],
                [10, "XX县委", "县委不是责任主体", None, None, "措施", None, None, None, None, None, None],
            ]
        },
    )
    result = run(path, campaign)
    messages = errors_of(result)
    assert not result.written and not Problem.objects.exists() and not Measure.objects.exists()
    assert all(m.startswith("工作表“问题清单”第") for m in messages), messages
    assert_has(
        messages,
        "第2行“序号”列：必填项，不能为空",
        "第3行“责任主体”列（丙村党支部）：没有这个组织",
        "第4行“整改状态”列（进行中）：应为未开始、整改中、已完成、长期坚持之一",
        "第7行“问题描述”列（另一个问题却没写序号）：与同一问题（序号4，第6行）的问题描述“好问题”不一致",
        "第8行“整改措施”列：请填写整改措施。本行填写了责任人，却没有整改措施",
        "第9行“责任领导”列（刘某）：没有这名党员",
        "第10行“责任人”列（张三）：责任人“张三”不是本乡党员",
        "第11行“整改时限”列（2020-01-01）：整改时限不能早于问题的发现日期（2023年9月1日）",
        "第12行：无法确定本行属于哪个乡镇",
        "第13行“责任主体”列（XX县委）：责任主体应为党总支、党支部的名称，或“班子”“班子成员：姓名”",
    )
    assert len(messages) == 10, messages  # row 5, 已完成 without 完成情况, is right (ledgers.md)


def test_a_leadership_problem_without_people_takes_the_default_township(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "问题清单": [
                PROBLEM_HEADER,
                [8, "班子", "作风不实", "工作作风", "查摆", "改作风"],
                [8, "甲乡党委 班子", "甲乡的作风", "工作作风", "查摆", "改作风"],
            ]
        },
    )
    result = run(path, campaign, township=cast.township_b)
    assert result.ok, errors_of(result)
    owners = dict(Problem.objects.values_list("owner_org", "content"))
    assert owners == {cast.township_b.pk: "作风不实", cast.township_a.pk: "甲乡的作风"}


def test_a_branch_secretary_imports_only_his_branchs_problems_and_cannot_reopen_a_signed_off_one(
    cast, campaign, tmp_path
):
    path = book(
        tmp_path,
        {
            "问题清单": [
                PROBLEM_HEADER,
                [
                    1,
                    "甲一村党支部",
                    "本支部",
                    None,
                    None,
                    "措施",
                    None,
                    None,
                    None,
                    "2023-12-01",
                    "已完成",
                    "已完成",
                ],
                [2, "班子", "班子的", None, None, "措施", None, "王五", None, None, None, None],
                [3, "甲机关党支部", "别的支部", None, None, "措施", None, None, None, None, None, None],
            ]
        },
    )
    secretary = {"actor": cast.sec_a1, "scope": scope_for(cast.sec_a1)}
    result = run(path, campaign, **secretary)
    assert not result.ok and not Problem.objects.exists()
    assert errors_of(result) == [
        "工作表“问题清单”第3行“责任主体”列（甲乡党委）：不在您的管理范围内，本行不能导入",
        "工作表“问题清单”第4行“责任主体”列（甲机关党支部）：不在您的管理范围内，本行不能导入",
    ]
    own = book(
        tmp_path,
        {
            "问题清单": [
                PROBLEM_HEADER,
                [
                    "1",
                    "甲一村党支部",
                    "本支部",
                    None,
                    None,
                    "措施",
                    None,
                    None,
                    None,
                    "2023-12-01",
                    "已完成",
                    "已完成",
                ],
            ]
        },
        name="本支部.xlsx",
    )
    assert run(own, campaign, **secretary).ok
    measure = Measure.objects.get()
    assert (measure.status, measure.is_signed_off) == (MeasureStatus.DONE, False)
    reopen = book(
        tmp_path,
        {
            "问题清单": [
                PROBLEM_HEADER,
                [
                    1,
                    "甲一村党支部",
                    "本支部",
                    None,
                    None,
                    "措施",
                    None,
                    None,
                    None,
                    "2023-12-01",
                    "整改中",
                    "已完成",
                ],
            ]
        },
        name="重新整改.xlsx",
    )
    # Not signed off, the measure is its owner's to take back to work, as on the measure form.
    assert run(reopen, campaign, **secretary).ok
    assert Measure.objects.get().status == MeasureStatus.IN_PROGRESS
    assert run(own, campaign, **secretary).ok
    signed = services.measure_sign_off(actor=cast.admin_a, measure=Measure.objects.get(), evidence=[_png()])
    result = run(reopen, campaign, **secretary)
    on = timezone.localdate(signed.signed_off_at)
    assert errors_of(result) == [
        "工作表“问题清单”第2行“整改状态”列（整改中）："
        f"该措施已于{on.year}年{on.month}月{on.day}日销号（已完成）；如需重新整改，请乡党委管理员撤销销号。"
    ]
    result = run(reopen, campaign, actor=cast.admin_a, scope=scope_for(cast.admin_a))
    assert result.ok, errors_of(result)
    measure = Measure.objects.get()
    assert (measure.status, measure.completed_on, measure.is_signed_off) == (
        MeasureStatus.IN_PROGRESS,
        None,
        False,
    )
    assert list(measure.entries.values_list("kind", flat=True).order_by("pk")) == [
        EntryKind.CLOSE,
        EntryKind.REOPEN,
    ]


def test_exported_problems_re_import_unchanged_and_into_an_empty_database(cast, campaign, tmp_path):
    assert run(messy_problems(tmp_path), campaign).ok
    # A namesake of 王五 elsewhere in the township: the export must say which one it means.
    Member.objects.create(name="王五", organisation=cast.branch_a1, category="农村")
    before = problem_snapshot()
    township = subtree_ids(cast.township_a.pk)
    path, rows = export_book(tmp_path, PROBLEMS, campaign, township, "导出.xlsx")
    assert len(rows) == 5 and rows[0][:2] == [1, "班子"]
    assert rows[4][1] == "班子成员：王五（甲机关党支部）" and rows[0][7] == "王五（甲机关党支部）"
    again = run(path, campaign)
    assert again.ok, errors_of(again)
    assert counts(again) == {"问题清单": (5, 0, 0, 5)}
    assert problem_snapshot() == before

    ProgressEntry.objects.all().delete()
    Measure.all_objects.all().delete()
    Problem.all_objects.all().delete()
    fresh = run(path, campaign)
    assert fresh.ok, errors_of(fresh)
    assert problem_snapshot() == before
    # From the county, several committees: 班子 says whose.
    county = subtree_ids(cast.county.pk)
    assert next(iter(PROBLEMS.export_rows(campaign, county)))[1] == "甲乡党委班子"


# 谈心谈话 --------------------------------------------------------------------------------------------


def test_talks_from_a_messy_workbook_count_person_times_and_update_in_place(cast, campaign, tmp_path):
    rows = [
        ["甲乡谈心谈话台账"],
        ["填报单位：甲乡党委"],
        [" 日期", "类型", "谈话人", "谈话对象", "主要内容", "备注"],
        ["2023年10月20日", "谈心谈话", "王五", "张三、 李四", "交流思想", None],
        [D(2023, 10, 21), "提醒谈话", "王五", "张三", "会议迟到", None],
        [None] * 5,
        ["2023.11.2", "谈心谈话", "张三", "李四;王五\n", "谈工作", None],
        ["审核：王五"],
    ]
    path = book(tmp_path, {"谈心谈话": rows})
    result = run(path, campaign, actor=cast.admin_a, scope=scope_for(cast.admin_a))
    assert result.ok, errors_of(result)
    assert counts(result) == {"谈心谈话": (3, 3, 0, 0)}
    assert TalkPerson.objects.count() == 5  # person-times
    first = Talk.objects.get(on=D(2023, 10, 20))
    assert (first.organisation, first.talker, first.kind) == (cast.township_a, cast.wang, "谈心谈话")
    assert set(first.persons.all()) == {cast.zhang, cast.li}
    assert first.history.first().history_user == cast.admin_a

    again = run(path, campaign)
    assert again.ok and counts(again) == {"谈心谈话": (3, 0, 0, 3)}
    assert (Talk.objects.count(), TalkPerson.objects.count()) == (3, 5)

    changed = book(
        tmp_path,
        {"谈心谈话": [TALK_HEADER, ["2023-10-20", "提醒谈话", "王五", "李四、张三", "指出不足"]]},
        name="改.xlsx",
    )
    result = run(changed, campaign)
    assert result.ok and counts(result) == {"谈心谈话": (1, 0, 1, 0)}
    first.refresh_from_db()
    assert (first.kind, first.content, Talk.objects.count()) == ("提醒谈话", "指出不足", 3)


def test_bad_talks_are_refused_with_every_error(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "谈心谈话": [
                TALK_HEADER,
                ["2023-10-20", "闲聊", "王五", "张三", None],
                ["2023-10-20", "谈心谈话", "王五", "张三、刘某", None],
                ["2023-10-20", "谈心谈话", "王五", "王五、张三", None],
                ["2023-10-20", "谈心谈话", "王五", "赵六", None],
                ["2023-10-22", "谈心谈话", "王五", "张三", None],
                ["2023/10/22", "提醒谈话", "王五", "张三", None],
                ["2099-01-01", "谈心谈话", "王五", "张三", None],
            ]
        },
    )
    result = run(path, campaign, township=cast.township_a)
    messages = errors_of(result)
    assert not result.written and not Talk.objects.exists()
    assert_has(
        messages,
        "工作表“谈心谈话”第2行“类型”列（闲聊）：应为谈心谈话、提醒谈话、批评教育、诫勉谈话之一",
        "第3行“谈话对象”列（刘某）：没有这名党员",
        "第4行“谈话对象”列（王五、张三）：谈话人不能同时是谈话对象",
        "第5行“谈话对象”列（赵六）：谈话对象“赵六”不是本乡党员",
        "第7行“谈话对象”列（张三）：与第6行是同一次谈话",
        "第8行“日期”列（2099-01-01）：谈话日期不能晚于今天",
    )
    secretary = run(
        book(
            tmp_path,
            {"谈心谈话": [TALK_HEADER, ["2023-10-20", "谈心谈话", "张三", "李四", None]]},
            name="2.xlsx",
        ),
        campaign,
        actor=cast.sec_a1,
        scope=scope_for(cast.sec_a1),
    )
    assert errors_of(secretary) == [
        "工作表“谈心谈话”第2行“谈话人”列（甲乡党委）：不在您的管理范围内，本行不能导入"
    ]


def test_exported_talks_re_import_unchanged(cast, campaign, tmp_path):
    Member.objects.create(name="李四", organisation=cast.branch_a2, category="农村")
    path = book(
        tmp_path,
        {
            "谈心谈话": [
                TALK_HEADER,
                ["2023-10-20", "谈心谈话", "王五", "张三、李四（甲一村党支部）", "交流思想"],
                ["2023-10-21", "诫勉谈话", "张三", "李四(甲机关党支部)", "严肃指出"],
            ]
        },
    )
    assert run(path, campaign).ok
    before = sorted(
        (t.on, t.kind, t.talker_id, t.content, tuple(sorted(t.persons.values_list("pk", flat=True))))
        for t in Talk.objects.all()
    )
    exported, rows = export_book(tmp_path, TALKS, campaign, subtree_ids(cast.township_a.pk), "导出.xlsx")
    assert (
        set(rows[0][3].split("、")) == {"张三", "李四（甲一村党支部）"}
        and rows[1][3] == "李四（甲机关党支部）"
    )
    again = run(exported, campaign)
    assert again.ok and counts(again) == {"谈心谈话": (2, 0, 0, 2)}
    TalkPerson.objects.all().delete()
    Talk.all_objects.all().delete()
    fresh = run(exported, campaign)
    assert fresh.ok, errors_of(fresh)
    after = sorted(
        (t.on, t.kind, t.talker_id, t.content, tuple(sorted(t.persons.values_list("pk", flat=True))))
        for t in Talk.objects.all()
    )
    assert after == before


# 党建工作体检 ----------------------------------------------------------------------------------------


def test_health_checks_from_a_messy_workbook_again_and_changed(cast, campaign, tmp_path):
    rows = [
        ["甲乡党建工作体检台账"],
        [],
        ["组织", "日期", "等次", "检查人", "发现问题"],  # columns in another order
        ["甲一村党支部", "2023.11.10", "较好", "王五、张三", "三会一课记录不够规范"],
        ["甲机关党支部", "2023年11月12日", "软弱涣散", None, None],
        ["填表说明：等次按好、较好、一般、软弱涣散填写"],
    ]
    path = book(tmp_path, {"党建工作体检": rows}, merges={"党建工作体检": ["A1:E1"]})
    result = run(path, campaign, actor=cast.admin_a, scope=scope_for(cast.admin_a))
    assert result.ok, errors_of(result)
    assert counts(result) == {"党建工作体检": (2, 2, 0, 0)}
    check = HealthCheck.objects.get(organisation=cast.branch_a1)
    assert (check.checked_on, check.grade, check.findings) == (
        D(2023, 11, 10),
        "较好",
        "三会一课记录不够规范",
    )
    assert set(check.checkers.all()) == {cast.wang, cast.zhang}

    again = run(path, campaign)
    assert again.ok and counts(again) == {"党建工作体检": (2, 0, 0, 2)} and HealthCheck.objects.count() == 2

    changed = book(
        tmp_path,
        {
            "党建工作体检": [
                CHECK_HEADER,
                ["2023-11-10", "甲一村党支部", "好", "已整改", "王五"],
                ["2023-11-12", "甲机关党支部", "软弱涣散", None, "王五"],
            ]
        },
        name="改.xlsx",
    )
    result = run(changed, campaign)
    assert result.ok and counts(result) == {"党建工作体检": (2, 0, 2, 0)}
    check.refresh_from_db()
    assert (check.grade, check.findings, list(check.checkers.all())) == ("好", "已整改", [cast.wang])
    assert HealthCheck.objects.count() == 2


def test_bad_health_checks_are_refused(cast, campaign, tmp_path):
    weak = HealthCheck.objects.create(
        campaign=campaign, organisation=cast.branch_a2, checked_on=D(2023, 11, 1), grade="软弱涣散"
    )
    Remedy.objects.create(
        campaign=campaign,
        organisation=cast.branch_a2,
        health_check=weak,
        plan="一村一策",
        leader=cast.wang,
        started_on=D(2023, 11, 2),
        deadline=D(2024, 1, 31),
    )
    path = book(
        tmp_path,
        {
            "党建工作体检": [
                CHECK_HEADER,
                ["2023-11-10", "甲乡党委", "好", None, None],
                ["2023-11-10", "甲一村党支部", "差", None, None],
                ["2023-11-10", "甲一村党支部", "好", None, "赵六"],
                ["2023-11-01", "甲机关党支部", "一般", None, None],
                ["2023-11-11", "甲一村党支部", "好", None, None],
                ["2023-11-11", "甲一村党支部", "一般", None, None],
            ]
        },
    )
    messages = errors_of(run(path, campaign))
    assert not HealthCheck.objects.exclude(pk=weak.pk).exists()
    assert_has(
        messages,
        "工作表“党建工作体检”第2行“组织”列（甲乡党委）：党建工作体检的对象是乡党委以下的党组织",
        "第3行“等次”列（差）：应为好、较好、一般、软弱涣散之一",
        "第4行“检查人”列（赵六）：检查人“赵六”不是本乡党员",
        "第5行“等次”列（一般）：已据此次体检（等次“软弱涣散”）开展软弱涣散整顿，等次不能再改",
        "第7行“日期”列（2023-11-11）：与第6行是同一次体检",
    )
    secretary = run(
        book(
            tmp_path,
            {"党建工作体检": [CHECK_HEADER, ["2023-11-10", "甲一村党支部", "好", None, None]]},
            name="2.xlsx",
        ),
        campaign,
        actor=cast.sec_a1,
        scope=scope_for(cast.sec_a1),
    )
    assert errors_of(secretary) == [
        "工作表“党建工作体检”第2行“组织”列（甲一村党支部）：只有乡党委管理员可以导入党建工作体检"
    ]


def test_exported_health_checks_re_import_unchanged(cast, campaign, tmp_path):
    Member.objects.create(name="张三", organisation=cast.branch_a2, category="农村")
    path = book(
        tmp_path,
        {
            "党建工作体检": [
                CHECK_HEADER,
                ["2023-11-10", "甲一村党支部", "较好", "记录不规范", "王五、张三（甲一村党支部）"],
                ["2023-11-12", "甲机关党支部", None, None, None],
            ]
        },
    )
    assert run(path, campaign).ok
    snapshot = lambda: sorted(  # noqa: E731
        (
            c.checked_on,
            c.organisation_id,
            c.grade,
            c.findings,
            tuple(sorted(c.checkers.values_list("pk", flat=True))),
        )
        for c in HealthCheck.objects.all()
    )
    before = snapshot()
    exported, rows = export_book(tmp_path, CHECKS, campaign, subtree_ids(cast.township_a.pk), "导出.xlsx")
    assert set(rows[0][4].split("、")) == {"王五", "张三（甲一村党支部）"}
    again = run(exported, campaign)
    assert again.ok and counts(again) == {"党建工作体检": (2, 0, 0, 2)}
    HealthCheck.all_objects.all().delete()
    fresh = run(exported, campaign)
    assert fresh.ok, errors_of(fresh)
    assert snapshot() == before


@pytest.mark.parametrize("sheet", [PROBLEMS, TALKS, CHECKS])
def test_the_examples_and_orders_follow_the_contract(sheet):
    assert len(sheet.example) == len(sheet.columns)
    assert {PROBLEMS.name: 50, TALKS.name: 55, CHECKS.name: 60}[sheet.name] == sheet.order
