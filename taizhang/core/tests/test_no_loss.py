"""Fifty people saving meetings through the web at once lose nothing (issue 12, point 8).

A real `taizhang serve` (three processes) on the test's database: on SQLite a file copied from the test
database (WAL, as installed), on PostgreSQL the test database itself. Fifty clients, each its own session,
log in as the cast's branch secretaries and save meetings through the form for WRITE_SECONDS; each counts
the saves it saw succeed (the redirect to the new meeting's page). Then: no request failed (no 500, no 503,
no timeout), and the meetings in the database are exactly those the clients saw saved: none lost, none extra.

The issue's 30 s run, with its figures printed, is `benchmarks/concurrency.py --writers 50 --seconds 30`;
here the window is shorter so that the suite stays quick on two cores.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from benchmarks import webclient
from taizhang.accounts.models import User
from taizhang.study.models import Meeting

WRITERS = 50
WRITE_SECONDS = 12
SERVER_PROCESSES = 3
PASSWORD = "写入压测-2023"
TAG = "no-loss"


def server_database(tmp_path: Path) -> str:
    """The URL a server process reaches the test's database by (committed data only)."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "taizhang.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])  # the in-memory test database, to a file
        return f"sqlite:///{copy}"
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = f"{s['USER']}:{s['PASSWORD']}@" if s["PASSWORD"] else f"{s['USER']}@"
        return f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    pytest.skip(f"no server database for {connection.vendor}")


def saved_meetings(url: str) -> list[int]:
    """The ids of the meetings the clients wrote, read from the database the server wrote to."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as database:
            rows = database.execute(
                f"SELECT id FROM {Meeting._meta.db_table} WHERE topic LIKE ?", [f"{TAG}-%"]
            )
            return sorted(row[0] for row in rows)
    return sorted(Meeting.all_objects.filter(topic__startswith=f"{TAG}-").values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_fifty_writers_through_the_web_lose_nothing_and_see_no_error(cast, tmp_path):
    secretaries = [cast.sec_a1, cast.sec_a2, cast.sec_b1]
    hasher = Argon2PasswordHasher()  # the servers' own hasher: the test's fast one is not in their settings
    User.objects.filter(pk__in=[u.pk for u in secretaries]).update(
        password=hasher.encode(PASSWORD, hasher.salt())
    )
    url = server_database(tmp_path)
    port = webclient.free_port()
    log = tmp_path / "server.log"
    server = webclient.taizhang(
        tmp_path, url, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(SERVER_PROCESSES), log=log
    )
    try:
        webclient.wait_until_up(server, port)
        logins = [(user.username, PASSWORD) for user in secretaries]
        saved, tally = webclient.write_meetings(port, logins, WRITERS, WRITE_SECONDS, TAG)
    finally:
        webclient.stop(server)

    tally.report()  # shown with -s or on failure
    server_log = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    assert len(tally.seconds["login"]) == WRITERS
    assert tally.error_count == 0, f"{tally.errors} {tally.samples}\n{server_log}"
    assert len(saved) >= WRITERS  # every client saved at least once
    assert saved_meetings(url) == sorted(saved)  # none lost, none extra
