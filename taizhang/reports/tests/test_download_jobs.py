"""The reports as downloads: a township's at once, a county's as a job (core.downloads) that builds the same
file; a summary template that cannot be rendered is said in Chinese either way."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from taizhang.core import downloads
from taizhang.core.models import DownloadJob
from taizhang.reports import downloads as report_downloads

from .conftest import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.DOWNLOAD_INLINE_ORGS = 4  # township A's four organisations at once; the county's (8) as a job


@pytest.mark.parametrize("path", ["summary.docx", "stats.docx", "stats.xlsx"])
def test_the_countys_report_is_a_job_the_townships_is_not(cast, client_as, path):
    inline = client_as(cast.admin_a).get(f"/reports/{path}")
    assert inline.status_code == 200 and not DownloadJob.objects.exists()

    client = client_as(cast.county_viewer)
    response = client.get(f"/reports/{path}?as_of=2023-12-31")
    job = DownloadJob.objects.get()
    assert response.status_code == 302 and job.params["as_of"] == "2023-12-31"
    assert job.title.startswith("XX县委")
    assert downloads.run(job.pk) == DownloadJob.Status.DONE
    file = client.get(response["Location"] + "file")
    assert file.status_code == 200 and file["Content-Type"] == inline["Content-Type"]
    job.refresh_from_db()
    assert "XX县" in job.filename and job.filename.endswith(path[-5:])


def test_a_summary_template_that_fails_is_said_in_chinese(cast, client_as, monkeypatch):
    def fails(data, template):
        raise ValidationError("模板含有不允许的写法：{{ 未知 }}。")

    monkeypatch.setattr(report_downloads, "render_summary", fails)
    page = client_as(cast.admin_a).get("/reports/summary.docx", follow=True).content.decode()
    assert "总结模板无法生成总结：模板含有不允许的写法：{{ 未知 }}。请修改模板" in page

    client = client_as(cast.county_viewer)
    location = client.get("/reports/summary.docx")["Location"]
    downloads.run(DownloadJob.objects.get().pk)
    page = client.get(location).content.decode()
    assert "生成出错" in page and "模板含有不允许的写法：{{ 未知 }}" in page


def test_a_county_summary_built_as_a_job_reads_as_the_one_built_at_once(cast, client_as, settings):
    client = client_as(cast.county_viewer)
    location = client.get("/reports/summary.docx")["Location"]
    downloads.run(DownloadJob.objects.get().pk)
    built = docx_text(b"".join(client.get(location + "file").streaming_content))
    settings.DOWNLOAD_INLINE_ORGS = 100
    at_once = docx_text(b"".join(client.get("/reports/summary.docx").streaming_content))
    assert built == at_once and "XX县" in built[0]
