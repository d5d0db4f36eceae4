"""Excel ledgers at scale: importing 10,000 meeting rows with attendance names, exporting the seed_scale county.

    .venv/bin/python benchmarks/ledgers.py [--rows 10000] [--skip-export]

Import: a fresh SQLite file (var/bench-ledgers.sqlite3) holding the demo township, a workbook of --rows
会议活动 rows (each with the names of its branch's members) written beside it, then `taizhang import` run in
a child process: its wall time and peak memory (max RSS) are printed, then the same for a second import of
the same file (which must add nothing). Export: `taizhang export` of the whole county in var/bench.sqlite3
(the seed_scale data of benchmarks/pages.py; generated there if missing), its time, size and peak memory.

Targets (issue 7): import under 15 s and 300 MB; export under 30 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
# Runs one taizhang command in a child process and prints the child's own peak memory (max RSS, KB) last.
CHILD = (
    "import resource, sys\n"
    "from taizhang.__main__ import main\n"
    "sys.argv = ['taizhang', *sys.argv[1:]]\n"
    "try:\n    main()\n"
    "finally:\n    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def run(args, database: Path) -> tuple[float, float, str]:
    """(seconds, peak MB of the child, output) of one taizhang command on a database."""
    env = {**os.environ, "TAIZHANG_DATABASE_URL": f"sqlite:///{database}"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True, cwd=ROOT
    )
    elapsed = time.monotonic() - started
    if done.returncode:
        print(done.stdout, done.stderr)
        raise SystemExit(f"taizhang {' '.join(args)} failed")
    peak = int(done.stderr.rsplit("maxrss", 1)[1].split()[0]) / 1024
    return elapsed, peak, done.stdout + done.stderr.rsplit("maxrss", 1)[0]


def build_workbook(database: Path, rows: int, out: Path) -> None:
    os.environ["TAIZHANG_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from collections import Counter

    from openpyxl import Workbook

    from taizhang.orgs.models import Member, Organisation

    branches = list(Organisation.objects.filter(kind="branch"))
    members = {}
    names = Counter(Member.objects.values_list("name", flat=True))
    for member in Member.objects.select_related("organisation"):
        shown = f"{member.name}（{member.organisation.name}）" if names[member.name] > 1 else member.name
        members.setdefault(member.organisation_id, []).append(shown)
    types = ["专题研讨", "党员大会", "主题党日", "党小组会", "支委会"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("会议活动")
    sheet.append(["XX乡主题教育会议活动台账"])
    sheet.append(["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"])
    start = datetime.date(2023, 9, 1)
    for n in range(rows):
        branch = branches[n % len(branches)]
        people = members.get(branch.pk, [])[: 8 + n % 10]
        sheet.append(
            [
                start + datetime.timedelta(days=n % 150),
                branch.name,
                types[n % len(types)],
                f"第{n + 1}次学习：深入学习贯彻新思想",
                None,
                "党员活动室",
                "、".join(people),
                len(people) or 5,
            ]
        )
    book.save(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)

    database = VAR / "bench-ledgers.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    run(["migrate", "-v", "0"], database)
    run(["seed_demo"], database)
    workbook = VAR / f"bench-meetings-{args.rows}.xlsx"
    build = (
        "from pathlib import Path\nfrom benchmarks.ledgers import build_workbook\n"
        f"build_workbook(Path({str(database)!r}), {args.rows}, Path({str(workbook)!r}))"
    )
    subprocess.run([sys.executable, "-c", build], cwd=ROOT, check=True)
    size = workbook.stat().st_size / 1024 / 1024
    print(f"workbook: {args.rows} 会议活动 rows with names, {size:.1f} MB")
    seconds, peak, output = run(["import", str(workbook)], database)
    print(f"import:        {seconds:6.1f} s, peak {peak:6.0f} MB   (target < 15 s, < 300 MB)")
    print("   " + [line for line in output.splitlines() if line.startswith("会议活动")][0])
    seconds, peak, output = run(["import", str(workbook)], database)
    print(f"import again:  {seconds:6.1f} s, peak {peak:6.0f} MB   (adds nothing)")
    print("   " + [line for line in output.splitlines() if line.startswith("会议活动")][0])

    if args.skip_export:
        return
    scale = VAR / "bench.sqlite3"
    if not scale.exists():
        raise SystemExit("var/bench.sqlite3 missing: run benchmarks/pages.py first to generate seed_scale")
    out = VAR / "bench-export.xlsx"
    seconds, peak, output = run(["export", "--org", "XX县委", "-o", str(out)], scale)
    print(
        f"export county: {seconds:6.1f} s, peak {peak:6.0f} MB, {out.stat().st_size / 1024 / 1024:.1f} MB (target < 30 s)"
    )


if __name__ == "__main__":
    main()
