"""The study area's rows of the access matrix (taizhang/core/tests/test_access_matrix.py).

Objects are township A's, in branch A1: a meeting held today with sign-in open (张三 present, 孙八 absent),
a members' meeting of the campaign that 孙八 missed and made up and 周九 missed, a study plan item, and a
deleted meeting, make-up and plan item for the restore pages. Users outside township A get 404, read-only
users 403 on write pages; the sign-in pages are public.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils import timezone

from taizhang.campaigns.models import Campaign
from taizhang.conftest import make_member
from taizhang.orgs.choices import MemberCategory
from taizhang.study import services
from taizhang.study.models import Attendance, MakeUp, Meeting, PlannedMeeting, SignIn

REQUIRED_DAY = datetime.date(2023, 10, 15)


def setup(cast) -> None:
    campaign = Campaign.objects.get(code="2023-second-batch")
    cast.sun = make_member("孙八", cast.branch_a1, MemberCategory.RETIRED, mobile="13800008888")
    cast.zhou = make_member("周九", cast.branch_a1, MemberCategory.MOBILE, mobile="13800009999")
    cast.meeting_a1 = services.meeting_create(
        actor=cast.sec_a1,
        organiser=cast.branch_a1,
        type="主题党日",
        date=timezone.localdate(),
        topic="学习新修订的党章",
        attendance={cast.zhang.pk: ("出席", ""), cast.sun.pk: ("缺席", "")},
    )
    cast.signin_a1 = services.signin_open(actor=cast.sec_a1, meeting=cast.meeting_a1, minutes=60)
    cast.required_a1 = services.meeting_create(
        actor=cast.sec_a1,
        organiser=cast.branch_a1,
        campaign=campaign,
        type="党员大会",
        date=REQUIRED_DAY,
        topic="传达主题教育部署",
        attendance={
            cast.zhang.pk: ("出席", ""),
            cast.sun.pk: ("缺席", ""),
            cast.zhou.pk: ("请假", "外出务工"),
        },
    )
    cast.makeup_a1 = services.makeup_create(
        actor=cast.sec_a1, member=cast.sun, meeting=cast.required_a1, date=REQUIRED_DAY, method="送书上门"
    )
    cast.plan_item_a1 = services.planned_meeting_create(
        actor=cast.sec_a1,
        organisation=cast.branch_a1,
        campaign=campaign,
        month=datetime.date(2023, 10, 1),
        type="主题党日",
    )
    gone = services.meeting_create(
        actor=cast.sec_a1, organiser=cast.branch_a1, type="支委会", date=REQUIRED_DAY, topic="已删除的支委会"
    )
    services.meeting_delete(actor=cast.sec_a1, meeting=gone)
    cast.deleted_meeting_a1 = gone
    cast.deleted_makeup_a1 = services.makeup_create(
        actor=cast.sec_a1, member=cast.zhou, meeting=cast.required_a1, date=REQUIRED_DAY, method="线上学习"
    )
    services.makeup_delete(actor=cast.sec_a1, makeup=cast.deleted_makeup_a1)
    cast.deleted_plan_item_a1 = services.planned_meeting_create(
        actor=cast.sec_a1,
        organisation=cast.branch_a1,
        campaign=campaign,
        month=datetime.date(2023, 11, 1),
        type="专题研讨",
    )
    services.planned_meeting_delete(actor=cast.sec_a1, item=cast.deleted_plan_item_a1)


TARGETS = {
    "meeting_a1": lambda cast: {"pk": cast.meeting_a1.pk},
    "deleted_meeting_a1": lambda cast: {"pk": cast.deleted_meeting_a1.pk},
    "deleted_meeting_kind": lambda cast: {"kind": "meeting", "pk": cast.deleted_meeting_a1.pk},
    "makeup_a1": lambda cast: {"pk": cast.makeup_a1.pk},
    "deleted_makeup_a1": lambda cast: {"pk": cast.deleted_makeup_a1.pk},
    "plan_item_a1": lambda cast: {"pk": cast.plan_item_a1.pk},
    "deleted_plan_item_a1": lambda cast: {"pk": cast.deleted_plan_item_a1.pk},
    "plan_of_a1": lambda cast: {"org_pk": cast.branch_a1.pk},
    "signin_a1": lambda cast: {"token": cast.signin_a1.token},
}

# fmt: off
GET_MATRIX = [
    # url name                      object                  root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("study:meeting_list",          None,                    200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("study:meeting_create",        None,                    200, 403,  200,  200,   200,   200,  200,   403,   302),
    ("study:meeting_roster",        None,                    200, 403,  200,  200,   200,   200,  200,   403,   302),
    ("study:trash",                 None,                    200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("study:restore",               "deleted_meeting_kind",  405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("study:meeting_detail",        "meeting_a1",            200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("study:meeting_edit",          "meeting_a1",            200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("study:meeting_delete",        "meeting_a1",            200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("study:meeting_restore",       "deleted_meeting_a1",    405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("study:attendance_mark",       "meeting_a1",            405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("study:signin_display",        "meeting_a1",            200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("study:signin_open",           "meeting_a1",            405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("study:signin_close",          "meeting_a1",            405, 405,  405,  405,   405,   405,  405,   405,   302),
    # A member has no account: the sign-in pages are public (the link's token and the code are the key).
    ("study:signin_code",           None,                    200, 200,  200,  200,   200,   200,  200,   200,   200),
    ("study:signin_page",           "signin_a1",             200, 200,  200,  200,   200,   200,  200,   200,   200),
    ("study:signin_today",          None,                    200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("study:deployment",            None,                    200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("study:plan_overview",         None,                    200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("study:plan_detail",           "plan_of_a1",            200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("study:plan_item_delete",      "plan_item_a1",          200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("study:plan_item_restore",     "deleted_plan_item_a1",  405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("study:makeup_list",           None,                    200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("study:makeup_create",         None,                    200, 403,  200,  200,   200,   200,  200,   403,   302),
    ("study:makeup_edit",           "makeup_a1",             200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("study:makeup_delete",         "makeup_a1",             200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("study:makeup_restore",        "deleted_makeup_a1",     405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("study:coverage",              None,                    200, 200,  200,  200,   200,   200,  200,   200,   302),
]
# fmt: on


def _meeting_created(cast):
    return Meeting.objects.filter(topic="新登记的会议").exists()


def _meeting_edited(cast):
    return Meeting.objects.get(pk=cast.meeting_a1.pk).topic == "改过的主题"


def _meeting_deleted(cast):
    return Meeting.all_objects.get(pk=cast.meeting_a1.pk).is_deleted


def _meeting_restored(cast):
    return not Meeting.all_objects.get(pk=cast.deleted_meeting_a1.pk).is_deleted


def _sun_marked(cast):
    return Attendance.objects.get(meeting=cast.meeting_a1, member=cast.sun).status == "出席"


def _signin_reopened(cast):
    return SignIn.objects.get(pk=cast.signin_a1.pk).closes_at > timezone.now() + datetime.timedelta(
        minutes=100
    )


def _signin_closed(cast):
    return SignIn.objects.get(pk=cast.signin_a1.pk).closed_at is not None


def _zhang_signed_by_qr(cast):
    return Attendance.objects.get(meeting=cast.meeting_a1, member=cast.zhang).method == "扫码"


def _nothing(cast):
    return False


def _item_planned(cast):
    return PlannedMeeting.objects.filter(organisation=cast.branch_a1, type="中心组学习").exists()


def _item_deleted(cast):
    return PlannedMeeting.all_objects.get(pk=cast.plan_item_a1.pk).is_deleted


def _item_restored(cast):
    return not PlannedMeeting.all_objects.get(pk=cast.deleted_plan_item_a1.pk).is_deleted


def _zhou_made_up(cast):
    return MakeUp.objects.filter(member=cast.zhou, meeting=cast.required_a1).exists()


def _makeup_edited(cast):
    return MakeUp.objects.get(pk=cast.makeup_a1.pk).note == "送《习近平著作选读》上门"


def _makeup_deleted(cast):
    return MakeUp.all_objects.get(pk=cast.makeup_a1.pk).is_deleted


def _makeup_restored(cast):
    return not MakeUp.all_objects.get(pk=cast.deleted_makeup_a1.pk).is_deleted


def _forget_tries(cast):
    cache.clear()  # wrong sign-in tries are counted in the cache: each case starts afresh


def _meeting_form(cast, **fields):
    data = {
        "organiser": cast.branch_a1.pk,
        "type": "主题党日",
        "date": "2023-10-20",
        "topic": "新登记的会议",
        "mode": "names",
        "m": [cast.zhang.pk],
        f"present_{cast.zhang.pk}": "on",
    }
    data.update(fields)
    return data


POST_DATA = {
    "study:meeting_create": _meeting_form,
    "study:meeting_edit": lambda cast: _meeting_form(
        cast, topic="改过的主题", date=timezone.localdate().isoformat(), mode="later"
    ),
    "study:attendance_mark": lambda cast: {"member": cast.sun.pk},
    "study:signin_open": lambda cast: {"minutes": 120},
    # Wrong digits: nobody, signed in or not, gets a member signed in with them.
    "study:signin_page": lambda cast: {"member": cast.zhang.pk, "digits": "0000"},
    "study:signin_code": lambda cast: {"code": "abc"},
    "study:plan_detail": lambda cast: {"month": "2023-10-01", "type": "中心组学习"},
    "study:makeup_create": lambda cast: {
        "member": cast.zhou.pk,
        "meeting": cast.required_a1.pk,
        "date": "2023-10-22",
        "method": "线上学习",
    },
    "study:makeup_edit": lambda cast: {
        "member": cast.sun.pk,
        "meeting": cast.required_a1.pk,
        "date": REQUIRED_DAY.isoformat(),
        "method": "送书上门",
        "note": "送《习近平著作选读》上门",
    },
}

# fmt: off
POST_MATRIX = [
    # url name                  object                  effect               root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    # Outside township A the organiser is not on offer: the form says so (200) and nothing is saved.
    ("study:meeting_create",    None,                   _meeting_created,    302, 403,  302,  302,   200,   200,  200,   403,   302),
    ("study:meeting_edit",      "meeting_a1",           _meeting_edited,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:meeting_delete",    "meeting_a1",           _meeting_deleted,    302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:meeting_restore",   "deleted_meeting_a1",   _meeting_restored,   302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("study:restore",           "deleted_meeting_kind", _meeting_restored,   302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("study:attendance_mark",   "meeting_a1",           _sun_marked,         302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:signin_open",       "meeting_a1",           _signin_reopened,    302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:signin_close",      "meeting_a1",           _signin_closed,      302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:signin_page",       "signin_a1",            _zhang_signed_by_qr, 200, 200,  200,  200,   200,   200,  200,   200,   200),
    ("study:signin_code",       None,                   _nothing,            200, 200,  200,  200,   200,   200,  200,   200,   200),
    ("study:plan_detail",       "plan_of_a1",           _item_planned,       302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:plan_item_delete",  "plan_item_a1",         _item_deleted,       302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:plan_item_restore", "deleted_plan_item_a1", _item_restored,      302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("study:makeup_create",     None,                   _zhou_made_up,       302, 403,  302,  302,   404,   404,  404,   403,   302),
    ("study:makeup_edit",       "makeup_a1",            _makeup_edited,      302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:makeup_delete",     "makeup_a1",            _makeup_deleted,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("study:makeup_restore",    "deleted_makeup_a1",    _makeup_restored,    302, 403,  302,  403,   403,   404,  403,   403,   302),
]
# fmt: on

PREPARE = {"study:signin_page": _forget_tries, "study:signin_code": _forget_tries}
