"""An upload as a job: a large file checked and imported by `taizhang worker`, one import per township, a job
cut off by a restart shown as failed, finished jobs forgotten."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from taizhang.ledgers import jobs
from taizhang.ledgers.models import ImportJob
from taizhang.study.models import Meeting

from .workbooks import book

HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]
Status = ImportJob.Status


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _meetings(tmp_path, count: int = 1, name: str = "台账.xlsx"):
    rows = [HEADER] + [
        ["2023-09-15", "甲一村党支部", "专题研讨", f"第{n}次", None, None, "张三、李四", None]
        for n in range(count)
    ]
    path = book(tmp_path, {"会议活动": rows}, name=name)
    return SimpleUploadedFile(name, path.read_bytes())


def _worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)


def _job(cast, campaign, **fields) -> ImportJob:
    fields = {"filename": "甲乡大台账.xlsx", **fields}
    return ImportJob.objects.create(
        owner=cast.admin_a, campaign=campaign, township=cast.township_a, size=1, **fields
    )


def _running_elsewhere(**fields) -> dict:
    now = timezone.now()
    return {"status": Status.IMPORTING, "started_at": now, "beat_at": now, **fields}


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_and_imported_by_the_worker(client, tmp_path, settings):
    from taizhang.campaigns.models import Campaign
    from taizhang.conftest import build_cast

    settings.LEDGER_INLINE_BYTES = 0
    cast = build_cast()
    campaign = Campaign.objects.get(code="2023-second-batch")
    client.force_login(cast.admin_a)
    assert client.get("/healthz").json() == {"database": "ok", "worker": "missing"}

    response = client.post(f"/ledgers/import/?campaign={campaign.code}", {"file": _meetings(tmp_path, 300)})
    page = client.get(response["Location"]).content.decode()
    assert "已排队，等待后台处理" in page and "后台任务程序（taizhang worker）未在运行" in page
    job = ImportJob.objects.get()
    assert job.task_id and job.waiting

    _worker()
    page = client.get(response["Location"]).content.decode()
    assert "检查通过，尚未写入" in page and Meeting.objects.count() == 0
    assert client.get("/healthz").json()["worker"] == "ok"

    client.post(response["Location"] + "confirm/")
    assert ImportJob.objects.get().status == Status.IMPORTING
    assert "正在导入" in client.get(response["Location"]).content.decode()
    _worker()
    page = client.get(response["Location"]).content.decode()
    assert "导入完成" in page and Meeting.objects.count() == 300
    job = ImportJob.objects.get()
    assert (job.status, job.progress, job.pid) == (Status.DONE, "", os.getpid())


@pytest.mark.django_db(transaction=True)
def test_a_running_jobs_progress_is_written_outside_its_transaction(cast, campaign, settings):
    settings.LEDGER_JOB_BEAT_SECONDS = 0.01
    job = _job(cast, campaign, status=Status.CHECKING)
    heart = jobs._Heart(job.pk)
    heart.progress("会议活动", 2000, 5000)
    try:
        for _ in range(500):
            job.refresh_from_db()
            if job.progress:
                break
            time.sleep(0.01)
    finally:
        heart.stop()
    assert job.progress == "会议活动：已处理2000行（约40%）" and job.beat_at is not None


def test_an_upload_while_an_import_of_the_township_runs_is_refused(cast, campaign, client_as, tmp_path):
    running = _job(cast, campaign, **_running_elsewhere(host=jobs.HOST, pid=os.getpid()))
    client = client_as(cast.sec_a1)
    response = client.post("/ledgers/import/", {"file": _meetings(tmp_path)}, follow=True)
    page = response.content.decode()
    assert "甲乡党委正在导入“甲乡大台账.xlsx”" in page and "请等它完成后" in page
    assert ImportJob.objects.count() == 1 and Meeting.objects.count() == 0

    # Township B imports meanwhile.
    client_as(cast.admin_b).post("/ledgers/import/", {"file": _meetings(tmp_path, name="乙.xlsx")})
    assert ImportJob.objects.filter(township=cast.township_b).exists()

    # A job of township A checked before the import began cannot be confirmed while it runs …
    checked = _job(cast, campaign, status=Status.CHECKED, filename="另一个.xlsx")
    (jobs.folder(checked)).mkdir(parents=True)
    jobs.file(checked).write_bytes(_meetings(tmp_path).read())
    page = (
        client_as(cast.admin_a)
        .post(f"/ledgers/import/{checked.token.hex}/confirm/", follow=True)
        .content.decode()
    )
    assert "甲乡党委正在导入“甲乡大台账.xlsx”" in page and "确认导入" in page
    checked.refresh_from_db()
    assert checked.status == Status.CHECKED
    # … nor slip past the check from another server process: the database keeps one import per township.
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.filter(pk=checked.pk).update(status=Status.IMPORTING)

    # Once it has finished, the township imports again.
    ImportJob.objects.filter(pk=running.pk).update(status=Status.DONE)
    page = (
        client_as(cast.admin_a)
        .post(f"/ledgers/import/{checked.token.hex}/confirm/", follow=True)
        .content.decode()
    )
    assert "导入完成" in page and Meeting.objects.count() == 1


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.parametrize(
    "where, cut_off",
    [
        ({"host": jobs.HOST, "pid": "dead"}, True),  # its process is gone: at once
        ({"host": "其他服务器", "pid": 1, "beat_at": "stale"}, True),  # another host: its lease expired
        ({"host": "其他服务器", "pid": 1}, False),  # another host, lease fresh: still running
        ({"host": jobs.HOST, "pid": "mine", "beat_at": "stale"}, False),  # its process runs (SQLite busy)
    ],
)
def test_a_job_cut_off_by_a_restart_is_shown_failed(cast, campaign, client_as, tmp_path, where, cut_off):
    fields = dict(where)
    fields["pid"] = {"dead": _dead_pid(), "mine": os.getpid()}.get(fields["pid"], fields["pid"])
    if fields.get("beat_at") == "stale":
        fields["beat_at"] = timezone.now() - datetime.timedelta(minutes=5)
    job = _job(cast, campaign, **_running_elsewhere(**fields))
    page = client_as(cast.admin_a).get(f"/ledgers/import/{job.token.hex}/").content.decode()
    job.refresh_from_db()
    if cut_off:
        assert job.status == Status.FAILED and "处理中断（服务器或后台任务程序重启），未写入任何数据" in page
        assert "every 1s" not in page
        upload = client_as(cast.admin_a).post("/ledgers/import/", {"file": _meetings(tmp_path)})
        assert ImportJob.objects.count() == 2, upload  # the township is free again
    else:
        assert job.status == Status.IMPORTING and "every 1s" in page


@pytest.mark.django_db(transaction=True)  # the worker closes a connection found inside a transaction
def test_a_starting_worker_fails_the_jobs_its_dead_predecessor_left_running(cast, campaign):
    # In a container the new worker may have the pid the dead one had: that one is gone all the same.
    job = _job(cast, campaign, **_running_elsewhere(host=jobs.HOST, pid=os.getpid()))
    waiting = _job(cast, campaign, status=Status.CHECKING, filename="排队中.xlsx")
    _worker()
    job.refresh_from_db()
    waiting.refresh_from_db()
    assert job.status == Status.FAILED and job.result == {"message": jobs.CUT_OFF}
    assert waiting.status == Status.CHECKING  # never started: the worker runs it (skipped: it was not queued)


def test_a_job_that_breaks_is_shown_failed_and_writes_nothing(
    cast, campaign, client_as, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "import_workbook", broken)
    client = client_as(cast.admin_a)
    page = client.get(
        client.post("/ledgers/import/", {"file": _meetings(tmp_path)})["Location"]
    ).content.decode()
    assert "导入出错" in page and "请稍后重试" in page and "boom" not in page
    assert ImportJob.objects.get().status == Status.FAILED


def test_finished_jobs_and_their_files_are_forgotten(cast, campaign, tmp_path):
    from taizhang.core import workers

    old = timezone.now() - datetime.timedelta(days=2)
    finished = _job(cast, campaign, status=Status.DONE)
    recent = _job(cast, campaign, status=Status.CHECKED)
    running = _job(cast, campaign, **_running_elsewhere(host="其他服务器"))
    ImportJob.objects.filter(pk__in=[finished.pk, running.pk]).update(created_at=old)
    for job in (finished, recent, running):
        jobs.folder(job).mkdir(parents=True)
        jobs.file(job).write_bytes(b"x")
    stray = tmp_path / "imports" / "0123abcd"
    stray.mkdir()
    os.utime(stray, (old.timestamp(), old.timestamp()))
    workers.tidy()
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not jobs.folder(finished).exists() and not stray.exists()
    assert jobs.file(recent).exists() and jobs.file(running).exists()
