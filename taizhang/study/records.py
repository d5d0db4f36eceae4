"""The kinds of record the study area keeps, declared for core.records: their delete, trash and restore pages
are the generic ones. A meeting is recorded with its attendance, and a make-up for one member among the
meetings he missed: their create and edit pages are the area's own (study/views.py)."""

from django.urls import reverse

from taizhang.core.records import RecordType, register

from . import services as s
from .models import MakeUp, Meeting, PlannedMeeting


def coverage_url(member, campaign) -> str:
    """The coverage page of a member's organisation (in the campaign): where make-ups are recorded from."""
    url = reverse("study:coverage") + f"?org={member.organisation_id}"
    return url + (f"&campaign={campaign.code}" if campaign else "")


MEETING = register(
    RecordType(
        key="study.meeting",
        model=Meeting,
        label="会议活动",
        services=(s, "meeting", "meeting"),
        list_url="study:meeting_list",
        detail_url="study:meeting_detail",
        deleted_message="已删除“{obj.topic}”。乡党委管理员可在“会议回收站”中恢复。",
    )
)
MAKEUP = register(
    RecordType(
        key="study.makeup",
        model=MakeUp,
        label="补学",
        services=(s, "makeup", "makeup"),
        detail_url="study:makeup_edit",  # its page is its form
        deleted_message="已删除{obj.member.name}的补学记录。乡党委管理员可在“会议回收站”中恢复。",
        after_delete=lambda makeup: coverage_url(makeup.member, makeup.meeting.campaign),
    )
)
PLAN_ITEM = register(
    RecordType(
        key="study.plan_item",
        model=PlannedMeeting,
        label="学习计划安排",
        services=(s, "planned_meeting", "item"),
        # No page of its own: its plan's (PlannedMeeting.get_absolute_url), where it is deleted from.
        deleted_message="已从学习计划中删除“{obj}”。",
        after_delete=PlannedMeeting.get_absolute_url,
    )
)
