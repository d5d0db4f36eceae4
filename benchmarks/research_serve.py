"""Server time and query count of the research and serve lists on the seed_scale county.

    .venv/bin/python benchmarks/research_serve.py [--townships 20] [--repeat 20]

Uses its own SQLite file (var/bench-research-serve.sqlite3, or TAIZHANG_DATABASE_URL if set), generating the
scale county there when it is missing or of another size. Each scale township has the demo's 13 action items
(3 still open, 2 of them overdue) and 9 service projects (2 open, 1 overdue), so the county's overdue lists hold
40 action items and 20 projects. Prints, per page and user, the median and worst server time over the repeats
and the number of queries of one request.
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
os.environ.setdefault("TAIZHANG_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-research-serve.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
os.environ.setdefault("TAIZHANG_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    # A township's lists (the township admin), then the county's overdue lists (the county viewer).
    ("admin01", "/research/actions/"),
    ("admin01", "/research/actions/?state=overdue"),
    ("admin01", "/serve/projects/"),
    ("admin01", "/serve/projects/?state=overdue"),
    ("admin01", "/research/enterprise-visits/month/?month=2023-10"),
    ("t01-branch01", "/serve/projects/"),
    ("county", "/research/actions/?state=overdue"),
    ("county", "/serve/projects/?state=overdue"),
    ("county", "/research/actions/"),
    ("county", "/serve/projects/"),
    ("county", "/research/enterprise-visits/month/?month=2023-10"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from taizhang.accounts.models import User
    from taizhang.orgs.models import Organisation
    from taizhang.research.models import ActionItem
    from taizhang.serve.models import ServiceProject

    call_command("migrate", verbosity=0)
    townships = Organisation.objects.filter(kind="committee").count()
    if townships != args.townships or not ActionItem.objects.exists():
        started = time.monotonic()
        call_command("seed_scale", townships=args.townships, force=True, stdout=io.StringIO())
        print(f"seed_scale --townships {args.townships}: {time.monotonic() - started:.1f} s")
    print(
        f"data: {ActionItem.objects.count()} action items ({ActionItem.objects.overdue().count()} overdue), "
        f"{ServiceProject.objects.count()} service projects ({ServiceProject.objects.overdue().count()} overdue) "
        f"({connection.vendor})"
    )
    print(f"{'user':<14}{'page':<52}{'median ms':>10}{'max ms':>9}{'queries':>9}")
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
        print(f"{username:<14}{path:<52}{statistics.median(times):>10.1f}{max(times):>9.1f}{len(queries):>9}")


if __name__ == "__main__":
    main()
