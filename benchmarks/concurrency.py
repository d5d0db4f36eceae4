"""Nobody blocked by an import, nothing lost: branch secretaries using the web while a large workbook is
imported, and fifty clients saving at once (issue 12, points 2 and 8).

    .venv/bin/python benchmarks/concurrency.py [--database-url URL] [--rows 40000] [--clients 20]
    .venv/bin/python benchmarks/concurrency.py --writers 50 --seconds 30 [--database-url URL]

Both start from a fresh database (default a SQLite file var/bench-concurrency.sqlite3; a PostgreSQL URL,
postgres://USER@HOST:PORT/NAME, has its database NAME dropped and created again), migrated and seeded with the
demo township, and run the production server (`taizhang serve --workers 3`) as a child process, not in
debug mode; its log and the worker's are under var/bench-concurrency/.

Import (the default): a workbook of --rows 会议活动 rows of the demo township (benchmarks/ledgers.py writes
it) is uploaded through the web by xx-admin, checked by `taizhang worker`, confirmed and imported, while
--clients threads, each its own session as a branch secretary (branch01…), loop: log in, open the home page,
the meeting list and a meeting, open the new-meeting form and save it, until the import is done and
--after seconds more. Printed: requests by kind, errors (a status other than the one expected, a timeout,
a refused connection; 503s also apart) with a sample, p50/p90/p99/max seconds, the import's check and
write times as the uploader saw them (the job page polled every half second), and the target.

Writers (--writers N): N clients, each its own session, log in, then save meetings together for --seconds;
then the meetings in the database are counted against the saves the clients saw succeed.

Targets (issue 12): no error; p99 ≤ 10 s on SQLite, ≤ 1 s on PostgreSQL; 0 lost, 0 extra.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.webclient import (  # noqa: E402 - run as a script from anywhere
    ROOT,
    Browser,
    RequestFailed,
    Tally,
    form_fields,
    free_port,
    log_in,
    save_meeting,
    stop,
    taizhang,
    wait_until_up,
    write_meetings,
)

VAR = ROOT / "var"
HERE = VAR / "bench-concurrency"  # the server's var/: its secret key, the uploads, the logs
PASSWORD = "demo2023"  # the demo's
BRANCHES = [f"branch{i:02d}" for i in range(1, 21)]  # the demo township's branch secretaries
TAG = "bench"
POLL = 0.5


# The database


def fresh_database(url: str) -> None:
    """Empty the database the URL names: remove a SQLite file, drop and create a PostgreSQL database."""
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def meeting_ids(url: str, tag: str) -> list[int]:
    """The ids of the meetings whose topic starts with the tag, read straight from the database."""
    query = "SELECT id FROM study_meeting WHERE topic LIKE %s"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as database:
            return sorted(r[0] for r in database.execute(query.replace("%s", "?"), [f"{tag}-%"]))
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as database:
        return sorted(r[0] for r in database.execute(query, [f"{tag}-%"]))


def run(url: str, *args: str) -> float:
    started = time.monotonic()
    if taizhang(HERE, url, *args, log=HERE / "setup.log").wait():
        raise SystemExit(f"taizhang {' '.join(args)} failed: see {HERE / 'setup.log'}")
    return time.monotonic() - started


def write_workbook(url: str, rows: int) -> Path:
    """benchmarks/ledgers.py's workbook, of the demo township in this database."""
    out = VAR / f"bench-concurrency-{rows}.xlsx"
    # build_workbook points Django at a SQLite file: settings read first keep this database instead.
    build = (
        "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'taizhang.settings'\n"
        f"os.environ['TAIZHANG_DATABASE_URL'] = {url!r}\n"
        f"os.environ['TAIZHANG_VAR_DIR'] = {str(HERE)!r}\n"
        "from django.conf import settings\nsettings.DATABASES\n"
        "from pathlib import Path\nfrom benchmarks.ledgers import build_workbook\n"
        f"build_workbook(Path('unused'), {rows}, Path({str(out)!r}))"
    )
    subprocess.run([sys.executable, "-c", build], cwd=ROOT, check=True)
    return out


# The import, as its uploader sees it


JOB_STATES = {
    "检查通过，尚未写入": "checked",
    "导入完成": "done",
    "导入出错": "failed",
    "处错误，未写入": "refused",
}


def job_state(page: str) -> str:
    return next((state for text, state in JOB_STATES.items() if text in page), "running")


def follow(tally: Tally, browser: Browser, job: str) -> tuple[str, str]:
    """Poll the job's page until it is no longer running: (state, page)."""
    while True:
        try:
            page = tally.timed("job-page", lambda: browser.get(job)).body
        except RequestFailed:
            page = ""
        state = job_state(page) if page else "running"
        if state != "running":
            return state, page
        time.sleep(POLL)


def import_workbook(workbook: Path, port: int, tally: Tally) -> dict[str, object]:
    """Upload, check, confirm and import the workbook as xx-admin: the times and the outcome."""
    browser = Browser(port, timeout=600)
    log_in(tally, browser, "xx-admin", PASSWORD)
    page = tally.timed("ledgers", lambda: browser.get("/ledgers/"))
    action, fields = form_fields(page.body, "file", "/ledgers/")
    started = time.monotonic()
    answer = tally.timed("upload", lambda: browser.post_file(action, fields, "file", workbook), expect=(302,))
    job = answer.location
    state, page = follow(tally, browser, job)
    figures: dict[str, object] = {"check": time.monotonic() - started, "checked": state}
    if state != "checked":
        figures["page"] = page
        return figures
    action, fields = form_fields(page, "csrfmiddlewaretoken", job, action="confirm")
    started = time.monotonic()
    tally.timed("confirm", lambda: browser.post(action, fields), expect=(302,))
    state, page = follow(tally, browser, job)
    figures |= {"write": time.monotonic() - started, "written": state}
    created = re.search(r"<td>会议活动</td><td>(\d+)</td><td>(\d+)</td>", page)
    figures["created"] = f"{created.group(2)} of {created.group(1)} rows" if created else "?"
    if state != "done":
        figures["page"] = page
    return figures


# A branch secretary


def secretary(number: int, port: int, tally: Tally, stopping: threading.Event) -> None:
    """Loop as one branch secretary: log in (a new session each time), open pages, save a meeting."""
    last = None
    count = 0
    while not stopping.is_set():
        count += 1
        browser = Browser(port)
        try:
            log_in(tally, browser, BRANCHES[number % len(BRANCHES)], PASSWORD)
            tally.timed("home", lambda b=browser: b.get("/"))
            listing = tally.timed("list", lambda b=browser: b.get("/study/meetings/")).body
            shown = last or next(iter(re.findall(r'href="/study/meetings/(\d+)/"', listing)), None)
            if shown:
                tally.timed("detail", lambda b=browser, pk=shown: b.get(f"/study/meetings/{pk}/"))
            last = save_meeting(tally, browser, f"{TAG}-{number}-{count}")
        except RequestFailed:
            time.sleep(0.5)  # counted; a person tries again a moment later
        finally:
            browser.close()


# The two runs


def during_import(url: str, port: int, args) -> bool:
    workbook = write_workbook(url, args.rows)
    print(f"workbook: {args.rows} 会议活动 rows, {workbook.stat().st_size / 1024 / 1024:.1f} MB")
    worker = taizhang(HERE, url, "worker", log=HERE / "worker.log")
    tally, uploader = Tally(), Tally()
    stopping = threading.Event()
    clients = [
        threading.Thread(target=secretary, args=(n, port, tally, stopping), daemon=True)
        for n in range(args.clients)
    ]
    try:
        for client in clients:
            client.start()
        time.sleep(args.after)  # the clients under way before the upload
        figures = import_workbook(workbook, port, uploader)
        time.sleep(args.after)
    finally:
        stopping.set()
        for client in clients:
            client.join(timeout=120)
        stop(worker)
    print(f"\n{args.clients} branch secretaries during the import:")
    tally.report()
    print("\nthe uploader (xx-admin):")
    uploader.report()
    print(f"\nimport: checked in {figures['check']:.1f} s ({figures['checked']})", end="")
    if "write" in figures:
        print(f", written in {figures['write']:.1f} s ({figures['written']}, {figures['created']} created)")
    else:
        print()
    if "page" in figures:
        print(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(figures["page"])))[-600:])
    limit = 10.0 if url.startswith("sqlite") else 1.0
    p99 = percentile_all(tally, 99)
    met = tally.error_count == 0 and p99 <= limit and figures.get("written") == "done"
    print(
        f"target: 0 errors (saw {tally.error_count}), p99 ≤ {limit:g} s (saw {p99:.2f} s), "
        f"import done: {'met' if met else 'NOT MET'}"
    )
    return met


def percentile_all(tally: Tally, share: float) -> float:
    from benchmarks.webclient import percentile

    return percentile([s for values in tally.seconds.values() for s in values], share)


def writers(url: str, port: int, args) -> bool:
    logins = [(name, PASSWORD) for name in BRANCHES]
    saved, tally = write_meetings(port, logins, args.writers, args.seconds, TAG)
    stored = meeting_ids(url, TAG)
    lost = len(set(saved) - set(stored))
    extra = len(set(stored) - set(saved))
    print(f"\n{args.writers} writers for {args.seconds:g} s:")
    tally.report()
    print(f"saves seen: {len(saved)}, in the database: {len(stored)}, lost: {lost}, extra: {extra}")
    met = tally.error_count == 0 and lost == 0 and extra == 0
    print(f"target: 0 errors, 0 lost, 0 extra: {'met' if met else 'NOT MET'}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=f"sqlite:///{VAR / 'bench-concurrency.sqlite3'}")
    parser.add_argument("--rows", type=int, default=40000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--after", type=float, default=5, help="seconds of clients before and after")
    parser.add_argument("--workers", type=int, default=3, help="server processes")
    parser.add_argument("--writers", type=int, default=0, help="the no-loss run instead of the import")
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    url = args.database_url
    HERE.mkdir(parents=True, exist_ok=True)
    for log in ("setup.log", "server.log", "worker.log"):
        (HERE / log).unlink(missing_ok=True)

    engine = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    fresh_database(url)
    print(
        f"{engine}: migrate {run(url, 'migrate', '-v', '0'):.0f} s, seed_demo {run(url, 'seed_demo'):.0f} s"
    )
    port = free_port()
    server = taizhang(
        HERE,
        url,
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        log=HERE / "server.log",
    )
    try:
        wait_until_up(server, port)
        met = writers(url, port, args) if args.writers else during_import(url, port, args)
    finally:
        stop(server)
    failures = [
        line for line in (HERE / "server.log").read_text(errors="replace").splitlines() if "Error" in line
    ]
    print(
        f"server log: {len(failures)} lines naming an error" + (f", first: {failures[0]}" if failures else "")
    )
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
