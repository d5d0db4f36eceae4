"""The upload page: check, preview, confirm; scope; downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.study.models import Meeting

from .workbooks import book

HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def upload(client, path, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    with open(path, "rb") as handle:
        file = SimpleUploadedFile(path.name, handle.read())
    return client.post(f"/ledgers/import/?{query}", {"file": file})


def test_preview_then_confirm(cast, campaign, client_as, tmp_path):
    path = book(
        tmp_path,
        {
            "会议活动": [
                HEADER,
                ["2023-09-15", "甲一村党支部", "专题研讨", "学习", None, None, "张三、李四", None],
            ]
        },
    )
    client = client_as(cast.admin_a)
    response = upload(client, path)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "检查通过，尚未写入" in page and "确认导入" in page
    assert Meeting.objects.count() == 0
    done = client.post(response["Location"] + "confirm/")
    page = client.get(done["Location"]).content.decode()
    assert "导入完成" in page and Meeting.objects.count() == 1
    assert Meeting.history.get().history_user == cast.admin_a
    # Attendance is written by plain inserts (context.insert_with_history): each row has its history all the same.
    from taizhang.study.models import Attendance

    for attendance in Attendance.objects.all():
        record = attendance.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+",
            cast.admin_a,
            "导入台账：台账.xlsx",
        )
        assert (record.meeting_id, record.member_id, record.status, record.method) == (
            attendance.meeting_id,
            attendance.member_id,
            "出席",
            "登记",
        )
        assert record.history_date == Meeting.history.get().history_date


def test_errors_are_listed_and_nothing_can_be_confirmed(cast, campaign, client_as, tmp_path):
    path = book(
        tmp_path,
        {"会议活动": [HEADER, ["2023-09-15", "甲一村党支部", "座谈", "学习", None, None, None, None]]},
    )
    client = client_as(cast.admin_a)
    response = upload(client, path)
    page = client.get(response["Location"]).content.decode()
    assert "文件有1处错误，未写入任何记录" in page and "第2行“类型”列（座谈）" in page
    assert "确认导入" not in page
    assert client.post(response["Location"] + "confirm/").status_code == 403


def test_only_xlsx_is_accepted(cast, campaign, client_as, tmp_path):
    path = tmp_path / "台账.xls"
    path.write_bytes(b"old excel")
    client = client_as(cast.admin_a)
    response = upload(client, path)
    page = client.get(response["Location"]).content.decode()
    assert "“台账.xls”不是 .xlsx 文件" in page


def test_a_job_is_its_uploaders_alone(cast, campaign, client_as, tmp_path):
    path = book(
        tmp_path,
        {"会议活动": [HEADER, ["2023-09-15", "甲一村党支部", "专题研讨", "学习", None, None, None, 3]]},
    )
    response = upload(client_as(cast.admin_a), path)
    assert client_as(cast.admin_b).get(response["Location"]).status_code == 404
    assert client_as(cast.admin_b).post(response["Location"] + "confirm/").status_code == 404


def test_a_county_viewer_cannot_upload(cast, campaign, client_as, tmp_path):
    path = book(tmp_path, {"会议活动": [HEADER]})
    assert upload(client_as(cast.county_viewer), path).status_code == 403
    page = client_as(cast.county_viewer).get("/ledgers/").content.decode()
    assert "导入台账" not in page and "下载全部台账" in page


def test_a_branch_secretarys_rows_of_other_branches_are_refused(cast, campaign, client_as, tmp_path):
    path = book(
        tmp_path,
        {"会议活动": [HEADER, ["2023-09-15", "甲机关党支部", "专题研讨", "学习", None, None, None, 3]]},
    )
    client = client_as(cast.sec_a1)
    page = client.get(upload(client, path)["Location"]).content.decode()
    assert "不在您的管理范围内" in page and Meeting.objects.count() == 0


def test_the_page_polls_while_a_large_file_is_checked(cast, campaign, client_as):
    import os

    from django.utils import timezone

    from taizhang.ledgers import jobs
    from taizhang.ledgers.models import ImportJob

    now = timezone.now()
    job = ImportJob.objects.create(
        owner=cast.admin_a,
        campaign=campaign,
        filename="台账.xlsx",
        size=1,
        progress="会议活动：已处理2000行（约40%）",
        started_at=now,
        beat_at=now,
        host=jobs.HOST,
        pid=os.getpid(),  # a worker that runs
    )
    client = client_as(cast.admin_a)
    page = client.get(f"/ledgers/import/{job.token.hex}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page and "已处理2000行（约40%）" in page
    assert client_as(cast.admin_b).get(f"/ledgers/import/{job.token.hex}/").status_code == 404


LEDGER_PAGES = {
    "study:meeting_list": "会议活动",
    "study:makeup_list": "补学",
    "rectify:problem_list": "问题清单",
    "rectify:talk_list": "谈心谈话",
    "rectify:check_list": "党建工作体检",
    "research:visit_list": "调研走访",
    "research:action_list": "干事创业清单",
    "research:enterprise_visit_list": "走访企业",
    "serve:project_list": "为民办实事",
    "serve:partnership_list": "结对共建",
    "serve:publicity_list": "宣传",
    "orgs:member_list": "党员",
    "orgs:org_tree": "组织",
}


@pytest.mark.parametrize("url_name, sheet", LEDGER_PAGES.items())
def test_each_ledger_page_offers_its_excel(cast, campaign, client_as, url_name, sheet):
    from django.urls import reverse
    from django.utils.http import urlencode

    body = client_as(cast.admin_a).get(reverse(url_name)).content.decode()
    assert f'href="/ledgers/export.xlsx?{urlencode({"sheet": sheet})}"' in body
    assert 'href="/ledgers/">导入</a>' in body
    body = client_as(cast.county_viewer).get(reverse(url_name)).content.decode()
    assert "空白模板" in body and 'href="/ledgers/">导入</a>' not in body


def test_a_download_hides_what_the_pages_hide(cast, campaign, client_as):
    """Mobiles are whole for a township admin, masked for a branch secretary and the county; a talk's content
    is for the township's admins only."""
    import datetime
    import io

    from openpyxl import load_workbook

    from taizhang.rectify.models import Talk

    talk = Talk.objects.create(
        campaign=campaign,
        organisation=cast.township_a,
        kind="谈心谈话",
        on=datetime.date(2023, 10, 1),
        talker=cast.wang,
        content="谈话内容保密",
    )
    talk.persons.set([cast.zhang])

    def cells(user, sheet):
        response = client_as(user).get(f"/ledgers/export.xlsx?sheet={sheet}")
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return {str(c.value) for row in book[sheet].iter_rows() for c in row if c.value is not None}

    assert "13800001111" in cells(cast.admin_a, "党员")
    assert "138****1111" in cells(cast.sec_a1, "党员") and "13800001111" not in cells(cast.sec_a1, "党员")
    assert "谈话内容保密" in cells(cast.admin_a, "谈心谈话")
    assert "谈话内容保密" not in cells(cast.county_viewer, "谈心谈话")


def test_a_masked_mobile_imported_back_changes_nothing(cast, campaign, tmp_path):
    from taizhang.ledgers.importer import import_workbook

    path = book(
        tmp_path,
        {
            "党员": [
                ["姓名", "所在组织", "党员类别", "联系电话"],
                ["张三", "甲一村党支部", "农村", "138****1111"],
            ]
        },
    )
    result = import_workbook(path, campaign=campaign)
    assert result.ok and [(s.created, s.updated) for s in result.sheets] == [(0, 0)]
    cast.zhang.refresh_from_db()
    assert cast.zhang.mobile == "13800001111"


def test_the_archive_button_gives_the_townships_zip(cast, campaign, client_as, settings, tmp_path):
    import io
    import zipfile

    settings.MEDIA_ROOT = tmp_path
    page = client_as(cast.admin_a).get("/ledgers/").content.decode()
    assert "下载归档材料（.zip）" in page
    response = client_as(cast.admin_a).get(f"/ledgers/archive.zip?org={cast.township_a.pk}")
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert {n.split("/")[0] for n in names} >= {"1部署动员类", "5总结评估类", "6其他类"}
    assert "下载归档材料" not in client_as(cast.sec_a1).get("/ledgers/").content.decode()
