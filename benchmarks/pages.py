"""Server time and query count of the main pages on the seed_scale county.

    .venv/bin/python benchmarks/pages.py [--townships 20] [--repeat 20]

Uses its own SQLite file (var/bench.sqlite3, or TAIZHANG_DATABASE_URL if set), generating the scale county
there once. Prints, per page and user, the median and worst server time over the repeats and the number of
queries of one request. Figures are cached until the data changes (taizhang/indicators/cache.py), so the
pages that show figures are also measured cold ("after a change": the cache emptied before each request),
which is what the first visitor after any write waits. Targets live here, not in timed tests.

Targets: the county dashboard under 200 ms (issue 6).
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

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    ("county", "/indicators/dashboard/"),
    ("county", "/indicators/"),
    ("admin01", "/indicators/dashboard/"),
    ("county", "/"),
    ("county", "/orgs/"),
    ("county", "/members/"),
    ("county", "/members/?q=王"),
    ("county", "/members/?page=100"),
    ("admin01", "/"),
    ("admin01", "/orgs/"),
    ("admin01", "/members/"),
    ("admin01", "/members/?category=退休"),
    ("t01-branch01", "/members/"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--force", action="store_true", help="regenerate the scale data")
    args = parser.parse_args()

    from taizhang.accounts.models import User
    from taizhang.orgs.models import Member, Organisation

    call_command("migrate", verbosity=0)
    townships = Organisation.objects.filter(kind="committee").count()
    if townships != args.townships or args.force:
        started = time.monotonic()
        call_command("seed_scale", townships=args.townships, force=True, stdout=io.StringIO())
        print(f"seed_scale --townships {args.townships}: {time.monotonic() - started:.1f} s")
    print(
        f"data: {Organisation.objects.count()} organisations, {Member.objects.count()} members "
        f"({connection.vendor})"
    )
    print(f"{'user':<14}{'page':<28}{'median ms':>10}{'max ms':>9}{'queries':>9}")
    for username, path in PAGES:
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
        print(f"{username:<14}{path:<28}{statistics.median(times):>10.1f}{max(times):>9.1f}{len(queries):>9}")
        if path.startswith("/indicators/"):
            times = []
            for _ in range(args.repeat):
                cache.clear()
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            label = f"{path} after a change"
            print(
                f"{username:<14}{label:<28}{statistics.median(times):>10.1f}{max(times):>9.1f}{len(queries):>9}"
            )


if __name__ == "__main__":
    main()
