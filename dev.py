#!/usr/bin/env python3
"""Start Taizhang on a fresh machine with nothing but Python 3.11+ (standard library only).

    python3 dev.py demo            virtualenv, install, migrate, demo data, serve on 127.0.0.1:8000 with a
                                   job worker (taizhang worker) beside the server, both stopped by Ctrl+C
    python3 dev.py demo --port N   the same on another port
    python3 dev.py test [ARGS]     virtualenv, install with test extras, ruff, lint-imports, pytest ARGS

The virtualenv is ./.venv; the database, secret key and static root live in ./var/ (see settings.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".dev-py-installed"

HOST, PORT = "127.0.0.1", 8000
DEMO_LOGINS = [
    ("乡党委管理员", "xx-admin"),
    ("县委查看", "county"),
    ("党支部书记", "branch01 … branch20"),
]
DEMO_PASSWORD = "demo2023"

CHROMIUM = Path("/usr/bin/chromium")
CJK_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
APT_PACKAGES = ["chromium", "fonts-noto-cjk"]


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def fail(message: str, code: int = 1) -> None:
    print(f"!!! {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    """Run a command from the project root; stop with its exit code if it fails."""
    printable = " ".join(str(a) for a in args)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)
    if result.returncode != 0:
        fail(f"失败（退出码 {result.returncode}）：{printable}", result.returncode)
    return result


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py runs on whatever python3 the machine has
        fail(f"需要 Python 3.11 或更新版本，当前是 {sys.version.split()[0]}。")
    if PYTHON.exists():
        return
    say(f"创建虚拟环境 {VENV.relative_to(ROOT)}")
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)], cwd=ROOT)
    if result.returncode != 0 or not PYTHON.exists():
        shutil.rmtree(VENV, ignore_errors=True)
        fail("无法创建虚拟环境。Debian/Ubuntu 上请先安装：apt-get install python3-venv")


def fingerprint(target: str) -> str:
    data = (ROOT / "pyproject.toml").read_bytes() + target.encode() + sys.version.encode()
    return hashlib.sha256(data).hexdigest()


def ensure_installed(extras: str = "") -> None:
    """pip install -e .[extras], skipped when pyproject.toml and the extras have not changed since."""
    target = f".[{extras}]" if extras else "."
    known = STAMP.read_text().split() if STAMP.exists() else []
    if fingerprint(target) in known:
        return
    say(f"安装依赖：pip install -e '{target}'（首次需一两分钟）")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    # With extras the plain install is done too: `demo` after `test` needs no second pip run.
    STAMP.write_text("\n".join({*known, fingerprint(target), fingerprint(".")}) + "\n")


def taizhang(*args, **kwargs) -> subprocess.CompletedProcess:
    return run(BIN / "taizhang", *args, **kwargs)


def database_has_data() -> bool:
    code = (
        "import django; django.setup(); "
        "from taizhang.demo.seed.run import database_has_data; "
        "print('yes' if database_has_data() else 'no')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taizhang.settings"}
    result = run(PYTHON, "-c", code, env=env, stdout=subprocess.PIPE, text=True)
    return result.stdout.strip().endswith("yes")


def print_demo_logins() -> None:
    print("演示账号（仅用于演示数据）：")
    for who, username in DEMO_LOGINS:
        print(f"  {who}：账号 {username}  密码 {DEMO_PASSWORD}")


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def demo(args: list[str]) -> int:
    port = PORT
    if args[:1] == ["--port"] and len(args) == 2 and args[1].isdigit():
        port = int(args[1])
    elif args:
        fail(f"用法：python3 dev.py demo [--port {PORT}]")
    if not port_is_free(port):
        fail(f"端口 {port} 已被占用：请先停止占用它的程序，或改用 python3 dev.py demo --port {port + 1}")
    ensure_venv()
    ensure_installed()
    say("数据库迁移：taizhang migrate")
    taizhang("migrate", "--verbosity", "1")
    if database_has_data():
        say(
            "数据库中已有数据，未重新载入演示数据（不会清空；如确要重建：.venv/bin/taizhang seed_demo --force）"
        )
        print_demo_logins()
    else:
        say("载入演示数据：taizhang seed_demo")
        taizhang("seed_demo")
    url = f"http://{HOST}:{port}/"
    print()
    say(f"台账已启动：{url}   （按 Ctrl+C 停止）")
    print(flush=True)
    # --noreload: one process each, so that Ctrl+C or a kill of this process stops the server and the worker.
    server = [str(BIN / "taizhang"), "runserver", f"{HOST}:{port}", "--noreload"]
    worker = [str(BIN / "taizhang"), "worker"]  # runs the checks and imports of large ledgers
    return serve_beside(server, worker)


def serve_beside(server: list[str], worker: list[str]) -> int:
    """Run the web server with the job worker beside it until the server ends, Ctrl+C, or this process is
    killed (SIGTERM); then stop both: the worker finishes the job in hand if it can within ten seconds."""

    def stop(signum, frame):
        raise SystemExit(0)

    if os.name != "nt":
        signal.signal(signal.SIGTERM, stop)
    children = [subprocess.Popen(worker, cwd=ROOT), subprocess.Popen(server, cwd=ROOT)]
    warned = False
    told = False  # Ctrl+C reached the children too: they stop by themselves
    try:
        while children[1].poll() is None:
            if children[0].poll() is not None and not warned:
                warned = True
                print(
                    "!!! 后台任务程序（taizhang worker）已退出：大文件的检查与导入将排队等待。",
                    file=sys.stderr,
                )
            time.sleep(0.5)
        return children[1].returncode
    except KeyboardInterrupt:
        told = True
        return 0
    finally:
        for child in children:
            if child.poll() is None and not told:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def ensure_browser() -> None:
    """Debian's chromium and CJK fonts for the browser tests; installed when we may, else explained."""
    have_fonts = CJK_FONT_DIR.is_dir() and any(CJK_FONT_DIR.glob("NotoSansCJK*"))
    if CHROMIUM.exists() and have_fonts:
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"安装浏览器测试所需的系统包：{' '.join(APT_PACKAGES)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(apt, "update", env=env)
        run(apt, "install", "-y", "--no-install-recommends", *APT_PACKAGES, env=env)
        return
    print(
        "!!! 浏览器测试需要 Debian 的 chromium 和中文字体，本机未安装：\n"
        f"      sudo apt-get install -y --no-install-recommends {' '.join(APT_PACKAGES)}\n"
        "    未安装时浏览器测试在本机跳过（设置了 CI 环境变量时则失败）。",
        flush=True,
    )


def test(args: list[str]) -> int:
    ensure_venv()
    ensure_installed("test,postgres")
    ensure_browser()
    say("代码检查：ruff check .")
    run(BIN / "ruff", "check", ".")
    say("导入分层检查：lint-imports")
    run(BIN / "lint-imports")
    if not any(a == "-n" or a.startswith("-n") or a.startswith("--numprocesses") for a in args):
        args = ["-n", "auto", *args]  # one worker per core (pytest-xdist): the suite is large
    say(f"测试：pytest {' '.join(args)}".rstrip())
    return subprocess.run([str(BIN / "pytest"), *args], cwd=ROOT).returncode


COMMANDS = {"demo": demo, "test": test}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
