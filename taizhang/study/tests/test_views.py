"""The meeting pages: the list (filters, htmx, a constant number of queries), the fast entry form and its
roster, the detail page, deletion and the recycle bin."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from taizhang.conftest import make_member
from taizhang.study import services
from taizhang.study.models import Attendance, Meeting

from .conftest import ABSENT, DAY, LEAVE, PRESENT, png, record


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The list ----------------------------------------------------------------------------------------------


@pytest.fixture
def listed(cast, campaign):
    record(
        cast,
        type="主题党日",
        topic="十月主题党日",
        attendance={cast.zhang.pk: (PRESENT, ""), cast.li.pk: (LEAVE, "因病")},
    )
    record(cast, type="专题研讨", topic="十一月研讨", date=datetime.date(2023, 11, 20))
    record(cast, type="支委会", topic="旧记录", date=datetime.date(2023, 2, 5), head_count=7)
    record(cast, organiser=cast.branch_a2, actor=cast.sec_a2, type="专题研讨", topic="机关研讨")
    record(cast, organiser=cast.branch_b1, actor=cast.sec_b1, type="专题研讨", topic="乙乡研讨")
    return cast


def topics(response) -> list[str]:
    return [m.topic for m in response.context["page"]]


def test_the_list_shows_what_the_user_may_see_newest_first(listed, client_as):
    client = client_as(listed.admin_a)
    response = client.get(reverse("study:meeting_list"))
    assert topics(response) == ["十一月研讨", "机关研讨", "十月主题党日", "旧记录"]
    body = html(response)
    assert "出席1人 · 请假1人" in body and "参加7人" in body and "2023年11月20日" in body
    assert topics(client_as(listed.sec_a1).get(reverse("study:meeting_list"))) == [
        "十一月研讨",
        "十月主题党日",
        "旧记录",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "专题研讨"}, ["十一月研讨", "机关研讨"]),
        ({"month": "2023-10"}, ["机关研讨", "十月主题党日"]),
        ({"campaign": "2023-second-batch"}, ["十一月研讨", "机关研讨", "十月主题党日"]),
        ({"org": "branch_a2"}, ["机关研讨"]),
        ({"org": "general_a", "type": "专题研讨", "month": "2023-10"}, ["机关研讨"]),
    ],
)
def test_the_list_filters_by_organisation_campaign_type_and_month(listed, client_as, params, expected):
    if "org" in params:
        params = params | {"org": getattr(listed, params["org"]).pk}
    assert topics(client_as(listed.admin_a).get(reverse("study:meeting_list"), params)) == expected


def test_a_bad_month_is_said_so(listed, client_as):
    body = html(client_as(listed.admin_a).get(reverse("study:meeting_list"), {"month": "2023-13"}))
    assert "月份格式应为 2023-09。" in body


def test_htmx_gets_only_the_results(listed, client_as):
    response = client_as(listed.admin_a).get(
        reverse("study:meeting_list"), {"type": "专题研讨"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = html(response)
    assert "<html" not in body and "十一月研讨" in body


def test_the_list_runs_the_same_number_of_queries_whatever_the_data(
    cast, client_as, assert_queries, settings
):
    settings.PAGE_SIZE = 10
    client = client_as(cast.admin_a)
    url = reverse("study:meeting_list")
    record(cast, attendance={cast.zhang.pk: (PRESENT, "")})
    client.get(url)
    with assert_queries(11) as few:
        client.get(url)
    for n in range(30):
        record(cast, topic=f"第{n}次", date=DAY + datetime.timedelta(days=n % 20), speaker="张三",
               attendance={cast.zhang.pk: (PRESENT, ""), cast.li.pk: (ABSENT, "")})  # fmt: skip
    with assert_queries(len(few)):
        client.get(url)
    with assert_queries(len(few)):
        client.get(url, {"page": 3, "type": "主题党日"})


# Fast entry --------------------------------------------------------------------------------------------


def entry(cast, members, absent=(), reasons=None, **fields):
    """The form as a phone posts it: every listed member, ticked unless absent."""
    reasons = reasons or {}
    data = {
        "organiser": cast.branch_a1.pk,
        "type": "主题党日",
        "date": "2023-10-20",
        "topic": "重温入党誓词",
        "mode": "names",
        "m": [m.pk for m in members],
    }
    for m in members:
        if m not in absent:
            data[f"present_{m.pk}"] = "on"
        data[f"reason_{m.pk}"] = reasons.get(m, "absent")
    data.update(fields)
    return data


def test_the_form_lists_the_secretary_s_branch_members_ticked(branch, client_as):
    response = client_as(branch.sec_a1).get(reverse("study:meeting_create"))
    body = html(response)
    roster = response.context["roster"]
    assert [m.name for _, rows in roster.groups for m, _, _ in rows] == ["周九", "孙八", "张三", "李四"]
    assert body.count('type="checkbox"') == 4 and body.count("checked") >= 4
    assert "组织单位：<b>甲一村党支部</b>" in body  # his only organisation, not a choice to make
    assert "请假：外出务工" in body


def test_a_secretary_records_a_meeting_with_two_absentees_in_one_post(branch, client_as):
    c = branch
    members = [c.zhang, c.li, c.sun, c.zhou]
    response = client_as(c.sec_a1).post(
        reverse("study:meeting_create"),
        entry(c, members, absent=(c.li, c.sun), reasons={c.li: "leave:年老体弱"}),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    rows = {a.member.name: (a.status, a.reason) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {
        "张三": (PRESENT, ""),
        "李四": (LEAVE, "年老体弱"),
        "孙八": (ABSENT, ""),
        "周九": (PRESENT, ""),
    }
    follow = html(client_as(c.sec_a1).get(response.url))
    assert "已登记主题党日“重温入党誓词”，出席2人。" in follow


def test_a_forged_attendee_from_another_branch_is_refused_with_nothing_saved(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("study:meeting_create"), entry(cast, [cast.zhang, cast.wang])
    )
    body = html(response)
    assert "王五（甲机关党支部）不是“甲一村党支部”或其下级组织的党员" in body
    assert not Meeting.all_objects.exists()


def test_an_attendee_the_user_may_not_see_is_refused(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("study:meeting_create"), entry(cast, [cast.zhang, cast.zhao])
    )
    assert "名单中有已删除或您无权查看的党员" in html(response)
    assert not Meeting.all_objects.exists()


def test_a_date_a_year_ahead_is_refused_under_its_field(cast, client_as):
    far = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = client_as(cast.sec_a1).post(
        reverse("study:meeting_create"), entry(cast, [cast.zhang], date=far)
    )
    assert "日期不能晚于一年以后" in str(response.context["form"].errors["date"])
    assert not Meeting.all_objects.exists()


def test_a_photo_that_is_a_pdf_is_refused_with_nothing_saved(cast, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("会场.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client_as(cast.sec_a1).post(
        reverse("study:meeting_create"), entry(cast, [cast.zhang], photos=[fake])
    )
    assert "文件“会场.jpg”的名称与内容不符" in str(response.context["form"].errors["photos"])
    assert not Meeting.all_objects.exists()


def test_photos_go_with_the_entry(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("study:meeting_create"), entry(cast, [cast.zhang], photos=[png()])
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert "会场.png" in html(client_as(cast.sec_a1).get(meeting.get_absolute_url()))


def test_a_meeting_for_sign_in_later_has_no_attendance_yet(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("study:meeting_create"), entry(cast, [cast.zhang, cast.li], mode="later")
    )
    assert response.status_code == 302 and not Attendance.objects.exists()


def test_an_old_record_with_a_head_count(cast, client_as):
    client = client_as(cast.sec_a1)
    response = client.post(reverse("study:meeting_create"), entry(cast, [cast.zhang], mode="count"))
    assert "请填写参加人数" in str(response.context["form"].errors["head_count"])
    response = client.post(
        reverse("study:meeting_create"), entry(cast, [cast.zhang], mode="count", head_count=18)
    )
    assert response.status_code == 302
    assert Meeting.objects.get().head_count == 18 and not Attendance.objects.exists()


def test_the_roster_follows_the_chosen_organiser(cast, client_as):
    make_member("钱十", cast.branch_a2, mobile="13900001234")
    response = client_as(cast.admin_a).get(reverse("study:meeting_roster"), {"organiser": cast.general_a.pk})
    body = html(response)
    assert "王五" in body and "钱十" in body and "张三" not in body
    assert 'type="checkbox"' in body and "checked" not in body  # above a branch nobody is ticked for him
    assert "未参加（不记录）" in body
    assert (
        client_as(cast.sec_a1)
        .get(reverse("study:meeting_roster"), {"organiser": cast.branch_a2.pk})
        .status_code
        == 404
    )


def test_a_committee_meeting_records_only_who_was_ticked_or_excused(cast, client_as):
    data = entry(
        cast,
        [cast.zhang, cast.li, cast.wang],
        absent=(cast.li, cast.wang),
        reasons={cast.li: "leave:因病", cast.wang: ""},
    )
    data["organiser"] = cast.township_a.pk
    data["type"] = "培训"
    assert client_as(cast.admin_a).post(reverse("study:meeting_create"), data).status_code == 302
    rows = {a.member.name: a.status for a in Attendance.objects.all()}
    assert rows == {"张三": PRESENT, "李四": LEAVE}


def test_editing_shows_the_recorded_attendance_and_saves_changes(branch, client_as):
    c = branch
    meeting = record(c, attendance={c.zhang.pk: (PRESENT, ""), c.li.pk: (LEAVE, "因病")})
    client = client_as(c.sec_a1)
    response = client.get(reverse("study:meeting_edit", args=[meeting.pk]))
    roster = response.context["roster"]
    ticks = {m.name: (p.value(), r.value()) for _, rows in roster.groups for m, p, r in rows}
    assert ticks["张三"] == (True, "absent") and ticks["李四"] == (False, "leave:因病")
    assert ticks["孙八"] == (False, "absent")  # not on the list: absent once saved
    data = entry(c, [c.zhang, c.li, c.sun, c.zhou], absent=(c.sun,), topic="学习党章（修改）")
    data["date"] = meeting.date.isoformat()
    response = client.post(reverse("study:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "学习党章（修改）"
    assert Attendance.objects.filter(meeting=meeting, status=PRESENT).count() == 3


def test_an_edit_that_fails_leaves_the_stored_meeting_alone(cast, client_as):
    meeting = record(cast, attendance={cast.zhang.pk: (PRESENT, "")})
    data = entry(cast, [cast.zhang], topic="新主题", speaker="不存在的人")
    client_as(cast.sec_a1).post(reverse("study:meeting_edit", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert meeting.topic == "学习党章"


# Detail, deletion, recycle bin ---------------------------------------------------------------------------


def test_the_detail_page_shows_attendance_by_status(cast, client_as):
    meeting = record(cast, type="专题党课", speaker="陈明（省委党校）",
                     attendance={cast.zhang.pk: (PRESENT, ""), cast.li.pk: (LEAVE, "年老体弱")})  # fmt: skip
    body = html(client_as(cast.county_viewer).get(meeting.get_absolute_url()))
    assert "陈明（省委党校）" in body and '李四<span class="muted small">（年老体弱）</span>' in body
    assert "出席1 · 请假1 · 缺席0" in body
    assert "修改记录" in body and "登记会议" in body
    assert reverse("study:meeting_edit", args=[meeting.pk]) not in body


def test_an_old_record_says_it_has_only_a_head_count(cast, client_as):
    meeting = record(cast, head_count=23)
    assert "只记录了参加人数：<b>23</b>人" in html(client_as(cast.sec_a1).get(meeting.get_absolute_url()))


def test_deleting_and_restoring_through_the_pages(cast, client_as):
    meeting = record(cast)
    response = client_as(cast.sec_a1).post(reverse("study:meeting_delete", args=[meeting.pk]))
    assert response.status_code == 302 and not Meeting.objects.exists()
    admin = client_as(cast.admin_a)
    assert "学习党章" in html(admin.get(reverse("study:trash")))
    response = admin.post(reverse("study:meeting_restore", args=[meeting.pk]))
    assert response.status_code == 302 and Meeting.objects.get() == meeting


def test_the_signin_today_page_lists_today_s_meetings(cast, client_as):
    today = record(cast, date=timezone.localdate(), topic="支部学习日")
    services.signin_open(actor=cast.sec_a1, meeting=today)
    body = html(client_as(cast.sec_a1).get(reverse("study:signin_today")))
    assert "支部学习日" in body and "签到中" in body
    assert "支部学习日" not in html(client_as(cast.sec_a2).get(reverse("study:signin_today")))


def test_the_study_part_pages_link_to_the_study_area(cast, client_as):
    body = html(client_as(cast.sec_a1).get(reverse("part", args=["study"])))
    for url in ("study:meeting_list", "study:coverage", "study:signin_today"):
        assert reverse(url) in body
    body = html(client_as(cast.sec_a1).get(reverse("part", args=["plan"])))
    assert reverse("study:deployment") in body and reverse("study:plan_overview") in body


def test_the_home_page_puts_recording_a_meeting_one_tap_away(cast, client_as):
    today = record(cast, date=timezone.localdate(), topic="今天下午的支部学习")
    services.signin_open(actor=cast.sec_a1, meeting=today)
    body = html(client_as(cast.sec_a1).get("/"))
    assert reverse("study:meeting_create") in body and "今天下午的支部学习" in body and "签到中" in body
    body = html(client_as(cast.county_viewer).get("/"))
    assert reverse("study:meeting_list") in body and reverse("study:meeting_create") not in body
    assert "今天下午的支部学习" not in body
