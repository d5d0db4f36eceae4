"""Browser fixtures shared by every area's browser tests: Debian's chromium through Playwright.

Chromium comes from the system (`apt-get install chromium fonts-noto-cjk`), never from
`playwright install`. Without it browser tests skip locally and fail when CI is set, so CI cannot pass by
skipping them. Use: `from taizhang.browser import log_in, scroll_width` and the fixtures `browser` and
`phone` (registered in taizhang/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
RESULTS = Path(__file__).resolve().parents[1] / "test-results"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(
            f"{CHROMIUM} not found: apt-get install -y --no-install-recommends chromium fonts-noto-cjk"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[test]'")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test and of
    # pytest-django's teardown would otherwise be refused as "called from an async context".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A page in a 375×812 phone-sized window whose relative URLs go to the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username: str, password: str = "password-123") -> None:
    page.goto("/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation", name="主导航").wait_for()


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")
