"""The data version moves after every committed write to a Taizhang table, whatever path the write took, and
only then; a transaction's own writes give it a version of its own (core.versions)."""

import datetime

import pytest
from django.db import connection, transaction

from taizhang.campaigns.models import Campaign
from taizhang.core import versions
from taizhang.core.models import DataVersion
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.orgs.choices import MemberCategory
from taizhang.orgs.models import Member

pytestmark = pytest.mark.django_db(transaction=True)  # commits for real: on_commit runs


def committed():
    return versions.current()[0]


def moved(before) -> int:
    """How many times the committed version moved since `before` (its epoch unchanged)."""
    after = committed()
    assert after[0] == before[0]
    return after[1] - before[1]


def new_member(cast, name="新党员"):
    return Member(name=name, organisation=cast.branch_a1, category=MemberCategory.RETIRED)


def test_a_save_through_the_services_moves_it_once_committed(cast):
    before = committed()
    with transaction.atomic():
        save_record(new_member(cast), actor=cast.sec_a1)
        save_record(new_member(cast, "又一名"), actor=cast.sec_a1)
        own = versions.current()
        assert own[0] == before and own[1] is not None  # not committed: only this transaction's own key
    assert moved(before) == 1  # once per transaction, not once per row
    assert versions.current()[1] is None


def test_a_soft_delete_and_a_restore_move_it(cast):
    before = committed()
    delete_record(cast.li, actor=cast.admin_a)
    assert moved(before) == 1
    restore_record(cast.li, actor=cast.admin_a)
    assert moved(before) == 2


def test_a_write_outside_any_transaction_moves_it_after_the_statement(cast):
    before = committed()
    # In autocommit: INSERT … RETURNING, then its history row, each committed on its own.
    member = Member.objects.create(name="直接写", organisation=cast.branch_a1)
    assert member.pk and moved(before) == 2
    Member.objects.filter(pk=member.pk).update(mobile="13800009999")  # no signal, no history
    assert moved(before) == 3


def test_writes_without_signals_or_history_move_it(cast):
    """bulk_create and plain executemany INSERTs, as the ledger import writes attendance."""
    from taizhang.study.models import Meeting

    campaign = Campaign.objects.get(code="2023-second-batch")
    before = committed()
    with transaction.atomic():
        Member.objects.bulk_create([new_member(cast, "批量")])
    assert moved(before) == 1
    # On SQLite: INSERT OR IGNORE INTO …
    Member.objects.bulk_create([new_member(cast, "批量二")], ignore_conflicts=True)
    assert moved(before) == 2
    table = connection.ops.quote_name(Meeting._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {table} WHERE campaign_id = %s AND id < 0", [[campaign.pk], [campaign.pk]]
        )
    assert moved(before) == 3


def test_a_ledger_import_moves_it_once(cast, tmp_path):
    from taizhang.ledgers.importer import import_workbook
    from taizhang.ledgers.tests.workbooks import book
    from taizhang.study.models import Attendance

    campaign = Campaign.objects.get(code="2023-second-batch")
    header = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]
    day = datetime.date(2023, 9, 15)
    row = [day, "甲一村党支部", "专题研讨", "学习新思想", "张三", "村部", "张三、李四", 2]
    path = book(tmp_path, {"会议活动": [header, row]})
    before = committed()
    dry = import_workbook(path, campaign=campaign, dry_run=True)
    assert dry.ok and moved(before) == 0  # checked, then rolled back: nothing changed
    result = import_workbook(path, campaign=campaign)
    assert result.written and Attendance.objects.count() == 2
    assert moved(before) == 1


def test_a_rolled_back_write_does_not_move_it(cast):
    before = committed()
    with transaction.atomic():
        Member.objects.filter(pk=cast.li.pk).update(mobile="13800007777")
        transaction.set_rollback(True)
    with transaction.atomic():
        Member.objects.all().exists()  # a read
        try:
            with transaction.atomic():
                save_record(new_member(cast), actor=cast.sec_a1)
                raise RuntimeError
        except RuntimeError:
            pass
        assert versions.current()[1] is None  # the savepoint's write went with it
    assert moved(before) == 0


def test_a_model_can_say_its_writes_are_not_data(cast, monkeypatch):
    monkeypatch.setattr(Member, "unversioned", True, raising=False)
    monkeypatch.setattr(versions, "_watched", versions._watched.__wrapped__)
    before = committed()
    Member.objects.filter(pk=cast.li.pk).update(mobile="13800008888")
    assert moved(before) == 0


def test_a_version_that_cannot_move_does_not_fail_the_write(cast, monkeypatch, caplog):
    from django.db import DatabaseError

    def broken(using="default"):
        raise DatabaseError("数据库连接中断")

    monkeypatch.setattr(versions, "bump", broken)
    with transaction.atomic():
        save_record(new_member(cast, "照样保存"), actor=cast.sec_a1)
    Member.objects.filter(pk=cast.li.pk).update(mobile="13800004444")  # autocommit
    assert Member.objects.filter(name="照样保存").exists()
    assert caplog.text.count("could not be moved") == 2


def test_a_lost_row_comes_back_with_a_new_epoch_and_renew_gives_one(cast):
    epoch, _ = committed()
    DataVersion.objects.all().delete()
    assert committed() is None
    Member.objects.filter(pk=cast.li.pk).update(mobile="13800006666")
    assert committed()[0] != epoch  # a number counted again from 1 can't meet figures of the old data
    epoch, value = committed()
    versions.renew()
    assert committed()[0] != epoch and committed()[1] == value + 1


@pytest.mark.django_db  # the closest mark: one transaction, never committed
def test_within_a_test_transaction_each_write_gives_a_new_key(cast):
    """Tests (and any request) that write and then read figures in one transaction."""
    first = versions.current()
    Member.objects.filter(pk=cast.li.pk).update(mobile="13800005555")
    second = versions.current()
    assert first[1] is not None and second[1] != first[1] and second == versions.current()


def test_job_progress_and_worker_heartbeats_do_not_make_figures_stale():
    """A running import writes its progress every few seconds and the worker its heartbeat: were they
    versioned, no figure would stay cached during an import."""
    from taizhang.core.versions import _watched

    assert {"ledgers_importjob", "core_workerbeat"}.isdisjoint(_watched())
    assert {"study_meeting", "study_historicalmeeting", "orgs_member"} <= _watched()
