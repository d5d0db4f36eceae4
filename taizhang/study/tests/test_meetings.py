"""Recording meetings: attendance by name or head count, speakers, campaigns by date, bad input refused whole,
scope, history, soft delete and restore, attachments."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from taizhang.campaigns.models import Campaign
from taizhang.conftest import make_member
from taizhang.core.models import Attachment, attachments_of
from taizhang.study import services
from taizhang.study.models import Attendance, Meeting

from .conftest import ABSENT, DAY, LEAVE, PRESENT, pdf, png, record


def statuses(meeting):
    return {
        a.member.name: (a.status, a.reason, a.method)
        for a in Attendance.objects.filter(meeting=meeting).select_related("member")
    }


def test_secretary_records_his_branch_meeting_with_attendance(branch, campaign):
    c = branch
    meeting = record(
        c,
        attendance={
            c.zhang.pk: (PRESENT, ""),
            c.li.pk: (LEAVE, "年老体弱"),
            c.sun.pk: (LEAVE, "外出务工"),
            c.zhou.pk: (ABSENT, ""),
        },
    )
    assert statuses(meeting) == {
        "张三": (PRESENT, "", "登记"),
        "李四": (LEAVE, "年老体弱", ""),
        "孙八": (LEAVE, "外出务工", ""),
        "周九": (ABSENT, "", ""),
    }
    assert meeting.campaign == campaign  # by its date
    assert meeting.history.get().history_user == c.sec_a1
    assert Attendance.history.filter(meeting_id=meeting.pk).count() == 4


def test_a_committee_meeting_may_have_attendees_from_anywhere_under_it(cast):
    meeting = record(
        cast,
        organiser=cast.township_a,
        actor=cast.admin_a,
        type="培训",
        attendance={cast.zhang.pk: (PRESENT, ""), cast.wang.pk: (PRESENT, "")},
    )
    assert set(statuses(meeting)) == {"张三", "王五"}


def test_an_attendee_outside_the_organiser_s_subtree_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(ValidationError) as exc:
        record(
            cast,
            actor=cast.admin_a,
            attendance={cast.zhang.pk: (PRESENT, ""), cast.wang.pk: (PRESENT, "")},
        )
    assert exc.value.message_dict["attendance"] == [
        "王五（甲机关党支部）不是“甲一村党支部”或其下级组织的党员，不能列为这次会议的参加人员。"
    ]
    assert not Meeting.all_objects.exists() and not Attendance.all_objects.exists()


def test_a_member_of_another_township_is_refused_too(cast):
    with pytest.raises(ValidationError):
        record(cast, organiser=cast.township_a, actor=cast.root, attendance={cast.zhao.pk: (PRESENT, "")})
    assert not Meeting.all_objects.exists()


def test_a_date_more_than_a_year_ahead_is_refused(cast):
    too_far = timezone.localdate() + datetime.timedelta(days=366)
    with pytest.raises(ValidationError) as exc:
        record(cast, date=too_far, attendance={cast.zhang.pk: (PRESENT, "")})
    assert "日期不能晚于一年以后" in exc.value.message_dict["date"][0]
    assert not Meeting.all_objects.exists() and not Attendance.all_objects.exists()
    # A year ahead to the day is a plan, not a typing error.
    assert record(cast, date=timezone.localdate() + datetime.timedelta(days=365)).pk


def test_a_date_outside_the_chosen_campaign_is_refused(cast, campaign):
    with pytest.raises(ValidationError) as exc:
        record(cast, date=datetime.date(2023, 8, 20), campaign=campaign)
    assert exc.value.message_dict["date"][0].startswith("日期不在“")


def test_a_meeting_outside_any_campaign_belongs_to_none(cast):
    assert record(cast, date=datetime.date(2023, 5, 10)).campaign is None


def test_a_campaign_that_does_not_cover_the_township_is_not_chosen(cast, campaign):
    campaign.organisations.add(cast.township_b)
    assert record(cast).campaign is None
    campaign.organisations.add(cast.township_a)
    assert record(cast, topic="另一次").campaign == campaign


def test_leave_needs_a_reason(cast):
    with pytest.raises(ValidationError) as exc:
        record(cast, attendance={cast.zhang.pk: (LEAVE, "")})
    assert exc.value.message_dict["attendance"] == ["张三请假，请选择请假原因。"]


def test_the_same_meeting_twice_is_refused_by_its_natural_key(cast):
    record(cast)
    with pytest.raises(ValidationError) as exc:
        record(cast)
    assert "同一天已有主题相同的会议" in str(exc.value)
    assert Meeting.objects.count() == 1


def test_an_old_record_with_a_head_count_only(cast):
    meeting = record(cast, head_count=18, date=datetime.date(2023, 2, 15))
    assert meeting.head_count == 18 and not Attendance.objects.filter(meeting=meeting).exists()


def test_a_head_count_that_contradicts_the_names_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        record(cast, head_count=5, attendance={cast.zhang.pk: (PRESENT, ""), cast.li.pk: (ABSENT, "")})
    assert "参加人数（5人）与名单中出席的人数（1人）不一致" in exc.value.message_dict["head_count"][0]
    # The same number as the names is accepted, and the names are the count.
    meeting = record(cast, head_count=1, attendance={cast.zhang.pk: (PRESENT, ""), cast.li.pk: (ABSENT, "")})
    assert meeting.head_count is None


# Speakers ----------------------------------------------------------------------------------------------


def test_a_speaker_who_is_a_member_is_stored_as_the_member(cast):
    meeting = record(cast, type="专题党课", speaker="张三")
    assert meeting.speaker == cast.zhang and meeting.speaker_name == ""


def test_a_secretary_above_the_branch_may_be_its_speaker(cast):
    cast.township_a.secretary = cast.wang
    cast.township_a.save()
    meeting = record(cast, type="专题党课", speaker="王五")
    assert meeting.speaker == cast.wang


def test_an_outside_speaker_is_written_with_his_unit(cast):
    meeting = record(cast, type="专题党课", speaker="陈明（省委党校）")
    assert (meeting.speaker, meeting.speaker_name, meeting.speaker_unit) == (None, "陈明", "省委党校")
    assert meeting.speaker_display == "陈明（省委党校）"


def test_a_plain_name_must_be_a_member_of_the_township(cast):
    with pytest.raises(ValidationError) as exc:
        record(cast, type="专题党课", speaker="赵六")  # a member of township B
    assert exc.value.message_dict["speaker"] == [
        "主讲人：“赵六”不是本乡党员，请检查姓名。外来主讲人请写成 姓名（单位），如：陈明（省委党校）。"
    ]
    assert not Meeting.all_objects.exists()


def test_namesakes_must_be_told_apart_by_their_organisation(cast):
    make_member("张三", cast.branch_a2, mobile="13900007777")
    with pytest.raises(ValidationError) as exc:
        record(cast, type="专题党课", speaker="张三")
    assert "“张三”有2名同名党员（甲一村党支部、甲机关党支部）" in exc.value.message_dict["speaker"][0]
    meeting = record(cast, type="专题党课", speaker="张三（甲机关党支部）")
    assert meeting.speaker.organisation == cast.branch_a2
    assert services.speaker_text(meeting) == "张三（甲机关党支部）"


# Changing, scope, deletion --------------------------------------------------------------------------------


def test_updating_the_attendance_keeps_how_a_member_signed_in(branch):
    c = branch
    meeting = record(
        c, date=timezone.localdate(), attendance={c.zhang.pk: (ABSENT, ""), c.li.pk: (ABSENT, "")}
    )
    sign_in = services.signin_open(actor=c.sec_a1, meeting=meeting)
    services.attendance_sign_in(
        sign_in=sign_in, member_id=c.zhang.pk, digits="1111", method="扫码", client="a"
    )
    services.meeting_update(
        actor=c.sec_a1,
        meeting=meeting,
        attendance={c.zhang.pk: (PRESENT, ""), c.li.pk: (LEAVE, "因病"), c.zhou.pk: (PRESENT, "")},
    )
    assert statuses(meeting) == {
        "张三": (PRESENT, "", "扫码"),
        "李四": (LEAVE, "因病", ""),
        "周九": (PRESENT, "", "登记"),
    }
    services.meeting_update(actor=c.sec_a1, meeting=meeting, attendance={c.zhang.pk: (PRESENT, "")})
    assert set(statuses(meeting)) == {"张三"}  # the others are off the list, their history kept
    assert Attendance.history.filter(meeting_id=meeting.pk, history_type="-").count() == 2


def test_update_without_attendance_leaves_it_and_keeps_the_speaker(cast):
    meeting = record(cast, type="专题党课", speaker="张三", attendance={cast.zhang.pk: (PRESENT, "")})
    services.meeting_update(actor=cast.sec_a1, meeting=meeting, topic="学习新党章")
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.speaker) == ("学习新党章", cast.zhang)
    assert set(statuses(meeting)) == {"张三"}


def test_moving_a_meeting_to_an_organiser_its_attendees_are_not_under_is_refused(cast):
    meeting = record(cast, actor=cast.admin_a, attendance={cast.zhang.pk: (PRESENT, "")})
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(actor=cast.admin_a, meeting=meeting, organiser=cast.branch_a2)
    assert "张三（甲一村党支部）不是“甲机关党支部”" in exc.value.message_dict["attendance"][0]
    assert Meeting.objects.get(pk=meeting.pk).organiser == cast.branch_a1


@pytest.mark.parametrize("actor", ["county_viewer", "sec_a2", "admin_b", "nobody"])
def test_nobody_records_a_meeting_outside_his_write_scope(cast, actor):
    with pytest.raises(PermissionDenied):
        record(cast, actor=getattr(cast, actor))
    assert not Meeting.all_objects.exists()


def test_a_secretary_cannot_move_his_meeting_out_of_his_branch(cast):
    meeting = record(cast)
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=cast.sec_a1, meeting=meeting, organiser=cast.branch_a2)
    assert Meeting.objects.get(pk=meeting.pk).organiser == cast.branch_a1


def test_deleted_meetings_and_their_attendance_leave_every_list_until_restored(cast):
    meeting = record(cast, attendance={cast.zhang.pk: (PRESENT, "")})
    services.meeting_delete(actor=cast.sec_a1, meeting=meeting)
    assert not Meeting.objects.exists() and not Attendance.objects.exists()
    with pytest.raises(PermissionDenied):
        services.meeting_restore(actor=cast.sec_a1, meeting=meeting)
    services.meeting_restore(actor=cast.admin_a, meeting=meeting)
    assert Meeting.objects.get() == meeting and Attendance.objects.count() == 1
    assert [h.history_change_reason for h in meeting.history.order_by("history_id")] == [
        "登记会议",
        "删除会议",
        "恢复",
    ]


def test_a_restore_that_would_duplicate_a_meeting_is_refused(cast):
    first = record(cast)
    services.meeting_delete(actor=cast.sec_a1, meeting=first)
    record(cast)
    with pytest.raises(ValidationError):
        services.meeting_restore(actor=cast.admin_a, meeting=first)


# Attachments ---------------------------------------------------------------------------------------------


def test_photos_are_attached_with_the_meeting_and_get_thumbnails(cast):
    meeting = record(cast, uploads=[png(), pdf()])
    files = list(attachments_of(meeting))
    assert [(a.original_name, a.kind) for a in files] == [("会场.png", "png"), ("会议记录.pdf", "pdf")]
    assert files[0].thumbnail and not files[1].thumbnail
    assert files[0].file.name != "会场.png"  # stored under a generated name


def test_a_file_that_is_not_what_its_name_says_refuses_the_whole_meeting(cast):
    with pytest.raises(ValidationError) as exc:
        record(cast, uploads=[png(), pdf("照片.jpg")], attendance={cast.zhang.pk: (PRESENT, "")})
    assert exc.value.message_dict["photos"] == [
        "文件“照片.jpg”的名称与内容不符：内容是PDF文件（pdf），名称却是“.jpg”。"
    ]
    assert not Meeting.all_objects.exists() and not Attendance.all_objects.exists()
    assert not Attachment.all_objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast, settings):
    settings.MAX_UPLOAD_MB = 1
    big = png("大照片.png")
    big.size = 2 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        record(cast, uploads=[big])
    assert "超过了1 MB的上限" in exc.value.message_dict["photos"][0]
    assert not Meeting.all_objects.exists()


def test_meeting_attachments_are_served_only_within_scope(cast, client_as):
    meeting = record(cast, uploads=[png()])
    attachment = attachments_of(meeting).get()
    assert client_as(cast.sec_a1).get(f"/attachments/{attachment.pk}/").status_code == 200
    assert client_as(cast.sec_a2).get(f"/attachments/{attachment.pk}/").status_code == 404
    response = client_as(cast.county_viewer).get(f"/attachments/{attachment.pk}/thumbnail/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_meetings_of_another_campaign_stay_apart(cast, campaign):
    other = Campaign.objects.create(
        code="2024-discipline",
        name="党纪学习教育",
        start_date=datetime.date(2024, 4, 1),
        end_date=datetime.date(2024, 7, 31),
    )
    assert record(cast, date=datetime.date(2024, 5, 6)).campaign == other
    assert record(cast, date=DAY, topic="另一次").campaign == campaign
