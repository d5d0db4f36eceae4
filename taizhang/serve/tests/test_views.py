"""Pages of the serve area: the grouped project list, bad input shown under its field with nothing saved,
other branches and townships out of reach, photos through the shared attachments, constant query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from taizhang.core.models import attachments_of
from taizhang.serve import services
from taizhang.serve.models import PublicityItem, ServiceProject, VanguardPost

D = datetime.date


def project(cast, name, **data):
    data.setdefault("organisation", cast.branch_a1)
    return services.service_project_create(actor=data.pop("actor", cast.sec_a1), name=name, **data)


def test_a_secretary_records_a_project_of_his_branch(cast, client_as):
    client = client_as(cast.sec_a1)
    form = client.get(reverse("serve:project_create")).context["form"]
    assert form["organisation"].value() == cast.branch_a1.pk  # his only choice, preselected
    response = client.post(
        reverse("serve:project_create"),
        {
            "name": "村道路灯维修",
            "category": "基础设施",
            "handling": "立刻办",
            "leader": "王五",  # a township leader, outside his branch
            "organisation": cast.branch_a1.pk,
            "planned_on": "2023-10-31",
            "status": "未开始",
        },
    )
    made = ServiceProject.objects.get()
    assert response.url == reverse("serve:project_detail", args=[made.pk])
    assert (made.leader, made.township, made.serial) == (cast.wang, cast.township_a, 1)


def test_the_grouped_list_puts_overdue_projects_first(cast, client_as):
    project(
        cast, "修桥", status="推进中", planned_on=D.today() + datetime.timedelta(days=5 * 365)
    )  # far ahead, within ten years
    project(cast, "修路", planned_on=D(2023, 1, 1))
    project(cast, "建站", status="已完成", completed_on=D(2023, 10, 1))
    html = client_as(cast.admin_a).get(reverse("serve:project_list")).content.decode()
    headings = [h for h in ("<h2>已逾期</h2>", "<h2>推进中</h2>", "<h2>已完成</h2>") if h in html]
    assert headings == ["<h2>已逾期</h2>", "<h2>推进中</h2>", "<h2>已完成</h2>"]
    assert (
        html.index("<h2>已逾期</h2>")
        < html.index("修路")
        < html.index("<h2>推进中</h2>")
        < html.index("修桥")
    )
    assert html.index("<h2>已完成</h2>") < html.index("建站")
    assert "<h2>未开始</h2>" not in html  # the only 未开始 project is overdue


def test_a_missing_name_is_named_and_nothing_is_saved(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("serve:project_create"), {"name": "", "organisation": cast.branch_a1.pk, "status": "未开始"}
    )
    assert response.context["form"].errors["name"] == ["请填写项目名称。"]
    assert not ServiceProject.all_objects.exists()


def test_another_branch_is_not_offered(cast, client_as):
    response = client_as(cast.sec_a2).post(
        reverse("serve:project_create"),
        {"name": "修路", "organisation": cast.branch_a1.pk, "status": "未开始"},
    )
    assert response.context["form"].errors["organisation"] == ["责任单位：所选的值不在可选范围内。"]
    assert not ServiceProject.all_objects.exists()


def test_a_quantity_below_one_is_named(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("serve:publicity_create"),
        {
            "date": "2023-10-10",
            "organisation": cast.branch_a1.pk,
            "kind": "横幅标语",
            "quantity": "0",
            "content": "村口",
        },
    )
    assert response.context["form"].errors["quantity"] == ["数量不能小于1。"]
    assert not PublicityItem.all_objects.exists()


def test_post_members_outside_the_organisation_are_named(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("serve:post_create"),
        {
            "kind": "党员先锋岗",
            "name": "便民服务岗",
            "organisation": cast.branch_a1.pk,
            "members": "张三、王五",
        },
    )
    assert response.context["form"].errors["members"] == ["王五不是“甲一村党支部”的党员。"]
    assert not VanguardPost.all_objects.exists()


def test_photos_of_a_project_use_the_shared_attachments(cast, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mine = project(cast, "库区清理")
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "JPEG")
    client = client_as(cast.sec_a1)
    url = reverse("attachment_upload", args=["serve", "serviceproject", mine.pk])
    client.post(url, {"files": [SimpleUploadedFile("清理前.jpg", out.getvalue())], "purpose": "照片"})
    [photo] = attachments_of(mine)
    assert (photo.original_name, photo.purpose) == ("清理前.jpg", "照片")
    html = client.get(reverse("serve:project_detail", args=[mine.pk])).content.decode()
    assert reverse("attachment_thumbnail", args=[photo.pk]) in html
    assert client_as(cast.sec_a2).get(reverse("attachment", args=[photo.pk])).status_code == 404


def test_a_partnership_with_activities_says_why_it_is_not_deleted(cast, client_as):
    pair = services.partnership_create(actor=cast.sec_a1, partner="市商务局", organisation=cast.branch_a1)
    services.joint_activity_create(
        actor=cast.sec_a1, partnership=pair, date=D(2023, 10, 15), title="认领一片桔"
    )
    response = client_as(cast.sec_a1).post(reverse("serve:partnership_delete", args=[pair.pk]), follow=True)
    assert "已有1次共建活动，请先删除这些活动" in response.content.decode()


def test_the_publicity_list_shows_sums_by_kind(cast, client_as):
    for quantity, content in ((1, "村口"), (4, "集镇")):
        services.publicity_item_create(
            actor=cast.sec_a1,
            date=D(2023, 9, 8),
            organisation=cast.branch_a1,
            kind="广告牌",
            quantity=quantity,
            content=content,
        )
    html = client_as(cast.admin_a).get(reverse("serve:publicity_list")).content.decode()
    assert '<a href="?kind=广告牌">广告牌</a></dt><dd>5<small>个（2次）</small>' in html


@pytest.mark.parametrize(
    ("slug", "labels"), [("build", ["为民办实事", "结对共建", "党员先锋岗"]), ("plan", ["宣传"])]
)
def test_the_part_pages_link_the_serve_pages(cast, client_as, slug, labels):
    html = client_as(cast.sec_a1).get(reverse("part", args=[slug])).content.decode()
    for label in labels:
        assert f">{label}</a>" in html


# Query counts ----------------------------------------------------------------------------------------

LISTS = [
    ("serve:project_list", {}),
    ("serve:project_list", {"state": "overdue"}),
    ("serve:partnership_list", {}),
    ("serve:post_list", {}),
    ("serve:publicity_list", {}),
]


def _records(cast, n: int, start: int) -> None:
    for i in range(start, start + n):
        project(cast, f"项目{i}", leader=cast.wang, planned_on=D(2023, 1, 1))
        pair = services.partnership_create(actor=cast.sec_a1, partner=f"单位{i}", organisation=cast.branch_a1)
        services.joint_activity_create(actor=cast.sec_a1, partnership=pair, date=D(2023, 10, 1), title="活动")
        services.vanguard_post_create(
            actor=cast.sec_a1,
            kind="党员先锋岗",
            name=f"岗{i}",
            organisation=cast.branch_a1,
            members=[cast.zhang, cast.li],
        )
        services.publicity_item_create(
            actor=cast.sec_a1,
            date=D(2023, 9, 1),
            organisation=cast.branch_a1,
            kind="横幅标语",
            quantity=2,
            content=f"标语{i}",
        )


@pytest.mark.parametrize(("name", "params"), LISTS)
def test_lists_run_a_constant_number_of_queries(cast, client_as, assert_queries, name, params):
    client = client_as(cast.admin_a)
    url = reverse(name)
    _records(cast, 1, 0)
    client.get(url, params)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    _records(cast, 8, 10)
    with assert_queries(len(few)):
        client.get(url, params)


def test_a_project_left_without_a_number_on_its_edit_form_keeps_its_number(cast, client_as):
    project(cast, "先登记的")
    second = project(cast, "修路")
    client_as(cast.sec_a1).post(
        reverse("serve:project_edit", args=[second.pk]),
        {"name": "修路", "organisation": cast.branch_a1.pk, "status": "推进中", "serial": ""},
    )
    second.refresh_from_db()
    assert (second.status, second.serial) == ("推进中", 2)
