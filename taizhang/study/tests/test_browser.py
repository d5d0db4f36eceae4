"""On a 375 px phone, in Debian's chromium: a branch secretary records a meeting with two absentees, and
members sign in through the QR link and through the short code."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from taizhang.browser import PHONE, RESULTS, log_in, scroll_width
from taizhang.study import services
from taizhang.study.models import Attendance, Meeting

from .conftest import ABSENT, record

pytestmark = pytest.mark.browser


def screenshot(page, name: str) -> None:
    page.wait_for_load_state("load")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / f"{name}.png", full_page=True)


def fits(page) -> None:
    assert scroll_width(page) <= PHONE["width"], f"{page.url} scrolls sideways on a phone"


def test_secretary_records_a_meeting_with_two_absentees_on_a_phone(branch, phone):
    log_in(phone, "sec_a1")
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="学").click()
    phone.get_by_role("link", name="会议活动").click()
    phone.get_by_role("heading", name="会议活动").wait_for()
    phone.get_by_role("link", name="登记会议").click()
    phone.get_by_role("heading", name="登记会议活动").wait_for()
    fits(phone)

    # His branch's members are listed, all ticked.
    boxes = phone.get_by_role("checkbox")
    assert boxes.count() == 4 and all(boxes.nth(i).is_checked() for i in range(4))
    phone.get_by_role("radio", name="主题党日").check()  # a chip: the whole pill is the radio
    phone.get_by_label("日期").fill("2023-10-20")
    phone.get_by_role("textbox", name="主题", exact=True).fill("重温入党誓词")
    phone.get_by_role("checkbox", name="李四").uncheck()
    phone.get_by_role("checkbox", name="孙八").uncheck()
    phone.get_by_label("李四未出席的原因").select_option(label="请假：年老体弱")
    assert phone.get_by_label("孙八未出席的原因").input_value() == "absent"  # 缺席 unless told otherwise
    assert not phone.get_by_label("张三未出席的原因").is_visible()  # a ticked member needs no reason
    fits(phone)
    screenshot(phone, "study-meeting-form-375")
    phone.get_by_role("button", name="保存").click()

    phone.get_by_role("heading", name="重温入党誓词").wait_for()
    assert phone.get_by_text("已登记主题党日“重温入党誓词”，出席2人。").is_visible()
    assert phone.get_by_text("出席2 · 请假1 · 缺席1").is_visible()
    fits(phone)
    screenshot(phone, "study-meeting-detail-375")

    meeting = Meeting.objects.get()
    assert (meeting.organiser, meeting.type, meeting.date.isoformat()) == (
        branch.branch_a1,
        "主题党日",
        "2023-10-20",
    )
    rows = {a.member.name: (a.status, a.reason) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {
        "张三": ("出席", ""),
        "周九": ("出席", ""),
        "李四": ("请假", "年老体弱"),
        "孙八": ("缺席", ""),
    }
    assert meeting.history.get().history_user == branch.sec_a1


def test_members_sign_in_through_the_qr_link_and_through_the_short_code(branch, phone, browser, live_server):
    meeting = record(
        branch,
        date=timezone.localdate(),
        topic="主题党日：重温入党誓词",
        attendance={branch.zhang.pk: (ABSENT, "")},
    )
    sign_in = services.signin_open(actor=branch.sec_a1, meeting=meeting, minutes=60)

    # The organiser's phone shows the QR code of the sign-in link, and the short code.
    log_in(phone, "sec_a1")
    phone.goto(f"/study/meetings/{meeting.pk}/")
    panel = phone.locator("#signin")
    assert panel.locator(".code").inner_text().replace(" ", "") == sign_in.code
    link = panel.get_by_role("link", name="签到链接").get_attribute("href")
    assert link == f"{live_server.url}/study/signin/{sign_in.token}/"
    drawn = panel.locator(".qr path.qrline").get_attribute("d")
    assert drawn == re.search(r'class="qrline"[^>]* d="([^"]+)"', services_qr(link)).group(1), (
        "the QR code is not of the link"
    )
    fits(phone)
    screenshot(phone, "study-signin-panel-375")

    def member_phone():
        context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(10_000)
        return context, context.new_page()

    # 张三 scans the code: the link opens, he taps his name and types the last 4 digits of his mobile.
    context, zhang = member_phone()
    zhang.goto(link)
    zhang.get_by_role("heading", name="会议签到").wait_for()
    assert zhang.get_by_text("主题党日：重温入党誓词").is_visible()
    fits(zhang)
    zhang.get_by_role("radio", name="张三").check()
    zhang.get_by_label("手机号码后4位").fill("1234")
    zhang.get_by_role("button", name="确认签到").click()
    assert zhang.get_by_text("手机号码后4位与张三登记的不符").is_visible()
    zhang.get_by_label("手机号码后4位").fill("1111")
    zhang.get_by_role("button", name="确认签到").click()
    zhang.get_by_text("签到成功").wait_for()
    screenshot(zhang, "study-signin-qr-375")
    context.close()

    # 李四 types the short code instead.
    context, li = member_phone()
    li.goto("/study/signin/")
    li.get_by_label("签到码").fill(sign_in.code)
    li.get_by_role("button", name="下一步").click()
    li.get_by_role("heading", name="会议签到").wait_for()
    li.get_by_role("radio", name="李四").check()
    li.get_by_label("手机号码后4位").fill("2222")
    li.get_by_role("button", name="确认签到").click()
    li.get_by_text("签到成功").wait_for()
    fits(li)
    screenshot(li, "study-signin-code-375")
    # Signing in again changes nothing.
    li.go_back()
    li.get_by_role("radio", name="李四").check()
    li.get_by_label("手机号码后4位").fill("2222")
    li.get_by_role("button", name="确认签到").click()
    li.get_by_text("您已签到").wait_for()
    context.close()

    rows = {a.member.name: (a.status, a.method) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {"张三": ("出席", "扫码"), "李四": ("出席", "签到码")}

    # The organiser sees them on the meeting's page.
    phone.reload()
    assert phone.locator("#attendance").get_by_text("签到码", exact=True).is_visible()


def services_qr(link: str) -> str:
    from taizhang.study.signin_views import _qr_svg

    return str(_qr_svg(link))
