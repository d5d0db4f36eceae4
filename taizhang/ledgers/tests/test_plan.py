"""Checking a workbook writes nothing; importing it writes only after the whole file is checked, in one
transaction; what the check plans is what the import writes, across chunks and sheets (ledgers/plan.py)."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection

from taizhang.ledgers import importer
from taizhang.ledgers.sheets.study import MEETINGS
from taizhang.orgs.models import Member, Organisation
from taizhang.study.models import Attendance, MakeUp, Meeting

from .test_import import MEETING_HEADER, errors_of, run
from .workbooks import book

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)


@contextmanager
def watching_writes():
    """The write statements run in the block, each with the depth of transactions it ran in."""
    writes: list[tuple[str, int]] = []

    def watch(execute, sql, params, many, context):
        if WRITE.match(sql) and "taizhang_core_dataversion" not in sql.lower():
            writes.append((sql, len(connection.atomic_blocks)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield writes


def new_branch_book(tmp_path, last=("赵新、钱新", 2)):
    """A new branch and its members, their meetings (one meeting twice, its last row listing `last`) and a
    补学 of one of those meetings: every later sheet names what an earlier one adds."""
    return book(
        tmp_path,
        {
            "组织": [
                ["组织名称", "组织类型", "上级组织", "书记"],
                ["甲新村党支部", "党支部", "甲乡党委", "赵新"],
            ],
            "党员": [
                ["姓名", "性别", "所在组织", "党员类别", "联系电话"],
                ["赵新", "男", "甲新村党支部", "农村", "13800001001"],
                ["钱新", "女", "甲新村党支部", "农村", "13800001002"],
            ],
            "会议活动": [
                MEETING_HEADER,
                ["2023-09-15", "甲新村党支部", "专题研讨", "第一次", "赵新", "村部", "赵新、钱新", 2],
                ["2023-09-20", "甲新村党支部", "专题党课", "第二次", "赵新", "村部", "赵新", 1],
                ["2023-09-25", "甲一村党支部", "专题研讨", "甲一村的", "张三", "村部", "张三、李四", 2],
                ["2023-09-15", "甲新村党支部", "专题研讨", "第一次", "赵新", "村部", *last],
            ],
            "补学": [
                ["日期", "党员", "补学会议日期", "补学会议主题", "方式"],
                ["2023-09-22", "钱新", "2023-09-20", "第二次", "送书上门"],
            ],
        },
    )


def state():
    """What the import leaves, by natural keys (ids differ between runs)."""
    return {
        "orgs": sorted(
            (o.name, o.parent.name if o.parent else "", str(o.secretary or ""))
            for o in Organisation.objects.all()
        ),
        "members": sorted((m.name, m.organisation.name, m.mobile) for m in Member.objects.all()),
        "meetings": sorted(
            (str(m.date), m.organiser.name, m.topic, str(m.speaker or "")) for m in Meeting.objects.all()
        ),
        "attendance": sorted(
            (a.meeting.topic, a.member.name, a.status)
            for a in Attendance.all_objects.select_related("meeting", "member")
        ),
        "makeups": sorted((m.member.name, m.meeting.topic, m.method) for m in MakeUp.objects.all()),
    }


def counts(result):
    return {s.name: (s.rows, s.created, s.updated, s.unchanged) for s in result.sheets}


def test_checking_a_workbook_writes_nothing_and_counts_what_the_import_writes(cast, campaign, tmp_path):
    path = new_branch_book(tmp_path)
    before = state()
    with watching_writes() as writes:
        checked = run(path, campaign, dry_run=True)
    assert checked.ok, errors_of(checked)
    assert writes == [] and state() == before and not checked.written
    imported = run(path, campaign)
    assert imported.ok and imported.written
    assert counts(imported) == counts(checked)
    assert counts(imported) == {
        "组织": (1, 1, 0, 0),
        "党员": (2, 2, 0, 0),
        "会议活动": (4, 3, 0, 1),  # the fourth row is the first meeting again
        "补学": (1, 1, 0, 0),
    }
    after = state()
    assert ("甲新村党支部", "甲乡党委", "赵新") in after["orgs"]
    assert {("第一次", "钱新", "出席"), ("第一次", "赵新", "出席")} <= set(after["attendance"])
    assert after["makeups"] == [("钱新", "第二次", "送书上门")]
    assert run(path, campaign).written and state() == after  # again: nothing more


def test_the_write_begins_once_the_whole_file_is_checked_and_is_one_transaction(cast, campaign, tmp_path):
    path = new_branch_book(tmp_path)
    depth = len(connection.atomic_blocks)
    seen_at_progress = []
    with watching_writes() as writes:
        result = run(path, campaign, progress=lambda sheet, *_: seen_at_progress.append((sheet, len(writes))))
    assert result.written and seen_at_progress[-1] == (
        importer.WRITING,
        0,
    )  # every sheet checked, none written
    assert {n for _, n in seen_at_progress} == {0}
    assert len(writes) > 5 and all(d > depth for _, d in writes)  # in the import's transaction


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_rows_of_one_record_in_several_chunks_are_written_as_in_one(
    cast, campaign, tmp_path, monkeypatch, chunk
):
    path = new_branch_book(tmp_path)
    whole = run(path, campaign, dry_run=True)
    monkeypatch.setattr(MEETINGS, "chunk", chunk)
    chunked = run(path, campaign)
    assert chunked.ok, errors_of(chunked)
    assert counts(chunked) == counts(whole)
    assert Meeting.objects.filter(topic="第一次").count() == 1
    assert Attendance.objects.filter(meeting__topic="第一次", status="出席").count() == 2


def test_a_later_chunk_marks_absent_whom_it_no_longer_lists(cast, campaign, tmp_path, monkeypatch):
    path = new_branch_book(tmp_path, last=("赵新", 1))
    monkeypatch.setattr(MEETINGS, "chunk", 3)  # the fourth row (the first meeting again) in a second chunk
    checked = run(path, campaign, dry_run=True)
    result = run(path, campaign)
    assert result.ok and counts(result) == counts(checked)
    assert counts(result)["会议活动"] == (4, 3, 1, 0)
    assert set(Attendance.objects.filter(meeting__topic="第一次").values_list("member__name", "status")) == {
        ("赵新", "出席"),
        ("钱新", "缺席"),  # not deleted: recorded present, then not listed
    }


def test_a_write_that_meets_a_concurrent_change_is_planned_again(cast, campaign, tmp_path, monkeypatch):
    path = new_branch_book(tmp_path)
    real, calls = importer.apply, []

    def once_then_real(plan):
        calls.append(plan)
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: study_meeting (someone else added it)")
        real(plan)

    monkeypatch.setattr(importer, "apply", once_then_real)
    result = run(path, campaign)
    assert result.ok and result.written and len(calls) == 2
    assert Meeting.objects.filter(organiser__name="甲新村党支部").count() == 2


def test_a_write_that_keeps_failing_writes_nothing_and_says_so(cast, campaign, tmp_path, monkeypatch):
    path = new_branch_book(tmp_path)

    def conflict(plan):
        Meeting.objects.filter(organiser__name="甲一村党支部").delete()  # a first write, undone with the rest
        raise IntegrityError("UNIQUE constraint failed")

    before = state()
    monkeypatch.setattr(importer, "apply", conflict)
    result = run(path, campaign)
    assert not result.written and errors_of(result) == [importer.CONFLICT]
    assert "其他用户正在修改相同的记录" in importer.CONFLICT
    assert state() == before
