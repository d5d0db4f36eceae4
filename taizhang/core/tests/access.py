"""Rows of the access matrix (test_access_matrix.py) for the download jobs (core.downloads): a job and its
file are its owner's alone, a 404 for everyone else (the superuser included); anyone signed in has his own
list of downloads."""

from __future__ import annotations

from taizhang.core import downloads
from taizhang.core.models import DownloadJob


def setup(cast) -> None:
    job = DownloadJob.objects.create(
        owner=cast.admin_a,
        kind="reports.stats_xlsx",
        params={"campaign": "2023-second-batch", "org": cast.township_a.pk, "as_of": ""},
        title="甲乡党委统计表",
        status=DownloadJob.Status.DONE,
        filename="甲乡党委统计表.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    downloads.folder(job).mkdir(parents=True)
    downloads.file(job).write_bytes(b"PK")
    cast.download_a = job


TARGETS = {"download_a": lambda cast: {"token": cast.download_a.token.hex}}

# fmt: off
GET_MATRIX = [
    # url name               object        root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("downloads:mine",       None,          200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("downloads:job",        "download_a",  404, 404,  200,  404,   404,   404,  404,   404,   302),
    ("downloads:download",   "download_a",  404, 404,  200,  404,   404,   404,  404,   404,   302),
]
# fmt: on
