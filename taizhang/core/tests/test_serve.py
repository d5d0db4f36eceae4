"""`taizhang serve`: the gunicorn settings it builds from options, TAIZHANG_* and defaults, what it refuses
to start with, and one real server started and stopped as an operator would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.core import server
from taizhang.core.management.commands import serve

ROOT = Path(__file__).resolve().parents[3]


def options(environ=None, **given):
    return server.gunicorn_options(environ={} if environ is None else environ, **given)


def test_defaults_are_a_local_threaded_server_that_recycles_its_processes(monkeypatch):
    monkeypatch.setattr(server, "cpu_count", lambda: 1)
    built = options()
    assert built["bind"] == "127.0.0.1:8000"
    assert built["workers"] == 3  # 2 × 1 core + 1
    assert built["threads"] == 4
    assert built["timeout"] == 60
    assert built["graceful_timeout"] == 30
    assert (built["max_requests"], built["max_requests_jitter"]) == (1000, 100)
    assert built["accesslog"] == "-"
    assert built["control_socket_disable"] is True


def test_default_workers_are_capped_lower_on_sqlite_than_on_postgresql():
    assert server.default_workers(1, "django.db.backends.sqlite3") == 3
    assert server.default_workers(16, "django.db.backends.sqlite3") == 4
    assert server.default_workers(2, "django.db.backends.postgresql") == 5
    assert server.default_workers(16, "django.db.backends.postgresql") == 8


def test_taizhang_variables_set_the_defaults_and_the_command_line_wins():
    environ = {
        "TAIZHANG_BIND": "0.0.0.0:9000",
        "TAIZHANG_WORKERS": "6",
        "TAIZHANG_THREADS": "2",
        "TAIZHANG_TIMEOUT": "120",
        "TAIZHANG_MAX_REQUESTS": "0",
        "TAIZHANG_ACCESS_LOG": "",
    }
    from_env = options(environ)
    assert (from_env["bind"], from_env["workers"], from_env["threads"], from_env["timeout"]) == (
        "0.0.0.0:9000",
        6,
        2,
        120,
    )
    assert (from_env["max_requests"], from_env["max_requests_jitter"]) == (0, 0)
    assert from_env["accesslog"] is None
    given = options(environ, bind="unix:/run/taizhang/web.sock", workers="2", threads="1", timeout="30")
    assert (given["bind"], given["workers"], given["threads"], given["timeout"]) == (
        "unix:/run/taizhang/web.sock",
        2,
        1,
        30,
    )


def test_a_value_in_django_settings_comes_before_the_variable(settings):
    settings.SERVER_WORKERS = 7
    settings.SERVER_BIND = "10.0.0.5:8080"
    built = options({"TAIZHANG_WORKERS": "2", "TAIZHANG_BIND": "127.0.0.1:1"})
    assert (built["workers"], built["bind"]) == (7, "10.0.0.5:8080")


@pytest.mark.parametrize(
    ("environ", "given", "said"),
    [
        ({"TAIZHANG_WORKERS": "many"}, {}, "TAIZHANG_WORKERS"),
        ({"TAIZHANG_THREADS": "0"}, {}, "1 到 64"),
        ({}, {"bind": "8000"}, "地址:端口"),
        ({}, {"bind": "127.0.0.1:70000"}, "地址:端口"),
        ({}, {"workers": "-1"}, "进程数"),
    ],
)
def test_values_that_cannot_be_used_stop_the_start_in_chinese(environ, given, said):
    with pytest.raises(server.ServerConfigError, match=said):
        options(environ, **given)


def test_gunicorn_accepts_the_options():
    application = object()
    app = server.TaizhangServer(options(workers="2", threads="3", bind="127.0.0.1:8123"), application)
    assert app.cfg.workers == 2
    assert app.cfg.worker_class_str == "gthread"
    assert app.cfg.bind == ["127.0.0.1:8123"]
    assert app.cfg.max_requests_jitter == 100
    assert app.cfg.preload_app is True
    assert "%(U)s" in app.cfg.access_log_format and "%(q)s" not in app.cfg.access_log_format  # no ?q=张三
    assert app.load() is application


@pytest.fixture
def started(monkeypatch):
    """The options the command would start gunicorn with (gunicorn itself is not started)."""
    runs = []
    monkeypatch.setattr(serve.TaizhangServer, "run", lambda self: runs.append(self.options))
    return runs


@pytest.mark.django_db
def test_the_command_refuses_debug_mode_unless_told(settings, started):
    settings.DEBUG = True
    bind = f"127.0.0.1:{free_port()}"
    with pytest.raises(CommandError, match="TAIZHANG_DEBUG"):
        call_command("serve", bind=bind)
    assert started == []
    call_command("serve", bind=bind, insecure_debug=True)
    assert started[0]["bind"] == bind


@pytest.mark.django_db
def test_the_command_reports_a_bad_option_in_chinese(started):
    with pytest.raises(CommandError, match="进程数"):
        call_command("serve", workers="zero")
    assert started == []


@pytest.mark.django_db
def test_a_port_in_use_is_named_before_gunicorn_tries_it(started):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"端口 {port} 已被其他程序占用"):
            call_command("serve", bind=f"127.0.0.1:{port}")
    assert started == []


@pytest.mark.django_db
def test_static_files_not_collected_are_named_when_whitenoise_reads_only_the_static_root(
    settings, tmp_path, started, capsys
):
    settings.WHITENOISE_USE_FINDERS = False
    settings.STATIC_ROOT = tmp_path
    assert "taizhang/app.css" in server.uncollected_static_files()
    call_command("serve", bind=f"127.0.0.1:{free_port()}")
    assert "collectstatic" in capsys.readouterr().err
    call_command("collectstatic", interactive=False, verbosity=0)
    assert server.uncollected_static_files() == []


# A real server: the console script's module in a subprocess, against a migrated SQLite file.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def taizhang(var: Path, *args, **kwargs):
    environ = {key: value for key, value in os.environ.items() if not key.startswith("TAIZHANG_")}
    environ |= {
        "PYTHONPATH": str(ROOT),
        "TAIZHANG_VAR_DIR": str(var),
        "TAIZHANG_DATABASE_URL": f"sqlite:///{var / 'taizhang.sqlite3'}",
    }
    command = [sys.executable, "-m", "taizhang", *args]
    return subprocess.Popen(command, cwd=ROOT, env=environ, text=True, **kwargs)


def get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def wait_until_up(process, url: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            return get(url)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer {url} within {seconds} s")


def test_a_real_server_serves_pages_and_stops_cleanly_on_sigterm(tmp_path):
    assert taizhang(tmp_path, "migrate", "--verbosity", "0").wait(timeout=300) == 0
    port = free_port()
    process = taizhang(
        tmp_path,
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        status, body = wait_until_up(process, f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        status, body = get(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        assert "登录" in body
        process.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        out, err = process.communicate(timeout=10)
        assert time.monotonic() - stopping < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "台账网页服务启动" in out
    assert '"GET /accounts/login/ HTTP/1.1" 200' in out  # the access log


def test_a_database_not_migrated_is_refused_before_serving(tmp_path):
    process = taizhang(
        tmp_path,
        "serve",
        "--bind",
        f"127.0.0.1:{free_port()}",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "taizhang migrate" in err
