"""Importing a ledger on a 375 px phone: upload, read the preview, confirm."""

import pytest

from taizhang.browser import RESULTS, log_in, scroll_width
from taizhang.study.models import Meeting

from .workbooks import book

pytestmark = pytest.mark.browser

HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]


def test_a_clerk_imports_a_meeting_ledger_on_a_phone(cast, campaign, phone, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    good = book(
        tmp_path,
        {
            "会议活动": [
                ["甲乡会议活动台账"],
                HEADER,
                ["2023年9月15日", "甲一村党支部", "专题研讨", "学习", None, None, "张三、李四", None],
            ]
        },
    )
    bad = book(
        tmp_path,
        {"会议活动": [HEADER, ["2023-09-15", "甲一村党支部", "座谈", "学习", None, None, None, None]]},
        name="错.xlsx",
    )
    log_in(phone, "admin_a")
    phone.goto("/ledgers/")
    assert scroll_width(phone) <= 375

    phone.get_by_label("台账文件").set_input_files(str(bad))
    phone.get_by_role("button", name="上传并检查").click()
    phone.get_by_text("文件有1处错误，未写入任何记录").wait_for()
    assert phone.get_by_text("第2行“类型”列（座谈）").count() == 1
    assert phone.get_by_role("button", name="确认导入").count() == 0
    assert scroll_width(phone) <= 375

    phone.goto("/ledgers/")
    phone.get_by_label("台账文件").set_input_files(str(good))
    phone.get_by_role("button", name="上传并检查").click()
    phone.get_by_text("检查通过，尚未写入").wait_for()
    assert Meeting.objects.count() == 0
    assert scroll_width(phone) <= 375
    RESULTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(RESULTS / "ledgers-preview.png"), full_page=True)
    phone.get_by_role("button", name="确认导入").click()
    phone.get_by_text("导入完成").wait_for()
    assert Meeting.objects.get().attendances.count() == 2
