"""Large downloads as jobs on the seed_scale county: how long the web request takes (it now only queues the
job), how long the worker takes to build each file, and how many queries the job's page runs.

    .venv/bin/python benchmarks/downloads.py

Uses the county benchmarks/reports.py generates (var/bench.sqlite3, or TAIZHANG_DATABASE_URL): run that one
first. Builds each job in this process (core.downloads.run, what `taizhang worker` calls), figures cold.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TAIZHANG_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("TAIZHANG_VAR_DIR", tempfile.mkdtemp(prefix="taizhang-bench-downloads-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
os.environ.setdefault("TAIZHANG_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# (user, path): the county's reports and export, and a township's archive (weight 5: a job)
DOWNLOADS = [
    ("county", "/reports/summary.docx"),
    ("county", "/reports/stats.xlsx"),
    ("county", "/reports/stats.docx"),
    ("county", "/ledgers/export.xlsx"),
    ("admin01", "/ledgers/archive.zip"),
]


def main() -> None:
    from taizhang.accounts.models import User
    from taizhang.core import downloads
    from taizhang.core.models import DownloadJob
    from taizhang.orgs.models import Organisation

    print(f"data: {Organisation.objects.count()} organisations ({connection.vendor})")
    print(f"{'user':<9}{'download':<24}{'request ms':>11}{'build s':>9}{'MB':>7}{'page queries':>13}")
    for username, path in DOWNLOADS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get("/downloads/")  # warm: the URLs, templates and the session
        started = time.perf_counter()
        response = client.get(path)
        request_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, (path, response.status_code)
        job = DownloadJob.objects.get(token=response["Location"].split("/")[2])
        cache.clear()  # cold: figures computed afresh, as after any change
        started = time.perf_counter()
        status = downloads.run(job.pk)
        build = time.perf_counter() - started
        job.refresh_from_db()
        assert status == DownloadJob.Status.DONE, (path, job.error)
        client.get(response["Location"])
        with CaptureQueriesContext(connection) as queries:
            client.get(response["Location"], headers={"HX-Request": "true"})
        print(
            f"{username:<9}{path:<24}{request_ms:>11.1f}{build:>9.1f}{job.size / 1e6:>7.1f}{len(queries):>13}"
        )
        DownloadJob.objects.filter(pk=job.pk).delete()


if __name__ == "__main__":
    main()
