"""The report pages on a 375 px phone: nothing wider than the screen, and the figure check works by hand."""

import pytest

from taizhang.browser import RESULTS, log_in, scroll_width

pytestmark = pytest.mark.browser


def test_a_clerk_checks_a_drafted_summary_on_a_phone(cast, phone):
    log_in(phone, "admin_a")
    phone.goto("/reports/")
    assert scroll_width(phone) <= 375
    phone.get_by_role("link", name="核对总结中的数字").click()
    phone.get_by_label("或粘贴正文").fill("全乡共有2个党支部，基层党组织3个，走访群众30户。")
    phone.get_by_role("button", name="核对").click()
    phone.get_by_text("不一致 1").wait_for()
    assert phone.get_by_text("记录为").count() == 1
    assert scroll_width(phone) <= 375
    RESULTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(RESULTS / "reports-check.png"), full_page=True)


def test_the_template_page_on_a_phone(cast, phone):
    log_in(phone, "admin_a")
    phone.goto("/reports/template/")
    phone.get_by_text("指标（").click()
    phone.get_by_text("study.seminars").first.wait_for()
    assert scroll_width(phone) <= 375
    phone.screenshot(path=str(RESULTS / "reports-template.png"), full_page=True)
