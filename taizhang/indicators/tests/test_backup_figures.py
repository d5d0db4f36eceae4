"""A backup taken while meetings are being recorded restores to a database whose figures are those of the
source at the instant of the backup: not a mix of before and after a write, whatever the engine."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.cache import cache
from django.db import connection

from taizhang.campaigns.models import Campaign
from taizhang.conftest import build_cast
from taizhang.core.restore import read_manifest
from taizhang.core.tests.test_backup import (  # noqa: F401  (fixtures)
    backup,
    default_database,
    restore,
    source,
    suite_database,
    target,
)
from taizhang.indicators.engine import compute
from taizhang.study import services as study
from taizhang.study.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)  # the writer and the backup commit and read apart
BEFORE_BACKUP = 5  # meetings recorded before the backup starts


def test_a_backup_during_writes_restores_the_figures_of_its_instant(source, target, tmp_path, settings):  # noqa: F811
    cast = build_cast()
    campaign = Campaign.objects.get(code="2023-second-batch")

    def figures():
        return {"township": compute(campaign, cast.township_a), "county": compute(campaign, cast.county)}

    # The writer records the figures after each of its meetings: figures_after[n] are the source's figures
    # when n meetings have been committed. It writes on until the backup is done, and once more after.
    figures_after = {0: figures()}
    started, backed_up, failures = threading.Event(), threading.Event(), []

    def write(n: int) -> None:
        study.meeting_create(
            actor=cast.sec_a1,
            organiser=cast.branch_a1,
            type="专题研讨" if n % 2 else "专题党课",
            date=datetime.date(2023, 10, 1) + datetime.timedelta(days=n % 60),
            topic=f"第{n}次学习研讨",
        )
        figures_after[n] = figures()

    def writer() -> None:
        try:
            n = 0
            while not backed_up.is_set():
                n += 1
                write(n)
                if n == BEFORE_BACKUP:
                    started.set()
            write(n + 1)  # begun after the backup ended: not in it
        except Exception as exc:  # noqa: BLE001 -- reported by the test below
            failures.append(exc)
        finally:
            started.set()
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert started.wait(120)
    path = backup(tmp_path / "during-writes.zip")
    backed_up.set()
    thread.join(120)
    assert not failures, failures
    written = max(figures_after)

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with default_database(target):
        restore(path)
        in_backup = Meeting.objects.count()
        assert BEFORE_BACKUP <= in_backup < written
        assert read_manifest(path)["counts"]["study.Meeting"] == in_backup
        cache.clear()  # figures computed from the restored data, not remembered from the source
        restored = figures()
    assert restored == figures_after[in_backup]
    assert restored != figures_after[written]  # the figures tell the states apart
