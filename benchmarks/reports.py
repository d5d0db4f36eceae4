"""Server time and query count of the reports on the seed_scale county.

    .venv/bin/python benchmarks/reports.py [--townships 20] [--repeat 10] [--force]

Uses its own SQLite file (var/bench.sqlite3, or TAIZHANG_DATABASE_URL if set), generating the scale county
there when it has another number of townships (--force: always). Prints, per report, the median and worst
server time over the repeats (a whole request: compute, render, respond) and the number of queries of one
request, each with no figures cached (as after a change). Targets (issue 6): a township's work summary under 1 s; the county's statistics table over its
20 townships under 5 s.
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
# Timed inline, as the web request built them before they became jobs (benchmarks/downloads.py times those).
os.environ.setdefault("TAIZHANG_DOWNLOAD_INLINE_ORGS", "1000000")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# (user, path, target in ms or None)
REPORTS = [
    ("admin01", "/reports/summary.docx", 1000),
    ("county", "/reports/stats.xlsx", 5000),
    ("county", "/reports/stats.docx", 5000),
    ("admin01", "/reports/stats.xlsx", None),
    ("county", "/reports/summary.docx", None),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--force", action="store_true", help="generate the scale county again")
    args = parser.parse_args()

    from taizhang.accounts.models import User
    from taizhang.campaigns.models import Campaign
    from taizhang.indicators.engine import compute, indicators_of
    from taizhang.orgs.models import Member, Organisation

    call_command("migrate", verbosity=0)
    townships = Organisation.objects.filter(kind="committee").count()
    if args.force or townships != args.townships:
        started = time.monotonic()
        call_command("seed_scale", townships=args.townships, force=True, stdout=io.StringIO())
        print(f"seed_scale --townships {args.townships}: {time.monotonic() - started:.1f} s")
    campaign = Campaign.current()
    county = Organisation.objects.get(kind="county")
    figures = compute(campaign, county)
    stated = {code: value for code, value in figures.items() if value}
    print(
        f"data: {Organisation.objects.count()} organisations, {Member.objects.count()} members; "
        f"{len(indicators_of(campaign))} of {len(campaign.indicators)} indicators computable, "
        f"{len(stated)} not zero over the county ({connection.vendor})"
    )
    print(f"{'user':<10}{'report':<24}{'median ms':>10}{'max ms':>9}{'queries':>9}{'bytes':>9}  target")
    failed = False
    for username, path, target in REPORTS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(path)  # warm
        times = []
        for _ in range(args.repeat):
            cache.clear()  # cold: figures computed afresh, as after any change (indicators/cache.py)
            started = time.perf_counter()
            response = client.get(path)
            size = len(b"".join(response.streaming_content))
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(path).streaming_content)
        median = statistics.median(times)
        verdict = ""
        if target:
            ok = median < target
            failed |= not ok
            verdict = f"< {target} ms {'ok' if ok else 'MISSED'}"
        print(
            f"{username:<10}{path:<24}{median:>10.1f}{max(times):>9.1f}{len(queries):>9}{size:>9}  {verdict}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
