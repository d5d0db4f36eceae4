"""Server time and query count of the study pages on the seed_scale county.

    .venv/bin/python benchmarks/study.py [--townships 20] [--repeat 20]

Uses its own SQLite file (var/bench-study.sqlite3, or TAIZHANG_DATABASE_URL if set), generating the scale
county there once (and timing seed_scale). Township 01 gets one extra branch of 40 members with a year of
meetings at the demo's rate, for the coverage target. Prints, per page and user, the median and worst server
time over the repeats and the number of queries of one request. Targets (figures, not timed tests): a
township's meeting list under 150 ms with a number of queries that does not grow with the data; the coverage
page of a 40-member branch under 100 ms.
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
os.environ.setdefault("TAIZHANG_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-study.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
os.environ.setdefault("TAIZHANG_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

FORTY = "第01乡压测四十人党支部"


def forty_member_branch():
    """A 40-member branch in township 01 with its meetings, attendance and make-up study (built once)."""
    import random

    from taizhang.campaigns.models import Campaign
    from taizhang.demo.seed.context import Township
    from taizhang.demo.seed.names import mobile_pool, name_pool
    from taizhang.demo.seed.study import _save, _Township
    from taizhang.orgs.models import Member, Organisation

    branch = Organisation.objects.filter(name=FORTY).first()
    if branch is not None:
        return branch
    committee = Organisation.objects.get(name="第01乡党委")
    rng = random.Random(40)
    with transaction.atomic():
        branch = Organisation.objects.create(
            name=FORTY, short_name="四十人支部", kind="branch", parent=committee, order=99
        )
        names, mobiles = name_pool(rng, 40), mobile_pool(rng, 40)
        categories = ["农村"] * 36 + ["退休", "退休", "流动", "流动"]
        Member.objects.bulk_create(
            Member(name=n, organisation=branch, category=c, mobile=m)
            for n, m, c in zip(names, mobiles, categories, strict=True)
        )
        members = list(Member.objects.filter(organisation=branch).order_by("pk"))
        branch.secretary = members[0]
        branch.save(update_fields=["secretary"])
        township = Township(committee=committee, branches=[branch], members_by_org={branch.pk: members})
        builder = _Township(township, Campaign.current(), rng)
        builder.branch(0, branch)
        _save(builder, history=False)
    return branch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from taizhang.accounts.models import User
    from taizhang.orgs.models import Member, Organisation
    from taizhang.study.models import Attendance, MakeUp, Meeting

    call_command("migrate", verbosity=0)
    townships = Organisation.objects.filter(kind="committee").count()
    if townships != args.townships or not Meeting.objects.exists():
        started = time.monotonic()
        call_command("seed_scale", townships=args.townships, force=True, stdout=io.StringIO())
        print(f"seed_scale --townships {args.townships}: {time.monotonic() - started:.1f} s")
    forty = forty_member_branch()
    meeting = Meeting.objects.filter(organiser__parent__name="第01乡党委", type="党员大会").first()
    print(
        f"data: {Organisation.objects.count()} organisations, {Member.objects.count()} members, "
        f"{Meeting.objects.count()} meetings, {Attendance.objects.count()} attendance rows, "
        f"{MakeUp.objects.count()} make-ups ({connection.vendor})"
    )
    pages = [
        ("admin01", "/study/meetings/"),
        ("admin01", "/study/meetings/?type=专题研讨"),
        ("admin01", "/study/meetings/?month=2023-11"),
        ("admin01", "/study/meetings/?page=60"),
        ("county", "/study/meetings/"),
        ("t01-branch01", "/study/meetings/"),
        ("admin01", f"/study/coverage/?org={forty.pk}"),
        ("admin01", "/study/coverage/"),
        ("admin01", "/study/plans/"),
        ("admin01", "/study/deployment/"),
        ("admin01", f"/study/meetings/{meeting.pk}/"),
        ("t01-branch01", "/study/meetings/new/"),
    ]
    print(f"{'user':<14}{'page':<34}{'median ms':>10}{'max ms':>9}{'queries':>9}")
    for username, path in pages:
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
        shown = path.replace(str(forty.pk), "<40人支部>").replace(f"/{meeting.pk}/", "/<党员大会>/")
        print(
            f"{username:<14}{shown:<34}{statistics.median(times):>10.1f}{max(times):>9.1f}{len(queries):>9}"
        )


if __name__ == "__main__":
    main()
