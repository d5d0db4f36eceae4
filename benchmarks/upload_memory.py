"""Memory of reading uploaded workbooks: crafted bombs and real ledgers, by the import command and by a real server.

    .venv/bin/python benchmarks/upload_memory.py [--skip-server] [--skip-40000] [--code DIR]

Workbooks (made once, cached under var/upload-memory/):
- bomb-1000mb.xlsx: ~7 MB whose shared strings expand to 1,000 MB of varied text (a ratio of ~150, which the
  zip checks before issue 12 let through: they believed the declared sizes, refused over 1 GiB or a ratio
  over 200);
- bomb-64kb.xlsx: under the 64 KB that a request checks inline, 580,000 tiny shared strings (10 MB, a ratio
  of ~180): openpyxl holds each as a Python object, in the server's process;
- at-limits.xlsx: shared strings just under the limits (taizhang/ledgers/limits.py), to show what openpyxl
  costs at the most the check lets through;
- meetings-10000.xlsx / meetings-40000.xlsx: real 会议活动 ledgers (benchmarks/ledgers.py's), which must pass.

(a) `taizhang import --dry-run FILE` in a child process per workbook: its peak memory (max RSS) and the first
    message. (b) `taizhang serve --workers 2` on a fresh SQLite database seeded with seed_demo: xx-admin logs
    in and uploads each bomb through /ledgers/import/ once, then four at once (threads); the server's processes
    (master and workers, from /proc) are sampled every 20 ms, and a file over 64 KB becomes a job run by
    `taizhang worker --batch`, whose peak is measured the same way. Each job's page is read back for its message.
--code DIR runs the children from another checkout (e.g. `git archive HEAD~1 | tar -x -C DIR`: the figures
before a change).

Target (issue 12): peak memory of the server for any upload at most 300 MB; real ledgers are not refused.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.ledgers import CHILD  # noqa: E402 - runs a taizhang command and prints its peak memory

CACHE = ROOT / "var" / "upload-memory"
CODE = ROOT


def environment(var: Path) -> dict:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("TAIZHANG_")}
    return environ | {
        "PYTHONPATH": str(CODE),
        "DJANGO_SETTINGS_MODULE": "taizhang.settings",
        "TAIZHANG_VAR_DIR": str(var),
        "TAIZHANG_DATABASE_URL": f"sqlite:///{var / 'taizhang.sqlite3'}",
    }


def taizhang(var: Path, *args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=CODE, env=environment(var), **kwargs)


def measured(var: Path, *args) -> tuple[float, float, str]:
    """(seconds, peak MB, output) of one taizhang command."""
    started = time.monotonic()
    done = taizhang(var, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = done.communicate()
    peak = int(err.rsplit("maxrss", 1)[1].split()[0]) / 1024 if "maxrss" in err else 0.0
    return time.monotonic() - started, peak, out + err.rsplit("maxrss", 1)[0]


# -- workbooks -------------------------------------------------------------------------------------------------


def template_members() -> dict[str, bytes]:
    """A real 会议活动 workbook with its text in shared strings (the tests' template)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    os.environ.setdefault("TAIZHANG_DATABASE_URL", "sqlite:///:memory:")
    import io

    import django

    django.setup()
    from taizhang.ledgers.tests.test_reading_limits import template

    with zipfile.ZipFile(io.BytesIO(template())) as source:
        return {name: source.read(name) for name in source.namelist()}


def with_strings(path: Path, strings) -> Path:
    """The template with its shared strings followed by `strings` (an iterator of XML chunks), streamed."""
    if path.exists():
        return path
    members = template_members()
    own = members.pop("xl/sharedStrings.xml")
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(own[: own.rindex(b"</sst>")])
            for chunk in strings:
                out.write(chunk)
            out.write(b"</sst>")
    partial.rename(path)
    return path


def varied(size: int, token: int = 6, filler: int = 2200):
    """~size bytes of strings each a random token and a run of text: deflate shrinks it ~150 times."""
    text = b"x" * filler
    done = 0
    while done < size:
        chunk = b"".join(
            b"<si><t>%s%s</t></si>" % (os.urandom(token).hex().encode(), text) for _ in range(256)
        )
        done += len(chunk)
        yield chunk


def tiny(count: int, varied: float = 0.014):
    """`count` tiny strings, nearly all "a": a file under 64 KB (checked within the request) that deflate
    shrinks ~180 times, under the ratio of 200 that the old check refused."""
    chance = random.Random(12)
    for _ in range(0, count, 10_000):
        yield b"".join(
            b"<si><t>%s</t></si>" % (b"%02x" % chance.randrange(256) if chance.random() < varied else b"a")
            for _ in range(10_000)
        )


def near_limits(strings: int, chars: int):
    """Shared strings just under the limits: 10,000 fewer strings, 200,000 fewer characters."""
    count = strings - 10_000
    length = (chars - 200_000) // count
    filler = ("学习贯彻" * length)[: length - 8]
    for start in range(0, count, 1000):
        yield "".join(f"<si><t>{n:08d}{filler}</t></si>" for n in range(start, start + 1000)).encode()


def meetings(rows: int, database: Path) -> Path:
    path = CACHE / f"meetings-{rows}.xlsx"
    if not path.exists():
        build = (
            "from pathlib import Path\nfrom benchmarks.ledgers import build_workbook\n"
            f"build_workbook(Path({str(database)!r}), {rows}, Path({str(path)!r}))"
        )
        subprocess.run(
            [sys.executable, "-c", build],
            cwd=ROOT,
            check=True,
            env=environment(database.parent) | {"PYTHONPATH": str(ROOT)},
        )
    return path


# -- memory of a process tree ------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


class Sampler:
    """Peak RSS of a process and its children: the largest one and their sum, sampled every 20 ms."""

    def __init__(self, pid: int):
        self.pid = pid
        self.largest = self.total = 0.0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped.wait(0.02):
            sizes = [rss_mb(p) for p in [self.pid, *children(self.pid)]]
            self.largest = max(self.largest, *sizes)
            self.total = max(self.total, sum(sizes))

    def stop(self) -> Sampler:
        self.stopped.set()
        self.thread.join()
        return self


# -- a real server ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=600) as response:
            return response.read().decode()

    def post(self, path: str, data: bytes, content_type: str, referer: str) -> tuple[int, str, str]:
        request = urllib.request.Request(
            self.base + path,
            data=data,
            headers={"Content-Type": content_type, "Referer": self.base + referer},
        )
        with self.opener.open(request, timeout=600) as response:
            return response.status, response.geturl(), response.read().decode()

    def token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def login(self, username: str, password: str) -> None:
        token = self.token(self.get("/accounts/login/"))
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        _, url, _ = self.post(
            "/accounts/login/", form.encode(), "application/x-www-form-urlencoded", "/accounts/login/"
        )
        assert "/accounts/login/" not in url, "login failed"

    def upload(self, path: Path) -> str:
        """Upload a workbook from the ledgers page; the job page's address."""
        page = self.get("/ledgers/")
        action = re.search(r'action="(/ledgers/import/[^"]*)"', page)[1].replace("&amp;", "&")
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{self.token(page)}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="台账.xlsx"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + path.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        _, url, _ = self.post(action, body, f"multipart/form-data; boundary={boundary}", "/ledgers/")
        return urllib.parse.urlparse(url).path

    def message(self, job: str) -> str:
        page = self.get(job)
        found = re.search(r'<div id="job".*?</div>\s*$', page, re.S) or re.search(
            r"<main.*?</main>", page, re.S
        )
        text = re.sub(r"<[^>]+>", " ", found[0] if found else page)
        return re.sub(r"\s+", " ", text).strip()[:160]


def serve_and_upload(var: Path, files: dict[str, Path]) -> None:
    port = free_port()
    server = taizhang(
        var,
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(
                        f"the server did not start: {server.stderr.read().decode()[-2000:]}"
                    ) from None
                time.sleep(0.3)
        idle = Sampler(server.pid)
        time.sleep(1)
        print(f"  server idle: largest process {idle.stop().largest:5.0f} MB")
        for label, path in files.items():
            for clients in (1, 4):
                browsers = [Browser(f"http://127.0.0.1:{port}") for _ in range(clients)]
                for browser in browsers:
                    browser.login("xx-admin", "demo2023")
                sampler = Sampler(server.pid)
                with concurrent.futures.ThreadPoolExecutor(clients) as pool:
                    jobs = list(pool.map(lambda b, path=path: b.upload(path), browsers))
                sampler.stop()
                seconds, worker_peak, _ = measured(var, "worker", "--batch")
                worker = (
                    f", worker --batch {worker_peak:5.0f} MB in {seconds:4.1f} s"
                    if path.stat().st_size > 64 * 1024
                    else ""
                )
                print(
                    f"  {label:>14} ×{clients}: server largest process {sampler.largest:5.0f} MB, all {sampler.total:5.0f} MB{worker}"
                )
                print(f"      {browsers[0].message(jobs[0])}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    global CODE
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--skip-40000", action="store_true", help="leave out the 40,000-row ledger (minutes)")
    parser.add_argument("--code", type=Path, default=ROOT, help="run the children from this checkout")
    args = parser.parse_args()
    CODE = args.code.resolve()
    CACHE.mkdir(parents=True, exist_ok=True)
    template_members()  # Django set up in this process (reads the limits below)
    from taizhang.ledgers import limits

    var = Path(tempfile.mkdtemp(prefix="upload-memory-"))
    try:
        print(f"code: {CODE}")
        for step in (("migrate", "-v", "0"), ("seed_demo",)):
            if measured(var, *step)[1] == 0:
                raise SystemExit(f"taizhang {' '.join(step)} failed")
        files = {
            "bomb 1 GB": with_strings(CACHE / "bomb-1000mb.xlsx", varied(1000 * 1024 * 1024)),
            "bomb 64 KB": with_strings(CACHE / "bomb-64kb.xlsx", tiny(580_000)),
            "at the limits": with_strings(
                CACHE / f"at-limits-{limits.MAX_SHARED_STRINGS}.xlsx",
                near_limits(limits.MAX_SHARED_STRINGS, limits.MAX_SHARED_CHARS),
            ),
            "10,000 rows": meetings(10_000, var / "taizhang.sqlite3"),
            "40,000 rows": meetings(40_000, var / "taizhang.sqlite3"),
        }
        if args.skip_40000:
            del files["40,000 rows"]
        print("workbooks:")
        for label, path in files.items():
            with zipfile.ZipFile(path) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
            print(
                f"  {label:>14}: {path.stat().st_size / 1024 / 1024:6.2f} MB, expands to {expanded / 1024 / 1024:7.0f} MB"
            )
        print("(a) taizhang import --dry-run FILE, one child process each (target: peak < 300 MB):")
        for label, path in files.items():
            seconds, peak, output = measured(var, "import", "--dry-run", str(path))
            said = next((line for line in output.splitlines() if line.strip()), "")
            print(f"  {label:>14}: peak {peak:5.0f} MB, {seconds:5.1f} s   {said[:110]}")
        if not args.skip_server:
            print(
                "(b) taizhang serve --workers 2, uploads through /ledgers/import/ (target: largest process < 300 MB):"
            )
            serve_and_upload(var, {k: v for k, v in files.items() if k != "40,000 rows"})
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
