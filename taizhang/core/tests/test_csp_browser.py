"""In a real browser, under the Content-Security-Policy: htmx still filters a list in place, the tree pages
keep their indents, and the browser reports no blocked script or style."""

from __future__ import annotations

import pytest

from taizhang.browser import log_in

pytestmark = pytest.mark.browser


def test_pages_work_under_the_policy_and_nothing_is_blocked(cast, phone):
    blocked = []
    phone.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    log_in(phone, "admin_a")

    phone.goto("/members/")
    assert phone.locator("#results").inner_text().count("李四") == 1
    with phone.expect_response(
        lambda response: "q=" in response.url and response.request.headers.get("hx-request")
    ):
        phone.locator("input[type=search]").fill("张三")
    phone.locator("#results").get_by_text("李四").wait_for(state="detached")
    assert "张三" in phone.locator("#results").inner_text()
    assert phone.evaluate("document.querySelectorAll('style').length") == 0  # htmx added none

    phone.goto("/orgs/")
    rows = phone.evaluate(
        "[...document.querySelectorAll('.tree li')].map(li => [li.className, getComputedStyle(li).paddingLeft])"
    )
    indent = {int(cls.split("depth-")[1].split()[0]): float(padding[:-2]) for cls, padding in rows}
    assert len(indent) == 3 and indent[0] < indent[1] < indent[2], rows  # township, branches, under 总支

    phone.goto("/accounts/password/")
    assert not blocked, blocked


def test_a_busy_answer_to_an_htmx_request_is_shown_not_dropped(cast, phone, monkeypatch):
    from django.db import OperationalError

    from taizhang.orgs import views

    log_in(phone, "admin_a")
    phone.goto("/members/")

    def busy(request, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "render_list", busy)
    phone.locator("input[type=search]").fill("张三")
    phone.get_by_role("heading", name="系统繁忙，请稍后重试").wait_for()
    assert phone.get_by_role("link", name="重试").count() == 1
