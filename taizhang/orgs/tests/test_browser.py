"""A branch secretary on a phone adds a member, in a real browser (Debian's chromium through Playwright).

Chromium comes from the system (`apt-get install chromium fonts-noto-cjk`), never from
`playwright install`. Without it these tests skip locally and fail when CI is set, so CI cannot pass
by skipping them.
"""

from __future__ import annotations

import re

import pytest

from taizhang.browser import PHONE, RESULTS, log_in, scroll_width
from taizhang.orgs.models import Member

pytestmark = pytest.mark.browser


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
