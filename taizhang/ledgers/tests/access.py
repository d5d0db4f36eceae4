"""Rows of the access matrix (core/tests/test_access_matrix.py) for the ledger pages.

Everyone with an organisation downloads the ledgers of his own scope (and anyone signed in the blank
template). Uploading is for those who may write somewhere (not a county viewer, not an account without a
role); the importer then refuses rows outside the uploader's scope. An upload is its uploader's alone: the
job of township A's admin is a 404 for everyone else.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.campaigns.models import Campaign
from taizhang.ledgers import jobs
from taizhang.ledgers.models import ImportJob
from taizhang.study.models import Meeting

HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]
TOPIC = "访问矩阵导入的会议"


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "会议活动"
    sheet.append(HEADER)
    sheet.append(["2023-09-15", "甲一村党支部", "专题研讨", TOPIC, None, None, None, 5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def setup(cast) -> None:
    job = ImportJob.objects.create(
        owner=cast.admin_a,
        campaign=Campaign.current(),
        township=cast.township_a,
        filename="台账.xlsx",
        size=len(_workbook()),
        status=ImportJob.Status.CHECKED,
        result={"sheets": [], "errors": [], "notices": [], "written": False},
    )
    folder = jobs.folder(job)
    folder.mkdir(parents=True)
    (folder / "upload.xlsx").write_bytes(_workbook())
    cast.job_a = job
    cast.upload_name = "访问矩阵上传.xlsx"  # the jobs its uploads make are told apart by this name


TARGETS = {"job_a": lambda cast: {"job_id": cast.job_a.token.hex}}


def _jobs(cast) -> set:
    return set(ImportJob.objects.filter(filename=cast.upload_name).values_list("pk", flat=True))


def _prepare_upload(cast) -> None:
    cast.jobs_before = _jobs(cast)


def _uploaded(cast) -> bool:
    return bool(_jobs(cast) - cast.jobs_before)


def _prepare_confirm(cast) -> None:
    ImportJob.objects.filter(pk=cast.job_a.pk).update(status=ImportJob.Status.CHECKED)


def _imported(cast) -> bool:
    return Meeting.objects.filter(topic=TOPIC).exists()


PREPARE = {"ledgers:upload": _prepare_upload, "ledgers:confirm": _prepare_confirm}
POST_DATA = {"ledgers:upload": lambda cast: {"file": SimpleUploadedFile(cast.upload_name, _workbook())}}

# fmt: off
GET_MATRIX = [
    # url name               object    root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("ledgers:index",        None,     200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("ledgers:export",       None,     200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("ledgers:template",     None,     200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("ledgers:archive",      None,     200, 403,  200,  403,   403,   200,  403,   404,   302),
    ("ledgers:upload",       None,     405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("ledgers:job",          "job_a",  404, 404,  200,  404,   404,   404,  404,   404,   302),
    ("ledgers:confirm",      "job_a",  405, 405,  405,  405,   405,   405,  405,   405,   302),
]

POST_MATRIX = [
    # url name               object    effect        root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("ledgers:upload",       None,     _uploaded,    302, 403,  302,  302,   302,   302,  302,   403,   302),
    ("ledgers:confirm",      "job_a",  _imported,    404, 403,  302,  404,   404,   404,  404,   403,   302),
]
# fmt: on
