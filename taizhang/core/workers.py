"""The job worker's heartbeat and housekeeping, for every app that runs jobs on django-tasks.

`taizhang worker` (core/management/commands/worker.py) runs django-tasks-db's worker and, beside it, a thread
that writes every few seconds that this worker is alive (WorkerBeat, read by /healthz) and, every few minutes,
prunes the queue's finished task rows and sends `housekeeping`, so that each app forgets its own finished jobs
and their files. Before the worker takes its first task it sends `worker_started`: an app marks the jobs a
dead worker left running as failed. The receivers live in each app's jobs.py, found like admin.py.

Settings (TAIZHANG_ variables, or the same name without the prefix in settings for tests):
WORKER_BEAT_SECONDS (5), WORKER_SEEN_SECONDS (60: a worker not heard of for longer is missing),
JOB_KEEP_HOURS (24: finished jobs, their files and task rows are kept this long).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

log = logging.getLogger(__name__)

worker_started = Signal()  # sender: the worker's id; before it takes a task
housekeeping = Signal()  # sender: None; every few minutes in the worker, kwargs: before (a datetime)


def setting(name: str, default: float) -> float:
    """A number from settings.<name>, else from TAIZHANG_<name>, else the default."""
    if hasattr(settings, name):
        return float(getattr(settings, name))
    return float(os.environ.get(f"TAIZHANG_{name}", default))


def host_identity() -> str:
    """This machine and process namespace: two processes with the same identity see each other's pids."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()}{('/' + namespace) if namespace else ''}"[:255]


def pid_alive(pid: int) -> bool | None:
    """Whether the process runs, on this host; None where that cannot be told (Windows)."""
    if os.name == "nt":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def beat(worker_id: str) -> None:
    from .models import WorkerBeat

    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": host_identity(), "pid": os.getpid(), "seen_at": timezone.now()},
    )


def last_seen():
    """When a worker was last heard of, or None."""
    from .models import WorkerBeat

    latest = WorkerBeat.objects.order_by("-seen_at").first()
    return latest.seen_at if latest else None


def recent(seen) -> bool:
    """Whether a worker last heard of at `seen` counts as running."""
    return seen is not None and timezone.now() - seen <= timedelta(seconds=setting("WORKER_SEEN_SECONDS", 60))


def worker_running() -> bool:
    return recent(last_seen())


def keep_until():
    """Finished jobs older than this are forgotten."""
    return timezone.now() - timedelta(hours=setting("JOB_KEEP_HOURS", 24))


def tidy() -> None:
    """Forget finished task rows and old worker beats, and let each app forget its finished jobs."""
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerBeat

    before = keep_until()
    DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    WorkerBeat.objects.filter(seen_at__lt=before).delete()
    housekeeping.send(sender=None, before=before)


def start(worker_id: str) -> None:
    """Once, as a worker starts: load the apps' jobs modules, beat, and let them mark cut-off jobs failed."""
    autodiscover_modules("jobs")
    beat(worker_id)
    worker_started.send(sender=worker_id)
    tidy()


class Heart(threading.Thread):
    """Beats every WORKER_BEAT_SECONDS and tidies every ten minutes, on its own database connection, until
    stopped. A beat that finds the database busy (SQLite while an import writes) is skipped."""

    TIDY_SECONDS = 600

    def __init__(self, worker_id: str):
        super().__init__(name="taizhang-worker-heart", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        every = setting("WORKER_BEAT_SECONDS", 5)
        waited = 0.0
        try:
            while not self.stopped.wait(every):
                waited += every
                try:
                    beat(self.worker_id)
                    if waited >= self.TIDY_SECONDS:
                        waited = 0.0
                        tidy()
                except DatabaseError:
                    log.warning(
                        "Worker heartbeat skipped: the database is busy or unreachable", exc_info=True
                    )
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
