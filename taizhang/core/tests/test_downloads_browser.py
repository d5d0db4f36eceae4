"""A county's statistics table on a 375 px phone: the request comes back at once with the job's page, which
shows the download link by itself once the worker has built the file."""

import pytest

from taizhang.browser import RESULTS, log_in, scroll_width
from taizhang.core import downloads
from taizhang.core.models import DownloadJob

pytestmark = pytest.mark.browser


def test_a_county_reader_waits_for_a_large_download_on_a_phone(cast, phone, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.DOWNLOAD_INLINE_ORGS = 0
    log_in(phone, cast.county_viewer.username)
    phone.goto("/reports/stats.xlsx?campaign=2023-second-batch")
    phone.get_by_text("正在生成，完成后可下载").wait_for()
    phone.get_by_text("已排队，等待后台处理").wait_for()
    assert scroll_width(phone) <= 375

    downloads.run(DownloadJob.objects.get().pk)  # as the worker would
    link = phone.get_by_role("link", name="下载 XX县第二批主题教育进展情况统计表.xlsx")
    link.wait_for()  # polled in, without reloading the page
    assert scroll_width(phone) <= 375
    RESULTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(RESULTS / "download-job.png"), full_page=True)
    with phone.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "XX县第二批主题教育进展情况统计表.xlsx"
