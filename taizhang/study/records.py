"""The kinds of record the study area keeps, declared for core.records (so far: the one trash page)."""

from taizhang.core.records import RecordType, register, restore_by

from . import services as s
from .models import MakeUp, Meeting, PlannedMeeting

MEETING = register(
    RecordType("study.meeting", Meeting, "会议活动", restore=restore_by(s.meeting_restore, "meeting"))
)
MAKEUP = register(RecordType("study.makeup", MakeUp, "补学", restore=restore_by(s.makeup_restore, "makeup")))
PLAN_ITEM = register(
    RecordType(
        "study.plan_item",
        PlannedMeeting,
        "学习计划安排",
        restore=restore_by(s.planned_meeting_restore, "item"),
    )
)
