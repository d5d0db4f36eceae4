"""What every kind of job the worker runs shares: ledger imports (ledgers.jobs) and downloads (core.downloads).

A job is a row and a folder. Its model has a token (the folder's and the page's name), an owner, a status
(RUNNING: the statuses of a job queued or running), started_at, beat_at (its lease), host, pid, progress,
created_at and finished_at; its files are under var/<folder>/<token>/. The module that runs a kind of job
declares it once,

    KIND = JobKind(ImportJob, "imports", cut_off={"status": FAILED, "result": {"message": CUT_OFF}},
                   beat_setting="LEDGER_JOB_BEAT_SECONDS")
    KIND.connect()

and gets from it what would otherwise be written twice:
- a Heart that writes the running job's latest progress and renews its lease from a thread with its own
  connection, outside the work's transaction, so that the job's page sees both from any server process;
- a job whose worker is gone (lease_lost) marked failed with the kind's Chinese message, never left running:
  when its page is read (own, cut_off_now) and when a worker starts (reap, on core.workers.worker_started);
- finished jobs, their folders and stray folders forgotten after JOB_KEEP_HOURS (sweep, on
  core.workers.housekeeping, and whenever the module asks).

Settings (read as core.workers.setting does): JOB_LEASE_SECONDS (120), JOB_KEEP_HOURS (24), and the
seconds between a heart's beats under the setting the kind names.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from . import workers

log = logging.getLogger(__name__)
HOST = workers.host_identity()  # where a job was taken: a worker on this host can tell if its process runs


def is_token(text: str) -> bool:
    """Whether `text` can be a job's token (32 hex digits), before it goes near a UUID field and its
    ValidationError."""
    text = str(text)
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


def lease_lost(job, *, starting_pid: int | None = None) -> bool:
    """Whether a started job's worker is gone: its process where this host can see it (at once), else its
    lease (beat_at older than JOB_LEASE_SECONDS: a worker on another host, or one this host cannot see)."""
    if job.started_at is None:
        return False  # waiting for a worker: it runs when one starts
    lease = timedelta(seconds=workers.setting("JOB_LEASE_SECONDS", 120))
    stale = job.beat_at is None or job.beat_at < timezone.now() - lease
    if job.host == HOST and job.pid:
        if job.pid == starting_pid:
            return True  # a worker starting with the pid of the one that ran it: that one is gone
        alive = workers.pid_alive(job.pid)
        if alive is not None:
            # A process of that pid runs: trust it (SQLite busy delays beats), unless its lease is long gone
            # (the pid was reused).
            return not alive or (stale and job.beat_at < timezone.now() - 10 * lease)
    return stale


class Heart:
    """Writes a running job's latest progress and renews its lease (`rows`: the job while it runs) every
    `beat_setting` seconds, from a thread with its own database connection, until stopped. A beat that finds
    the database busy (SQLite while an import writes) is skipped: the next one will do. Not started within a
    transaction (a test's, or an inline run inside one): its rows would not be seen by another connection."""

    def __init__(self, rows, *, name: str, text: str, beat_setting: str, beat_default: float):
        self.rows = rows
        self.text = text
        self.every = (beat_setting, beat_default)
        self.stopped = threading.Event()
        self.thread = None
        if not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._run, name=name, daemon=True)
            self.thread.start()

    def progress(self, text: str) -> None:
        """Where the work stands, in a line the job's page shows; written at the next beat."""
        self.text = text

    def _run(self) -> None:
        every = workers.setting(*self.every)
        try:
            while not self.stopped.wait(every):
                try:
                    self.rows.update(progress=self.text[:200], beat_at=timezone.now())
                except DatabaseError:
                    log.info("%s: progress not written, the database is busy", self.thread.name)
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop beating; returns once the thread has (so that no beat follows the job's final write)."""
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=30)


@dataclass(frozen=True)
class JobKind:
    """One kind of job: its model, its folder under VAR_DIR, the fields a job cut off by a restart gets,
    and the setting of its heart's beat (see the module's docstring)."""

    model: type
    folder_name: str  # its jobs' files are under VAR_DIR/<folder_name>/<token>/
    label: str  # the job in the log: "Ledger import job"
    cut_off: dict  # a job whose worker is gone: its failed status and its Chinese message
    beat_setting: str
    beat_default: float = 2
    discard_cut_off_files: bool = False  # a cut-off job's folder holds a partial result: dropped at once

    def root(self) -> Path:
        return Path(settings.VAR_DIR) / self.folder_name

    def folder(self, job) -> Path:
        return self.root() / job.token.hex

    def own(self, user, token: str):
        """The user's own job of that token (one whose worker is gone marked failed first), or None."""
        job = self.model.objects.filter(token=token, owner=user).first() if is_token(token) else None
        if job is not None and self.cut_off_now(job):
            job.refresh_from_db()
        return job

    def heart(self, job_id: int, *, text: str) -> Heart:
        """A started heart for the job, beginning with `text` as its progress."""
        rows = self.model.objects.filter(pk=job_id, status__in=self.model.RUNNING)
        return Heart(
            rows,
            name=f"{self.folder_name}-{job_id}",
            text=text,
            beat_setting=self.beat_setting,
            beat_default=self.beat_default,
        )

    def cut_off_now(self, job, *, starting_pid: int | None = None) -> bool:
        """Mark the job failed if it was started and its worker is gone; whether it was. Only that start of
        it is marked: a job finished or taken again since `job` was read is left alone, files and all."""
        if job.status not in self.model.RUNNING or not lease_lost(job, starting_pid=starting_pid):
            return False
        marked = self.model.objects.filter(pk=job.pk, status=job.status, started_at=job.started_at).update(
            **self.cut_off, progress="", beat_at=None, finished_at=timezone.now()
        )
        if not marked:
            return False
        if self.discard_cut_off_files:
            shutil.rmtree(self.folder(job), ignore_errors=True)
        log.warning("%s %s was cut off (its worker is gone): marked failed", self.label, job.pk)
        return True

    def reap(self, *, starting_pid: int | None = None) -> None:
        """Mark the started jobs whose worker is gone as failed."""
        for job in self.model.objects.filter(status__in=self.model.RUNNING, started_at__isnull=False):
            self.cut_off_now(job, starting_pid=starting_pid)

    def sweep(self, before=None) -> None:
        """Forget the jobs finished before `before` (JOB_KEEP_HOURS ago), their folders, and stray folders
        (an upload's whose row is gone) as old."""
        before = before or workers.keep_until()
        old = self.model.objects.exclude(status__in=self.model.RUNNING).filter(created_at__lt=before)
        for token in old.values_list("token", flat=True):
            shutil.rmtree(self.root() / token.hex, ignore_errors=True)
        old.delete()
        if self.root().exists():
            known = {token.hex for token in self.model.objects.values_list("token", flat=True)}
            for path in self.root().iterdir():
                if path.name not in known and path.stat().st_mtime < before.timestamp():
                    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    def connect(self) -> None:
        """Let the worker reap this kind's cut-off jobs as it starts and sweep old ones in its housekeeping."""
        uid = f"taizhang.jobs.{self.folder_name}"
        workers.worker_started.connect(self._worker_started, dispatch_uid=f"{uid}.reap", weak=False)
        workers.housekeeping.connect(self._housekeeping, dispatch_uid=f"{uid}.sweep", weak=False)

    def _worker_started(self, sender, **kwargs) -> None:
        self.reap(starting_pid=os.getpid())

    def _housekeeping(self, sender, before, **kwargs) -> None:
        self.sweep(before)
