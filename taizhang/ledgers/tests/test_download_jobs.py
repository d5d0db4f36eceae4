"""The ledgers and the archive as downloads (ledgers/downloads.py): a branch's export at once, a township's
archive (five times the weight of a report) as a job that builds the same zip."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from taizhang.core import downloads
from taizhang.core.models import DownloadJob


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.DOWNLOAD_INLINE_ORGS = 10


def test_a_townships_export_is_at_once_its_archive_a_job(cast, campaign, client_as):
    client = client_as(cast.admin_a)
    export = client.get("/ledgers/export.xlsx?sheet=会议活动")  # four organisations: at once
    assert export.status_code == 200 and not DownloadJob.objects.exists()

    response = client.get("/ledgers/archive.zip")  # four organisations × 5 > 10: a job
    job = DownloadJob.objects.get()
    assert response.status_code == 302 and (job.kind, job.title) == ("ledgers.archive", "甲乡党委归档材料")
    assert downloads.run(job.pk) == DownloadJob.Status.DONE
    file = client.get(response["Location"] + "file")
    assert file["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(file.streaming_content))).namelist()
    assert any(name.startswith("1部署动员类/") for name in names)


def test_a_countys_export_of_one_sheet_is_a_job_with_that_sheet(cast, campaign, client_as, settings):
    settings.DOWNLOAD_INLINE_ORGS = 4
    client = client_as(cast.county_viewer)
    assert client.get("/ledgers/export.xlsx?sheet=没有的表").status_code == 404  # refused before any job
    response = client.get("/ledgers/export.xlsx?sheet=党员")
    job = DownloadJob.objects.get()
    assert job.params["sheets"] == ["党员"] and job.title == "XX县委党员"
    downloads.run(job.pk)
    book = load_workbook(io.BytesIO(b"".join(client.get(response["Location"] + "file").streaming_content)))
    assert book.sheetnames == ["党员"]
