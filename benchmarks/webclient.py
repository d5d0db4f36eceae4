"""Clients that use Taizhang as a browser would, for the load benchmark (benchmarks/concurrency.py) and the
50-writer no-loss test (taizhang/core/tests/test_no_loss.py); the standard library only.

`Browser` is one person's session: a keep-alive connection, its cookies, the CSRF token, no redirects followed
(a 302 is an answer to check). `form_fields` reads a page's form as the browser would post it (hidden
inputs, ticked boxes, the chosen radio and option). `Tally` collects every request's kind, time and outcome
from many threads and prints the figures. `taizhang` starts a command of the project as a child process
(the server, the worker, migrate) with a clean TAIZHANG_* environment.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # seconds a client waits for an answer before counting a timeout
BUSY = 503  # the Chinese "系统繁忙" page: an error, but reported apart


class RequestFailed(Exception):
    """An answer that is not the one expected (status, or no answer at all); its text says which."""

    def __init__(self, kind: str, text: str, status: int | None = None):
        super().__init__(f"{kind}: {text}")
        self.kind, self.text, self.status = kind, text, status


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


# Pages


class _FormReader(HTMLParser):
    """The forms of a page: their action and the (name, value) pairs a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]], set[str]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), [], set()))
        if not self.forms or "name" not in a and tag not in ("option",):
            return
        fields = self.forms[-1][1]
        if "name" in a:
            self.forms[-1][2].add(a["name"])
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self.forms[-1][1].extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1][1].append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None


def form_fields(page: str, having: str, path: str, action: str = "") -> tuple[str, list[tuple[str, str]]]:
    """The first form of the page at `path` with a field named `having` (and posting to an address that
    contains `action`, if given): (where it posts, its fields)."""
    reader = _FormReader()
    reader.feed(page)
    for target, fields, names in reader.forms:
        if having in names and action in target:
            return target or path, fields
    raise RequestFailed("form", f"no form with a “{having}” field on {path}")


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with these names set to these values (added if the form had none)."""
    kept = [(k, v) for k, v in fields if k not in values]
    return kept + list(values.items())


# One person's session


class Browser:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = TIMEOUT):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Answer:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "taizhang-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.monotonic()
        for attempt in (1, 2):  # a kept-alive connection the server has closed meanwhile is opened again
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if attempt == 2 or body is not None and not isinstance(exc, BrokenPipeError):
                    raise  # a POST the server may have received is not sent twice
            except BaseException:
                self.close()
                raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            self.close()
        answer = {k.lower(): v for k, v in response.headers.items()}
        return Answer(response.status, answer, text, time.monotonic() - started)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]]) -> Answer:
        body = urlencode(fields).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def post_file(self, path: str, fields: list[tuple[str, str]], name: str, file: Path) -> Answer:
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file.name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
            + file.read_bytes()
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


# Figures


@dataclass
class Tally:
    """Every request's kind and seconds, and the errors, from many threads."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)  # kind → count (503s included)
    busy: dict[str, int] = field(default_factory=dict)  # kind → count of 503s
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, call, expect=(200,)) -> Answer:
        """Make one request (call()) and count it: an answer whose status is not expected, a timeout or a
        refused connection is an error (RequestFailed is raised for the caller to start its loop again)."""
        started = time.monotonic()
        try:
            answer = call()
        except (OSError, http.client.HTTPException) as exc:
            self.record(kind, time.monotonic() - started, f"{type(exc).__name__}: {exc}")
            raise RequestFailed(kind, type(exc).__name__) from exc
        if answer.status not in expect:
            self.record(kind, answer.seconds, describe(answer), busy=answer.status == BUSY)
            raise RequestFailed(kind, describe(answer), answer.status)
        self.record(kind, answer.seconds)
        return answer

    def record(self, kind: str, seconds: float, error: str = "", busy: bool = False) -> None:
        with self.lock:
            self.seconds.setdefault(kind, []).append(seconds)
            if error:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if busy:
                    self.busy[kind] = self.busy.get(kind, 0) + 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind} after {seconds:.1f} s: {error}")

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.seconds.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def report(self, out=sys.stdout) -> None:
        every = [s for values in self.seconds.values() for s in values]
        print(
            f"{'requests':<10}{'count':>7}{'errors':>8}{'503':>6}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}",
            file=out,
        )
        for kind, values in [*self.seconds.items(), ("all", every)]:
            errors = self.error_count if kind == "all" else self.errors.get(kind, 0)
            busy = sum(self.busy.values()) if kind == "all" else self.busy.get(kind, 0)
            figures = "".join(f"{percentile(values, p):8.2f}" for p in (50, 90, 99, 100))
            print(f"{kind:<10}{len(values):7d}{errors:8d}{busy:6d}{figures}", file=out)
        for sample in self.samples:
            print(f"   error: {sample}", file=out)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (100 = the maximum); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share / 100 * len(ordered) + 0.5) - 1))]


def describe(answer: Answer) -> str:
    """An unexpected answer in one line: its status and the page's title or first words."""
    title = re.search(r"<title>(.*?)</title>", answer.body, re.S)
    text = (title.group(1) if title else re.sub(r"\s+", " ", answer.body))[:120].strip()
    where = f" → {answer.headers.get('location')}" if "location" in answer.headers else ""
    return f"HTTP {answer.status}{where} {text}"


# What a branch secretary does


def log_in(tally: Tally, browser: Browser, username: str, password: str) -> None:
    page = tally.timed("login-page", lambda: browser.get("/accounts/login/"))
    action, fields = form_fields(page.body, "username", "/accounts/login/")
    fields = replace(fields, username=username, password=password)
    answer = tally.timed("login", lambda: browser.post(action, fields), expect=(302,))
    if "/accounts/login/" in answer.location:
        raise RequestFailed("login", f"refused for {username}")


MEETING_DETAIL = re.compile(r"^/study/meetings/(\d+)/$")


def save_meeting(tally: Tally, browser: Browser, topic: str) -> int:
    """Open the new-meeting form, post it as the page has it (the branch's members ticked) with this topic;
    the new meeting's id, from the redirect to its page."""
    page = tally.timed("form", lambda: browser.get("/study/meetings/new/"))
    action, fields = form_fields(page.body, "topic", "/study/meetings/new/")
    fields = replace(fields, topic=topic, type="党小组会", place="党员活动室")
    answer = tally.timed("save", lambda: browser.post(action, fields), expect=(302,))
    saved = MEETING_DETAIL.match(answer.location)
    if saved is None:
        raise RequestFailed("save", f"redirected to {answer.location}")
    return int(saved.group(1))


def write_meetings(port: int, logins: list[tuple[str, str]], writers: int, seconds: float, tag: str):
    """`writers` clients, each its own session (logins taken in turn), log in, then all together save
    meetings for `seconds`: (the ids of the meetings whose save each client saw succeed, the tally)."""
    tally = Tally()
    saved: list[int] = []
    deadline: list[float] = []
    ready = threading.Barrier(writers + 1, action=lambda: deadline.append(time.monotonic() + seconds))

    def writer(number: int) -> None:
        browser = Browser(port)
        try:
            log_in(tally, browser, *logins[number % len(logins)])
        except RequestFailed:
            browser = None
        finally:
            ready.wait(timeout=300)
        count = 0
        while browser is not None and time.monotonic() < deadline[0]:
            count += 1
            # A failure is counted in the tally; the client goes on, as a person would, and saves again.
            with contextlib.suppress(RequestFailed):
                saved.append(save_meeting(tally, browser, f"{tag}-{number}-{count}"))
        if browser is not None:
            browser.close()

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    ready.wait(timeout=300)
    for thread in threads:
        thread.join(timeout=seconds + 2 * TIMEOUT + 30)
    return saved, tally


# The project's commands as child processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def taizhang(var: Path, database_url: str, *args: str, log: Path | None = None, **environ: str):
    """`python -m taizhang ARGS` in a child process on this database, with var/ at `var`, not in debug mode;
    its output to `log` (appended) if given."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TAIZHANG_")}
    env |= {"PYTHONPATH": str(ROOT), "TAIZHANG_VAR_DIR": str(var), "TAIZHANG_DATABASE_URL": database_url}
    env |= environ
    output = open(log, "ab") if log else None  # noqa: SIM115 - the child holds it; closed with the process
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "taizhang", *args],
            cwd=ROOT,
            env=env,
            stdout=output or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
        )
    finally:
        if output:
            output.close()


def wait_until_up(process, port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}) before answering")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on port {port} within {seconds} s")


def stop(process, seconds: float = 30) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
