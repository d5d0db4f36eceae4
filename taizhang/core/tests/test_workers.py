"""/healthz: the database, and whether a job worker was heard of recently."""

import datetime
import time

from django.db import DatabaseError
from django.utils import timezone

from taizhang.core import workers
from taizhang.core.models import WorkerBeat


def test_healthz_reports_the_database_and_the_worker(client, db, settings):
    settings.WORKER_SEEN_SECONDS = 60
    assert client.get("/healthz").json() == {"database": "ok", "worker": "missing"}
    workers.beat("w1")
    body = client.get("/healthz").json()
    assert (body["database"], body["worker"], body["worker_seen_seconds_ago"]) == ("ok", "ok", 0)
    WorkerBeat.objects.update(seen_at=timezone.now() - datetime.timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 200  # the web server serves; only the jobs wait
    assert response.json() == {"database": "ok", "worker": "missing", "worker_seen_seconds_ago": 300}


def test_healthz_is_503_when_the_database_fails(client, db, monkeypatch):
    def down():
        raise DatabaseError("unreachable")

    monkeypatch.setattr(workers, "last_seen", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error"


def _beaten(worker_id: str) -> bool:
    """The test database is SQLite in memory with a shared cache, where a read while the heart's thread writes
    fails with "database table is locked" instead of waiting: such a read counts as not yet."""
    try:
        return WorkerBeat.objects.filter(worker_id=worker_id).exists()
    except DatabaseError:
        return False


def test_the_workers_heart_beats_and_stops(transactional_db, settings):
    settings.WORKER_BEAT_SECONDS = 0.01
    heart = workers.Heart("w2")
    heart.start()
    try:
        deadline = time.monotonic() + 30  # generous: a loaded CI machine starts threads late
        while time.monotonic() < deadline and not _beaten("w2"):
            heart.stopped.wait(0.01)
    finally:
        heart.stop()
        heart.join(30)
    assert WorkerBeat.objects.filter(worker_id="w2").exists() and not heart.is_alive()
