"""Large downloads as jobs (core.downloads): a small request answered at once, a large one built by the worker
for its owner alone, a broken or cut-off build shown failed in Chinese, old files forgotten."""

from __future__ import annotations

import datetime
import io
import logging
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from taizhang.core import downloads, workers
from taizhang.core.models import DownloadJob

Status = DownloadJob.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def as_job(settings):
    """Every download a job (no request is small enough)."""
    settings.DOWNLOAD_INLINE_ORGS = 0


@pytest.fixture
def breaking():
    """Two builders that break: one with a message for the user, one with an error for the log."""

    @downloads.register("tests.refused", label="测试")
    def refused(user, params, out, progress):
        raise downloads.Refused("模板里有无法识别的字段“{{ 甲 }}”。")

    @downloads.register("tests.broken", label="测试")
    def broken(user, params, out, progress):
        raise RuntimeError("boom: Traceback secret")

    yield
    downloads._builders.pop("tests.refused")
    downloads._builders.pop("tests.broken")


def _job(owner, kind="reports.stats_xlsx", **fields) -> DownloadJob:
    return DownloadJob.objects.create(owner=owner, kind=kind, title="甲乡党委统计表", **fields)


def _params(cast, org=None) -> dict:
    return {"campaign": "2023-second-batch", "org": (org or cast.township_a).pk, "as_of": ""}


def test_a_small_request_is_answered_with_the_file(cast, client_as):
    response = client_as(cast.county_viewer).get("/reports/stats.xlsx?campaign=2023-second-batch")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Cache-Control"] == "private, no-store"
    assert not DownloadJob.objects.exists()


def test_a_large_request_becomes_a_job_the_owner_downloads_once_built(cast, client_as, settings):
    settings.DOWNLOAD_INLINE_ORGS = 2  # a branch is small enough, township A (four organisations) is not
    client = client_as(cast.admin_a)
    small = client.get(f"/reports/stats.xlsx?campaign=2023-second-batch&org={cast.branch_a1.pk}")
    assert small.status_code == 200 and small["Content-Type"] == XLSX

    response = client.get("/reports/stats.xlsx?campaign=2023-second-batch")
    job = DownloadJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/downloads/{job.token.hex}/"
    assert (job.owner, job.kind, job.params) == (cast.admin_a, "reports.stats_xlsx", _params(cast))
    assert job.task_id and job.status == Status.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert "正在生成，完成后可下载" in page and "已排队，等待后台处理" in page and "every 1s" in page
    assert "后台任务程序（taizhang worker）未在运行" in page

    # The same request again while it waits: the same job.
    assert client.get("/reports/stats.xlsx?campaign=2023-second-batch")["Location"] == response["Location"]
    assert DownloadJob.objects.count() == 1

    assert downloads.run(job.pk) == Status.DONE
    job.refresh_from_db()
    assert job.filename.endswith(".xlsx") and job.size and job.finished_at
    assert os.stat(downloads.file(job)).st_mode & 0o777 == 0o600
    assert os.stat(downloads.folder(job)).st_mode & 0o777 == 0o700
    assert os.stat(downloads.root()).st_mode & 0o777 == 0o700
    page = client.get(response["Location"]).content.decode()
    assert "已生成" in page and "every 1s" not in page and job.filename in page
    file = client.get(f"/downloads/{job.token.hex}/file")
    assert file.status_code == 200 and file["Cache-Control"] == "private, no-store"
    assert file["Content-Type"] == XLSX
    body = b"".join(file.streaming_content)
    assert load_workbook(io.BytesIO(body)).active.title  # a real workbook, as the small one

    # Once built, asking again makes a new one (the figures may have changed).
    client.get("/reports/stats.xlsx?campaign=2023-second-batch")
    assert DownloadJob.objects.count() == 2
    assert "甲乡党委统计表" in client.get("/downloads/").content.decode()


def test_a_job_is_its_owners_alone(cast, client_as, as_job):
    job = _job(cast.admin_a, params=_params(cast))
    downloads.run(job.pk)
    for user in (cast.root, cast.county_viewer, cast.sec_a1, cast.admin_b):
        client = client_as(user)
        for url in (f"/downloads/{job.token.hex}/", f"/downloads/{job.token.hex}/file"):
            response = client.get(url)
            assert response.status_code == 404 and "没有找到该页面或记录" in response.content.decode()
        assert job.title not in client.get("/downloads/").content.decode()
    assert client_as(cast.admin_a).get(f"/downloads/{job.token.hex}/file").status_code == 200


def test_the_builder_runs_in_the_owners_scope_not_the_stored_parameters(cast):
    # A job whose parameters name township B, for a secretary of township A (stored by hand, or his role changed).
    job = _job(cast.sec_a1, params=_params(cast, cast.township_b))
    assert downloads.run(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert job.error == downloads.NOT_ALLOWED and not downloads.folder(job).exists()


def test_the_archive_job_is_for_admins_also_when_built(cast, client_as, as_job):
    # An admin asks; then he is no longer one: the worker refuses to build it for him.
    client_as(cast.admin_a).get("/ledgers/archive.zip?campaign=2023-second-batch")
    job = DownloadJob.objects.get(kind="ledgers.archive")
    cast.admin_a.role = cast.sec_a1.role
    cast.admin_a.save()
    assert downloads.run(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert job.error == downloads.NOT_ALLOWED


def test_a_builders_error_fails_the_job_in_chinese(cast, client_as, breaking, caplog):
    refused = _job(cast.admin_a, kind="tests.refused")
    broken = _job(cast.admin_a, kind="tests.broken")
    with caplog.at_level(logging.ERROR, logger="taizhang.core.downloads"):
        assert downloads.run(refused.pk) == downloads.run(broken.pk) == Status.FAILED
    assert "boom: Traceback secret" in caplog.text  # for the administrator
    client = client_as(cast.admin_a)
    page = client.get(f"/downloads/{refused.token.hex}/").content.decode()
    assert "生成出错" in page and "模板里有无法识别的字段“{{ 甲 }}”" in page
    page = client.get(f"/downloads/{broken.token.hex}/").content.decode()
    assert downloads.FAILED in page and "boom" not in page and "every 1s" not in page
    # Its file is not offered: the file's address leads back to the page.
    assert client.get(f"/downloads/{broken.token.hex}/file")["Location"] == f"/downloads/{broken.token.hex}/"


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _started(**fields) -> dict:
    now = timezone.now()
    return {"status": Status.RUNNING, "started_at": now, "beat_at": now, **fields}


@pytest.mark.parametrize(
    "where, cut_off",
    [
        ({"host": downloads.HOST, "pid": "dead"}, True),  # its process is gone: at once
        ({"host": "其他服务器", "pid": 1, "beat_at": "stale"}, True),  # another host: its lease expired
        ({"host": "其他服务器", "pid": 1}, False),  # another host, lease fresh: still running
        ({"host": downloads.HOST, "pid": "mine", "beat_at": "stale"}, False),  # its process runs
    ],
)
def test_a_job_cut_off_by_a_restart_is_shown_failed(cast, client_as, where, cut_off):
    fields = dict(where)
    fields["pid"] = {"dead": _dead_pid(), "mine": os.getpid()}.get(fields["pid"], fields["pid"])
    if fields.get("beat_at") == "stale":
        fields["beat_at"] = timezone.now() - datetime.timedelta(minutes=5)
    job = _job(cast.admin_a, params=_params(cast), **_started(**fields))
    page = client_as(cast.admin_a).get(f"/downloads/{job.token.hex}/").content.decode()
    job.refresh_from_db()
    if cut_off:
        assert job.status == Status.FAILED and downloads.CUT_OFF in page and "every 1s" not in page
    else:
        assert job.status == Status.RUNNING and "every 1s" in page


def test_a_starting_worker_fails_the_builds_its_predecessor_left_running(cast):
    # In a container the new worker may have the pid the dead one had: that one is gone all the same.
    job = _job(cast.admin_a, **_started(host=downloads.HOST, pid=os.getpid()))
    waiting = _job(cast.admin_a)
    workers.worker_started.send(sender="w1")
    job.refresh_from_db()
    waiting.refresh_from_db()
    assert (job.status, job.error) == (Status.FAILED, downloads.CUT_OFF)
    assert waiting.status == Status.QUEUED  # never started: the worker builds it


def test_a_build_taken_again_since_it_was_read_as_cut_off_keeps_its_row_and_file(cast):
    stale = timezone.now() - datetime.timedelta(minutes=5)
    read = _job(cast.admin_a, **_started(host="其他服务器", pid=1, beat_at=stale))
    DownloadJob.objects.filter(pk=read.pk).update(started_at=timezone.now())  # another worker took it
    downloads.folder(read).mkdir(parents=True)
    downloads.file(read).write_bytes(b"PK")
    assert downloads.KIND.cut_off_now(read) is False
    assert DownloadJob.objects.get(pk=read.pk).status == Status.RUNNING and downloads.file(read).exists()


def test_finished_jobs_and_their_files_are_forgotten_after_a_day(cast, tmp_path):
    old, recent, running = (_job(cast.admin_a, params=_params(cast)) for _ in range(3))
    for job in (old, recent):
        downloads.run(job.pk)
    DownloadJob.objects.filter(pk__in=[old.pk, running.pk]).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    stray = downloads.root() / ("0" * 32)
    stray.mkdir()
    os.utime(stray, (0, 0))
    workers.housekeeping.send(sender=None, before=workers.keep_until())
    assert set(DownloadJob.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not downloads.folder(old).exists() and downloads.file(recent).exists() and not stray.exists()


def test_the_job_page_reads_little(cast, client_as, as_job, assert_queries):
    job = _job(cast.admin_a, params=_params(cast))
    downloads.run(job.pk)
    client = client_as(cast.admin_a)
    client.get(f"/downloads/{job.token.hex}/")  # the session and the user warmed up as in any page
    with assert_queries(3):  # session, user, job
        page = client.get(f"/downloads/{job.token.hex}/", headers={"HX-Request": "true"})
    assert "已生成" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_large_download(client, settings):
    from taizhang.conftest import build_cast

    settings.DOWNLOAD_INLINE_ORGS = 0
    cast = build_cast()
    client.force_login(cast.county_viewer)
    response = client.get("/ledgers/export.xlsx?campaign=2023-second-batch&sheet=会议活动")
    job = DownloadJob.objects.get()
    assert job.params["sheets"] == ["会议活动"] and job.title == "XX县委会议活动"
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.pid, job.progress) == (Status.DONE, os.getpid(), "")
    assert job.filename.startswith("XX县委") and job.filename.endswith("会议活动.xlsx")
    assert client.get(response["Location"] + "file").status_code == 200
