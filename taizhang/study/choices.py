from django.db import models

from taizhang.core.choices import Vocabulary


class MeetingType(Vocabulary):
    """Every dated gathering with attendees (domain.md: 会议 / 活动). Values are the Chinese names that
    campaign files (required_meeting_types) and the 会议活动 ledger use."""

    CENTRAL_GROUP = "中心组学习"
    SEMINAR = "专题研讨"
    LECTURE = "专题党课"
    MEMBERS_MEETING = "党员大会"
    BRANCH_COMMITTEE = "支委会"
    PARTY_GROUP = "党小组会"
    THEME_DAY = "主题党日"
    FIELD_TEACHING = "现场教学"
    TRAINING = "培训"
    MOBILISATION = "动员部署会"
    OTHER = "其他"


# The deployment part (谋) of a campaign: the committee's mobilisation and the branches' members' meetings.
DEPLOYMENT_TYPES = (MeetingType.MOBILISATION, MeetingType.MEMBERS_MEETING)


class AttendanceStatus(Vocabulary):
    PRESENT = "出席"
    LEAVE = "请假"
    ABSENT = "缺席"


class AttendanceMethod(models.TextChoices):
    """How presence was taken: attendance is a record, not proof, so a reader can weigh it."""

    QR = "扫码", "扫码签到"
    CODE = "签到码", "输入签到码"
    MARKED = "登记", "组织者登记"


# Reasons offered for leave (请假); the field itself is free text so that imported ledgers keep theirs.
LEAVE_REASONS = ("因病", "外出务工", "年老体弱", "因公外出", "家中有事", "其他")


class MakeUpMethod(Vocabulary):
    BOOK_DELIVERY = "送书上门"
    ONLINE = "线上学习"
    AUDIO = "有声读物"
    GROUP = "集中补学"


class CoverageState(Vocabulary):
    ATTENDED = "出席"
    MADE_UP = "补学", "已补学"
    MISSING = "缺", "未补学"
