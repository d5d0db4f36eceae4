"""The record kit: one registry of record types, one trash page over all of them."""

import pytest
from django.apps import apps

from taizhang.core.records import REGISTRY, kind_of
from taizhang.orgs import services as org_services
from taizhang.serve import services as serve_services


def _soft_deleted_scoped_models():
    return [
        model
        for model in apps.get_models()
        if hasattr(model, "scope_path")
        and hasattr(model, "all_objects")
        and any(f.name == "deleted_at" for f in model._meta.get_fields())
        and model._meta.app_label != "reports"  # the summary template: replaced, not trashed
    ]


# Records deleted and restored with the record they belong to (a meeting's attendance, a measure's progress),
# or never deleted by hand (a remedy is closed by acceptance).
SUB_RECORDS = {"Attendance", "ProgressEntry", "RemedyEntry", "EnterpriseIssue", "Attachment", "Remedy"}


def test_every_kind_of_record_that_can_be_deleted_is_registered():
    missing = [
        model.__name__
        for model in _soft_deleted_scoped_models()
        if model.__name__ not in SUB_RECORDS and not any(k.model is model for k in REGISTRY.values())
    ]
    assert missing == []


def test_kind_of_finds_a_record_type_by_model_or_object(cast):
    member = cast.zhang
    assert kind_of(member).key == "orgs.member"
    assert kind_of(type(member)) is kind_of(member)


@pytest.fixture
def deleted(cast):
    project = serve_services.service_project_create(
        actor=cast.sec_a1, name="已删除的路灯项目", organisation=cast.branch_a1
    )
    serve_services.service_project_delete(actor=cast.sec_a1, project=project)
    org_services.member_delete(actor=cast.admin_a, member=cast.li)
    return project


def test_one_trash_page_lists_deleted_records_of_every_area(cast, client_as, deleted):
    body = client_as(cast.admin_a).get("/trash/").content.decode()
    assert "已删除的路灯项目" in body and "李四" in body
    assert "为民办实事" in body and "党员" in body and "会议活动" in body


def test_the_trash_of_another_township_is_out_of_sight(cast, client_as, deleted):
    body = client_as(cast.admin_b).get("/trash/").content.decode()
    assert "已删除的路灯项目" not in body and "李四" not in body


def test_restore_from_the_one_trash_page(cast, client_as, deleted):
    client = client_as(cast.admin_a)
    response = client.post(f"/trash/orgs.member/{cast.li.pk}/restore/")
    assert response.status_code == 302
    cast.li.refresh_from_db()
    assert cast.li.deleted_at is None
    assert client.post("/trash/no.such/1/restore/").status_code == 404


def test_a_branch_secretary_has_no_trash(cast, client_as, deleted):
    assert client_as(cast.sec_a1).get("/trash/").status_code == 403


def test_empty_kinds_are_one_line_not_a_card_each(cast, client_as, deleted):
    body = client_as(cast.admin_a).get("/trash/").content.decode()
    assert body.count('<section class="card">') == 2  # the deleted project and the deleted member
    assert "没有已删除的会议活动、补学" in body


def test_a_kind_may_add_to_its_form_page_name_the_record_and_say_where_to_go_once_saved(cast, client_as):
    """form_context, a created_message naming the record ({obj}) and after_edit, as the make-up uses them."""
    import datetime

    from django.urls import reverse

    from taizhang.study import services as study_services
    from taizhang.study.records import MAKEUP

    assert MAKEUP.form_context and MAKEUP.after_edit
    meeting = study_services.meeting_create(
        actor=cast.sec_a1,
        organiser=cast.branch_a1,
        type="党员大会",
        date=datetime.date(2023, 10, 15),
        topic="传达主题教育部署",
        attendance={cast.zhang.pk: ("出席", ""), cast.li.pk: ("缺席", "")},
    )
    client = client_as(cast.sec_a1)
    form = client.get(
        reverse("study:makeup_create"), {"member": cast.li.pk, "campaign": meeting.campaign.code}
    )
    assert form.context["title"] == "登记补学：李四"
    data = {"member": cast.li.pk, "meeting": meeting.pk, "date": "2023-10-20", "method": "送书上门"}
    response = client.post(reverse("study:makeup_create"), data)
    assert response.url == MAKEUP.after_create(meeting.make_ups.get())
    makeup = meeting.make_ups.get()
    assert [str(m) for m in client.get(response.url).context["messages"]] == ["已登记李四的补学。"]
    response = client.post(reverse("study:makeup_edit", args=[makeup.pk]), data | {"note": "送书上门"})
    assert response.url == MAKEUP.after_edit(makeup) != MAKEUP.detail_link(makeup)
