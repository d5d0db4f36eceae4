"""A branch secretary on a phone adds a member, in a real browser (Debian's chromium through Playwright).

Chromium comes from the system (`apt-get install chromium fonts-noto-cjk`), never from
`playwright install`. Without it these tests skip locally and fail when CI is set, so CI cannot pass
by skipping them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from taizhang.orgs.models import Member

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
RESULTS = Path(__file__).resolve().parents[3] / "test-results"

pytestmark = pytest.mark.browser


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


def screenshot(page, name: str) -> None:
    """A full-page picture for a person to look at (test-results/ is not committed)."""
    page.wait_for_load_state("load")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / f"{name}.png", full_page=True)


def open_member_form(page) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="党员").click()
    page.get_by_role("heading", name="党员名册").wait_for()
    assert scroll_width(page) <= PHONE["width"], "the member list scrolls sideways on a phone"
    screenshot(page, "member-list-375")
    page.get_by_role("link", name="添加党员").click()
    page.get_by_role("heading", name="添加党员").wait_for()


def test_secretary_adds_member_on_a_phone(cast, phone):
    log_in(phone, "sec_a1")
    open_member_form(phone)
    assert scroll_width(phone) <= PHONE["width"], "the member form scrolls sideways on a phone"

    phone.get_by_label("姓名").fill("孙七")
    phone.get_by_label("女").check()
    phone.get_by_label("流动").check()
    phone.get_by_label("手机号码").fill("139 0000 5555")
    phone.get_by_label("入党时间").fill("2015-07-01")
    screenshot(phone, "member-form-375")
    phone.get_by_role("button", name="保存", exact=True).click()

    phone.get_by_role("heading", name="孙七").wait_for()
    assert re.search(r"/members/\d+/$", phone.url)
    assert phone.get_by_text("已添加党员。").is_visible()
    assert phone.get_by_role("link", name="甲一村党支部").is_visible()
    screenshot(phone, "member-detail-375")

    member = Member.objects.get(name="孙七")
    assert member.organisation == cast.branch_a1
    assert (member.gender, member.category, member.mobile) == ("女", "流动", "13900005555")
    assert member.joined_on.isoformat() == "2015-07-01"
    assert member.history.get().history_user == cast.sec_a1


def test_bad_mobile_is_refused_under_its_field(cast, phone):
    log_in(phone, "sec_a1")
    open_member_form(phone)

    phone.get_by_label("姓名").fill("孙七")
    phone.get_by_label("男").check()
    phone.get_by_label("农村").check()
    phone.get_by_label("手机号码").fill("12345")
    phone.get_by_role("button", name="保存", exact=True).click()

    field = phone.locator(".field.has-error")
    field.wait_for()
    assert field.get_by_label("手机号码").input_value() == "12345"
    assert field.locator(".error").inner_text() == "手机号码应为11位中国大陆手机号（以1开头，第二位为3至9）。"
    assert scroll_width(phone) <= PHONE["width"]
    screenshot(phone, "member-form-error-375")
    assert not Member.all_objects.filter(name="孙七").exists()
