"""Server time and query count of the rectification pages on the seed_scale county.

    .venv/bin/python benchmarks/rectify.py [--townships 20] [--repeat 20] [--force]

Uses its own SQLite file (var/bench.sqlite3, or TAIZHANG_DATABASE_URL if set), generating the scale county
there when it has another number of townships or no rectification records (--force: always). Prints, per
page and user, the median and worst server time over the repeats and the number of queries of one request.
Targets (issue 4): a township's ledger and the county's overdue list under 150 ms, with a constant number
of queries (the query counts are pinned by taizhang/rectify/tests/test_views.py).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TAIZHANG_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
os.environ.setdefault("TAIZHANG_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGET_MS = 150
# (user, path, has a target)
PAGES = [
    ("admin01", "/rectify/", True),
    ("admin01", "/rectify/?overdue=on", True),
    ("admin01", "/rectify/?owner=grassroots&status=整改中", False),
    ("county", "/rectify/deadlines/", True),
    ("county", "/rectify/deadlines/?show=due", False),
    ("county", "/rectify/", False),
    ("admin01", "/rectify/deadlines/", False),
    ("admin01", "/rectify/mine/", False),
    ("t01-branch01", "/rectify/mine/", False),
    ("admin01", "/rectify/talks/", False),
    ("admin01", "/rectify/checks/", False),
    ("county", "/rectify/checks/", False),
    ("admin01", "/rectify/remedies/", False),
    ("admin01", "PROBLEM", False),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--force", action="store_true", help="generate the scale county again")
    args = parser.parse_args()

    from taizhang.accounts.models import User
    from taizhang.orgs.models import Organisation
    from taizhang.rectify.models import Measure, Problem, Talk

    call_command("migrate", verbosity=0)
    townships = Organisation.objects.filter(kind="committee").count()
    if args.force or townships != args.townships or not Problem.objects.exists():
        started = time.monotonic()
        call_command("seed_scale", townships=args.townships, force=True, stdout=io.StringIO())
        print(f"seed_scale --townships {args.townships}: {time.monotonic() - started:.1f} s")
    print(
        f"data: {Organisation.objects.count()} organisations, {Problem.objects.count()} problems, "
        f"{Measure.objects.count()} measures ({Measure.objects.overdue().count()} overdue), "
        f"{Talk.objects.count()} talks ({connection.vendor})"
    )
    admin = User.objects.get(username="admin01")
    problem = Problem.objects.filter(township=admin.organisation, is_special=True).first()
    print(f"{'user':<14}{'page':<42}{'median ms':>10}{'max ms':>9}{'queries':>9}  target")
    failed = []
    for username, path, has_target in PAGES:
        if path == "PROBLEM":
            path = f"/rectify/problems/{problem.pk}/"
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(path)  # warm
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        median = statistics.median(times)
        verdict = ""
        if has_target:
            verdict = f"< {TARGET_MS} ms " + ("ok" if median < TARGET_MS else "MISSED")
            if median >= TARGET_MS:
                failed.append(path)
        print(f"{username:<14}{path:<42}{median:>10.1f}{max(times):>9.1f}{len(queries):>9}  {verdict}")
    if failed:
        sys.exit(f"missed the {TARGET_MS} ms target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
