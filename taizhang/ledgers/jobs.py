"""An upload's life: stored, checked (a dry run: the preview), then imported once the user confirms.

A job is a row (models.ImportJob: owner, campaign, township, status, progress, result) and its file under
var/imports/<id>/. Its check and its import run on the task queue (django-tasks, database backend), taken by
`taizhang worker`, so the state is the same from every server process and survives a restart of the web
server. A small file (LEDGER_INLINE_BYTES, 64 KB) is checked and imported within the request instead: a
branch secretary's ledger comes back at once, with or without a worker.

While it runs, a thread of the worker writes the job's progress and its lease (beat_at) every two seconds on
its own connection, outside the import's transaction; a busy database (SQLite while the import writes)
only delays a beat. A job whose worker died is marked failed with a Chinese message when it is next read or
when a worker starts: at once where the worker's process can be seen (same host), else once its lease is
older than JOB_LEASE_SECONDS (120). One import per township runs at a time (a unique constraint on the row);
an upload or a confirmation while one runs is refused, naming it. Finished jobs and their files are
forgotten after JOB_KEEP_HOURS (24), by the worker's housekeeping and at each upload. The heart, the lease,
marking cut-off jobs and forgetting old ones are those of every kind of job (core.jobkinds, KIND below).

Each setting is read as core.workers.setting does: settings.<NAME>, else TAIZHANG_<NAME>, else the default.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from taizhang.core import workers
from taizhang.core.cleaning import safe_filename
from taizhang.core.dates import cn_datetime
from taizhang.core.jobkinds import HOST, JobKind

from .importer import WRITING, ImportResult, import_workbook
from .models import ImportJob

log = logging.getLogger(__name__)
Status = ImportJob.Status
INLINE_BYTES = (
    64 * 1024
)  # up to this size (some 3,000 rows) a file is checked and imported within the request
BEAT_SECONDS = 2
FAILED = "导入时出错，未写入任何数据。请稍后重试；如仍出错，请联系系统管理员。"
CUT_OFF = "处理中断（服务器或后台任务程序重启），未写入任何数据。请重新上传。"
GONE = "没有这次上传，或已过期（上传的文件保留一天）。"
KIND = JobKind(
    ImportJob,
    "imports",
    label="Ledger import job",
    cut_off={"status": Status.FAILED, "result": {"message": CUT_OFF}},
    beat_setting="LEDGER_JOB_BEAT_SECONDS",
    beat_default=BEAT_SECONDS,
)
KIND.connect()  # the worker reaps cut-off imports as it starts and forgets old ones in its housekeeping
root, folder = KIND.root, KIND.folder


class Busy(Exception):
    """Another import of the township runs: the message names it."""


def file(job: ImportJob) -> Path:
    return folder(job) / "upload.xlsx"


def find(user, job_id: str) -> ImportJob | None:
    """The user's own job (a dead one marked failed first), or None."""
    return KIND.own(user, job_id)


def start(upload, *, user, campaign, township) -> ImportJob:
    """Store the upload and check it (within the request if it is small, else on the queue)."""
    KIND.sweep()
    _refuse_if_busy(township)
    job = ImportJob.objects.create(
        owner=user,
        campaign=campaign,
        township=township,
        filename=safe_filename(upload.name),  # no folders, no RTL override: shown on pages
        size=upload.size,
        status=Status.CHECKING,
    )
    folder(job).mkdir(parents=True, mode=0o700)
    descriptor = os.open(file(job), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # names and whole mobiles
    with os.fdopen(descriptor, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    _launch(job, dry_run=True)
    return job


def confirm(job: ImportJob) -> None:
    """Import a checked job's file, unless another import of its township runs."""
    _refuse_if_busy(job.township, but=job)
    try:
        with transaction.atomic():
            taken = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
                status=Status.IMPORTING, progress="", started_at=None, beat_at=None, finished_at=None
            )
    except IntegrityError:  # another server process confirmed one of the same township meanwhile
        _refuse_if_busy(job.township, but=job)
        raise
    if taken:
        job.refresh_from_db()
        _launch(job, dry_run=False)


def _refuse_if_busy(township, but: ImportJob | None = None) -> None:
    if township is None:
        return
    KIND.reap()
    running = ImportJob.objects.filter(township=township, status=Status.IMPORTING).select_related("owner")
    other = running.exclude(pk=but.pk).first() if but else running.first()
    if other is not None:
        raise Busy(
            f"{township.name}正在导入“{other.filename}”（{other.owner}于{cn_datetime(other.created_at)}上传），"
            "同一乡镇一次只能导入一个文件：请等它完成后再上传或确认。"
        )


def _launch(job: ImportJob, *, dry_run: bool) -> None:
    limit = workers.setting("LEDGER_INLINE_BYTES", INLINE_BYTES)
    if job.size <= limit:
        work(job.pk, dry_run)
        return
    result = run_job.enqueue(job.pk, dry_run)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


@task()
def run_job(job_id: int, dry_run: bool) -> str:
    """The queued check or import of a job (run by `taizhang worker`)."""
    return work(job_id, dry_run)


def work(job_id: int, dry_run: bool) -> str:
    """Check (dry_run) or import the job's file, keeping its row up to date; returns the final status."""
    from taizhang.core.scoping import scope_for

    job = ImportJob.objects.select_related("owner", "campaign", "township").filter(pk=job_id).first()
    if job is None or job.status != (Status.CHECKING if dry_run else Status.IMPORTING):
        return "skipped"  # forgotten, or marked failed before a worker took it
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        started_at=now, beat_at=now, host=HOST, pid=os.getpid(), progress="正在读取……"
    )
    heart = _Heart(job.pk)
    final = {"status": Status.FAILED, "result": {"message": CUT_OFF}}
    try:
        result = import_workbook(
            file(job),
            campaign=job.campaign,
            actor=job.owner,
            scope=scope_for(job.owner),
            township=job.township,
            dry_run=dry_run,
            progress=heart.progress,
            filename=job.filename,
        )
        if dry_run:
            status = Status.CHECKED if result.ok else Status.REFUSED
        else:
            status = Status.DONE if result.written else Status.REFUSED
        final = {"status": status, "result": _as_dict(result)}
    except Exception:  # never leave a page polling forever; the exception's text is for the log only
        log.exception("Ledger import job %s failed", job.pk)
        final = {"status": Status.FAILED, "result": {"message": FAILED}}
    finally:  # also when the worker is stopped in the middle (SystemExit): the job is not left running
        heart.stop()
        ImportJob.objects.filter(pk=job.pk).update(
            **final, progress="", beat_at=None, finished_at=timezone.now()
        )
    return final["status"]


class _Heart:
    """The job's heart (core.jobkinds.Heart), told the importer's progress as a line of text."""

    def __init__(self, pk):
        self.beat = KIND.heart(pk, text="正在读取……")

    def progress(self, sheet: str, done: int, total: int) -> None:
        if sheet == WRITING:
            self.beat.progress("检查完毕，正在写入……")
            return
        share = f"（约{min(100, round(100 * done / total))}%）" if total else ""
        self.beat.progress(f"{sheet}：已处理{done}行{share}")

    def stop(self) -> None:
        self.beat.stop()


def _as_dict(result: ImportResult) -> dict:
    return {
        "sheets": [asdict(s) for s in result.sheets],
        "errors": [str(e) for e in result.errors],
        "notices": result.notices,
        "written": result.written,
    }
