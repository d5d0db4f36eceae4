"""The production server behind `taizhang serve`: gunicorn started from Python with the project's WSGI
application, its options from the command line over TAIZHANG_* settings over defaults.

Every default is read from `django.conf.settings` first (SERVER_BIND, SERVER_WORKERS, …), and while
settings.py does not define it, from the TAIZHANG_* variable named beside it in SETTINGS; a value that is
not understood stops the start with a Chinese message (ServerConfigError) rather than running on a guess.
"""

from __future__ import annotations

import errno
import os
import re
import socket
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from gunicorn.app.base import BaseApplication

# No query string and no referrer in the access log: searches carry people's names (?q=张三). The first
# address is the client's as the reverse proxy saw it (X-Forwarded-For), the second the proxy's.
ACCESS_LOG_FORMAT = '%({x-forwarded-for}i)s %(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# More processes than this only add memory: on SQLite every write waits for the one write lock anyway.
MAX_DEFAULT_WORKERS = {"sqlite": 4, "other": 8}


class ServerConfigError(ValueError):
    """A server option or TAIZHANG_* value that cannot be used; the message is Chinese, for the operator."""


def _positive_int(label: str, upper: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ServerConfigError(f"{label}应为整数，收到的是“{value}”。") from None
        if not 1 <= number <= upper:
            raise ServerConfigError(f"{label}应在 1 到 {upper} 之间，收到的是 {number}。")
        return number

    return parse


def _count(label: str, upper: int) -> Callable[[str], int]:
    """A non-negative integer (0 switches the feature off)."""
    positive = _positive_int(label, upper)
    return lambda value: 0 if str(value).strip() == "0" else positive(value)


_BIND = re.compile(r"^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):\d{1,5}$")


def parse_bind(value: str) -> str:
    """HOST:PORT ([::1]:8000 for IPv6) or unix:/path/to/socket."""
    value = str(value).strip()
    if value.startswith("unix:") and len(value) > len("unix:"):
        return value
    if not _BIND.match(value) or not 1 <= int(value.rsplit(":", 1)[1]) <= 65535:
        raise ServerConfigError(
            f"监听地址应写成“地址:端口”（如 127.0.0.1:8000）或“unix:套接字路径”，收到的是“{value}”。"
        )
    return value


def _text(value: str) -> str:
    return str(value).strip()


# option: (setting in django.conf.settings, TAIZHANG_* variable, parser)
SETTINGS: dict[str, tuple[str, str, Callable[[str], object]]] = {
    "bind": ("SERVER_BIND", "TAIZHANG_BIND", parse_bind),
    "workers": ("SERVER_WORKERS", "TAIZHANG_WORKERS", _positive_int("进程数（workers）", 64)),
    "threads": ("SERVER_THREADS", "TAIZHANG_THREADS", _positive_int("每个进程的线程数（threads）", 64)),
    "timeout": ("SERVER_TIMEOUT", "TAIZHANG_TIMEOUT", _positive_int("超时秒数（timeout）", 3600)),
    "graceful_timeout": (
        "SERVER_GRACEFUL_TIMEOUT",
        "TAIZHANG_GRACEFUL_TIMEOUT",
        _positive_int("停止时等待秒数（graceful timeout）", 3600),
    ),
    "max_requests": ("SERVER_MAX_REQUESTS", "TAIZHANG_MAX_REQUESTS", _count("进程重启前的请求数", 10**7)),
    "accesslog": ("SERVER_ACCESS_LOG", "TAIZHANG_ACCESS_LOG", _text),
    "forwarded_allow_ips": ("SERVER_FORWARDED_ALLOW_IPS", "TAIZHANG_FORWARDED_ALLOW_IPS", _text),
}


def cpu_count() -> int:
    """The cores this process may use (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(cores: int | None = None, engine: str | None = None) -> int:
    """2 × cores + 1, at most 4 on SQLite and 8 on PostgreSQL."""
    engine = engine or settings.DATABASES["default"]["ENGINE"]
    return min(
        2 * (cores or cpu_count()) + 1, MAX_DEFAULT_WORKERS["sqlite" if "sqlite" in engine else "other"]
    )


def defaults() -> dict[str, object]:
    return {
        "bind": "127.0.0.1:8000",
        "workers": default_workers(),
        # Threads let one process serve a slow phone while another request waits on the database.
        "threads": 4,
        "timeout": 60,
        # On stop or restart, requests under way (an upload) get this long to finish.
        "graceful_timeout": 30,
        # A process is replaced after about this many requests (±10 %), so that memory a large workbook
        # left behind is given back; 0 = never.
        "max_requests": 1000,
        "accesslog": "-",
        "forwarded_allow_ips": "127.0.0.1,::1",
    }


def configured(option: str, default: object, environ=None) -> object:
    """The value of one option from settings, else from its TAIZHANG_* variable, else the default."""
    setting, variable, parse = SETTINGS[option]
    if hasattr(settings, setting):
        value = getattr(settings, setting)
        return parse(value) if isinstance(value, str) else value
    raw = (os.environ if environ is None else environ).get(variable)
    if raw is None:
        return default
    try:
        return parse(raw)
    except ServerConfigError as exc:
        raise ServerConfigError(f"环境变量 {variable}：{exc}") from None


def gunicorn_options(environ=None, **given) -> dict[str, object]:
    """gunicorn's settings: each option from `given` (the command line; None = not given), else configured."""
    options = {}
    for option, default in defaults().items():
        value = given.get(option)
        if value is None:
            options[option] = configured(option, default, environ)
        else:
            options[option] = SETTINGS[option][2](str(value))
    accesslog = options.pop("accesslog")
    options.update(
        {
            "accesslog": accesslog or None,  # empty: no access log (the reverse proxy keeps one)
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "max_requests_jitter": options["max_requests"] // 10,
            # The master has loaded Django already (the command runs inside it): workers are forked with
            # everything imported, start fast when replaced, and a broken setting stops the start at once.
            "preload_app": True,
            # gunicorn's runtime control socket is off: one fewer thing listening, no clash between two
            # installations run by one user.
            "control_socket_disable": True,
            "proc_name": "taizhang",
        }
    )
    return options


def check_bind(bind: str) -> None:
    """Say in Chinese, before gunicorn retries and gives up in English, that the address cannot be used."""
    if bind.startswith("unix:"):
        return
    host, port = bind.rsplit(":", 1)
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host, int(port)))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServerConfigError(
                    f"端口 {port} 已被其他程序占用（{bind}）：请先停止它，或换一个端口。"
                ) from None
            if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(exc, socket.gaierror):
                raise ServerConfigError(f"本机没有地址 {host}，不能在 {bind} 上监听。") from None
            if exc.errno == errno.EACCES:
                raise ServerConfigError(
                    f"没有权限使用端口 {port}（1024 以下的端口需要 root）：请换用 8000 等端口。"
                ) from None
            raise


class TaizhangServer(BaseApplication):
    """gunicorn's application: the given options, and the WSGI application Django was set up with."""

    def __init__(self, options: dict[str, object], application):
        self.options = options
        self.application = application
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def uncollected_static_files() -> list[str]:
    """Static files (styles, scripts) the pages need that whitenoise will not find: when it reads only
    STATIC_ROOT (WHITENOISE_USE_FINDERS off), those `collectstatic` has not copied there, or copied before
    an upgrade changed them. With the finders on, whitenoise serves the packages' own files: nothing lacks."""
    from django.contrib.staticfiles import finders

    if getattr(settings, "WHITENOISE_USE_FINDERS", settings.DEBUG):
        return []
    root = Path(settings.STATIC_ROOT)
    missing = []
    seen = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None) or ""
            name = f"{prefix}/{path}" if prefix else path
            if name in seen:
                continue
            seen.add(name)
            collected = root / name
            if not collected.exists() or collected.stat().st_mtime < Path(storage.path(path)).stat().st_mtime:
                missing.append(name)
    return missing
