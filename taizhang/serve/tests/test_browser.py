"""A branch secretary on a phone records a service project of his branch and finds it in the grouped list;
the serve pages fit a 375 px screen (Debian's chromium through Playwright; see taizhang/browser.py)."""

from __future__ import annotations

import datetime

import pytest

from taizhang.browser import PHONE, RESULTS, log_in, scroll_width
from taizhang.serve import services
from taizhang.serve.models import ServiceProject

pytestmark = pytest.mark.browser


def screenshot(page, name: str) -> None:
    page.wait_for_load_state("load")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / f"{name}.png", full_page=True)


def fits(page) -> None:
    assert scroll_width(page) <= PHONE["width"], f"{page.url} scrolls sideways on a phone"


def test_secretary_records_a_service_project_on_a_phone(cast, phone):
    services.service_project_create(
        actor=cast.sec_a1,
        name="村道水毁路段整修",
        organisation=cast.branch_a1,
        status="推进中",
        planned_on=datetime.date(2023, 10, 31),
    )
    log_in(phone, "sec_a1")
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="建").click()
    phone.get_by_role("link", name="为民办实事").click()
    phone.get_by_role("heading", name="为民办实事").wait_for()
    phone.get_by_role("link", name="新增项目").click()
    phone.get_by_role("heading", name="新增为民办实事").wait_for()
    fits(phone)

    phone.get_by_label("项目名称").fill("库区清理")
    phone.get_by_label("类别").fill("人居环境")
    phone.get_by_label("限期办").check()
    phone.get_by_label("责任领导").fill("王五")
    phone.get_by_label("计划完成时间").fill("2023-11-30")
    phone.get_by_label("已完成").check()
    phone.get_by_label("完成时间", exact=True).fill("2023-11-20")
    phone.get_by_label("成效").fill("打捞漂浮物20余吨")
    screenshot(phone, "serve-project-form-375")
    phone.get_by_role("button", name="保存").click()

    phone.get_by_role("heading", name="库区清理").wait_for()
    assert phone.get_by_text("已新增为民办实事。").is_visible()
    fits(phone)
    screenshot(phone, "serve-project-detail-375")

    phone.get_by_role("navigation", name="为民服务与共建").get_by_role("link", name="为民办实事").click()
    phone.get_by_role("heading", name="已逾期").wait_for()
    headings = phone.locator("#results h2").all_inner_texts()
    assert headings == ["已逾期", "已完成"]
    fits(phone)
    screenshot(phone, "serve-project-list-375")

    made = ServiceProject.objects.get(name="库区清理")
    assert (made.organisation, made.leader, made.status, made.serial) == (
        cast.branch_a1,
        cast.wang,
        "已完成",
        2,
    )
    assert made.history.get().history_user == cast.sec_a1


def test_serve_lists_fit_a_phone(cast, phone):
    services.vanguard_post_create(
        actor=cast.sec_a1,
        kind="党员先锋岗",
        name="便民服务岗",
        organisation=cast.branch_a1,
        members=[cast.zhang, cast.li],
    )
    services.publicity_item_create(
        actor=cast.sec_a1,
        date=datetime.date(2023, 9, 12),
        organisation=cast.branch_a1,
        kind="横幅标语",
        quantity=2,
        content="甲一村党员活动室横幅“学思想、强党性、重实践、建新功”",
    )
    pair = services.partnership_create(
        actor=cast.sec_a1, partner="市商务局", organisation=cast.branch_a1, content="认领一片桔"
    )
    services.joint_activity_create(
        actor=cast.sec_a1,
        partnership=pair,
        date=datetime.date(2023, 10, 15),
        title="“认领一片桔”主题党日活动",
    )
    log_in(phone, "sec_a1")
    for url, heading, name in (
        ("/serve/posts/", "党员先锋岗、责任区、突击队", "serve-posts-375"),
        ("/serve/publicity/", "宣传", "serve-publicity-375"),
        ("/serve/partnerships/", "结对共建", "serve-partnerships-375"),
        (f"/serve/partnerships/{pair.pk}/", "市商务局", "serve-partnership-375"),
    ):
        phone.goto(url)
        phone.get_by_role("heading", name=heading, exact=True).wait_for()
        fits(phone)
        screenshot(phone, name)
