"""Meetings with attendance, sign-in, make-up study and study plans (学, 谋)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from taizhang.core.cleaning import Refused, check_meeting_date
from taizhang.core.dates import cn_date, cn_month
from taizhang.core.fields import alive_unique, record_history, ref
from taizhang.core.managers import alive_with
from taizhang.core.models import Record, RecordQuerySet, record_managers
from taizhang.core.scoping import ScopedQuerySet, ScopedQuerySetMixin

from .choices import AttendanceMethod, AttendanceStatus, MakeUpMethod, MeetingType

cn = cn_date


class MeetingQuerySet(RecordQuerySet):
    def named(self):
        """Meetings whose attendance is recorded by name (at least one attendance row). All attendance rows:
        the meeting itself is the one filtered here, and joining it again inside the EXISTS lets a planner with
        stale statistics multiply the two (a PostgreSQL test once ran for minutes)."""
        return self.filter(Exists(Attendance.all_objects.filter(meeting=OuterRef("pk"))))

    def in_month(self, month: datetime.date):
        start = month.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        return self.filter(date__gte=start, date__lt=end)

    def of_required_type(self, campaign):
        return self.filter(campaign=campaign, type__in=campaign.required_meeting_types or [])

    def required_in(self, campaign):
        """The campaign's meetings that members must attend (or make up): a required type, named attendance.
        A member's required meetings are those of them organised by his own organisation."""
        return self.of_required_type(campaign).named()


class Meeting(Record):
    """Any dated gathering with attendees: a study session, a lecture, a members' meeting, a training…

    Attendance is either named (one Attendance row per member: present, on leave or absent) or, for an old
    record written from a paper notebook, only a head count: that counts in person-times but in nobody's
    coverage.
    """

    scope_path = "organiser"
    as_of_field = "date"
    accepts_attachments = True

    organiser = ref("orgs.Organisation", "组织单位", related_name="meetings")
    campaign = ref(
        "campaigns.Campaign",
        "主题教育",
        optional=True,
        related_name="meetings",
        help_text="不填则按会议日期自动归入",
    )
    type = models.CharField("类型", max_length=10, choices=MeetingType.choices)
    date = models.DateField("日期")
    topic = models.CharField("主题", max_length=200)
    speaker = ref("orgs.Member", "主讲人", optional=True, related_name="lectures_given")
    speaker_name = models.CharField("外来主讲人", max_length=50, blank=True)
    speaker_unit = models.CharField("主讲人单位", max_length=100, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    minutes = models.TextField("会议记录", blank=True)
    head_count = models.PositiveIntegerField(
        "参加人数", null=True, blank=True, help_text="只有人数、没有名单的旧记录填写"
    )

    history = record_history()
    objects, all_objects = record_managers(MeetingQuerySet)

    class Meta:
        verbose_name = verbose_name_plural = "会议活动"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["organiser", "date"]),
            models.Index(fields=["date"]),
            models.Index(fields=["campaign", "type"]),
            # A member's required meetings (indicators' "covered"): his organisation's, of the campaign, by type.
            models.Index(fields=["organiser", "campaign", "type"]),
            # A planned meeting is done when its organisation held one of its type in its month (plan_done).
            models.Index(fields=["organiser", "type", "date"]),
        ]
        constraints = [
            # The natural key of the 会议活动 ledger: 日期 + 组织 + 主题.
            alive_unique(
                "organiser",
                "date",
                "topic",
                name="meeting_unique_org_date_topic",
                message="该组织在同一天已有主题相同的会议，请勿重复登记。",
            ),
            models.CheckConstraint(
                condition=Q(speaker__isnull=True) | Q(speaker_name=""),
                name="meeting_one_kind_of_speaker",
                violation_error_message="主讲人只能是本乡党员或外来主讲人之一。",
            ),
        ]

    def __str__(self) -> str:
        return f"{cn(self.date)} {self.type}：{self.topic}" if self.date else self.topic

    def get_absolute_url(self) -> str:
        return reverse("study:meeting_detail", args=[self.pk])

    @property
    def signin_day(self) -> bool:
        """Sign-in opens only on the meeting's own day."""
        return self.date == timezone.localdate()

    @property
    def speaker_display(self) -> str:
        if self.speaker_id:
            return self.speaker.name
        if self.speaker_name:
            return f"{self.speaker_name}（{self.speaker_unit}）" if self.speaker_unit else self.speaker_name
        return ""

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.date:
            try:
                check_meeting_date(self.date)  # the one rule, shared with the ledger import
            except Refused as exc:
                errors["date"] = str(exc)
            else:
                if self.campaign_id and not (self.campaign.start_date <= self.date <= self.campaign.end_date):
                    errors["date"] = (
                        f"日期不在“{self.campaign}”期间（{cn(self.campaign.start_date)}至"
                        f"{cn(self.campaign.end_date)}）。"
                    )
        if (
            self.organiser_id
            and self.date
            and self.organiser.retired_at
            and self.date > self.organiser.retired_at
        ):
            errors["organiser"] = (
                f"“{self.organiser}”已于{cn(self.organiser.retired_at)}撤销，不能登记此后的会议。"
            )
        if self.speaker_unit and not self.speaker_name:
            errors["speaker_unit"] = "填写了主讲人单位，请同时填写外来主讲人姓名。"
        if errors:
            raise ValidationError(errors)


class AttendanceQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def present(self):
        return self.filter(status=AttendanceStatus.PRESENT)


class Attendance(models.Model):
    """One member at one meeting: present, on leave (with a reason) or absent, and how presence was taken."""

    scope_path = "meeting__organiser"
    campaign_path = "meeting__campaign"
    as_of_field = "meeting__date"

    meeting = ref(Meeting, "会议", on_delete=models.CASCADE, related_name="attendances")
    member = ref("orgs.Member", "党员", related_name="attendances")
    status = models.CharField("出勤", max_length=4, choices=AttendanceStatus.choices)
    reason = models.CharField("请假原因", max_length=50, blank=True)
    method = models.CharField("签到方式", max_length=4, choices=AttendanceMethod.choices, blank=True)
    signed_at = models.DateTimeField("签到时间", null=True, blank=True)

    history = HistoricalRecords()
    objects = alive_with("meeting", AttendanceQuerySet)  # attendance of a deleted meeting is not there
    all_objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "出勤"
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member"),
        ]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"{self.member}：{self.status}"

    def clean(self) -> None:
        super().clean()
        if self.status == AttendanceStatus.LEAVE and not self.reason:
            raise ValidationError({"reason": f"{self.member}请假，请选择请假原因。"})
        if self.status != AttendanceStatus.LEAVE:
            self.reason = ""
        if self.status != AttendanceStatus.PRESENT:
            self.method = ""
            self.signed_at = None


class SignIn(models.Model):
    """A meeting's sign-in: a link with a random token (shown as a QR code) and a 6-digit code, open for a
    time window. Opening it again keeps the token, so a QR code printed earlier still works."""

    scope_path = "meeting__organiser"

    meeting = models.OneToOneField(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="sign_in"
    )
    token = models.CharField("链接口令", max_length=43, unique=True)
    code = models.CharField("签到码", max_length=6, db_index=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    closed_at = models.DateTimeField("提前关闭于", null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "签到"

    def __str__(self) -> str:
        return f"{self.meeting} 签到"

    def state(self, now: datetime.datetime | None = None) -> str:
        """open, closed (by the organiser) or expired (its time is over)."""
        now = now or timezone.now()
        if self.closed_at is not None:
            return "closed"
        if now >= self.closes_at:
            return "expired"
        return "open"

    @property
    def is_open(self) -> bool:
        return self.state() == "open"


class StudyQuerySet(RecordQuerySet):
    pass


class MakeUp(Record):
    """补学: a member who missed a required meeting studies its content later, by a recorded method."""

    scope_path = "meeting__organiser"
    campaign_path = "meeting__campaign"
    as_of_field = "date"

    member = ref("orgs.Member", "党员", related_name="make_ups")
    meeting = ref(Meeting, "补学会议", related_name="make_ups")
    date = models.DateField("补学日期")
    method = models.CharField("方式", max_length=4, choices=MakeUpMethod.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    history = record_history()
    objects = alive_with("meeting", StudyQuerySet, own=True)
    all_objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "补学"
        ordering = ["-date", "-pk"]
        base_manager_name = "all_objects"
        constraints = [
            alive_unique(
                "member",
                "meeting",
                name="makeup_one_per_member_meeting",
                message="该党员已登记过这次会议的补学。",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "member"])]

    def __str__(self) -> str:
        return f"{self.member}补学：{self.meeting.topic}" if self.meeting_id else f"{self.member}补学"

    def get_absolute_url(self) -> str:
        return reverse("study:makeup_edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if not (self.member_id and self.meeting_id and self.date):
            return
        meeting = self.meeting
        errors = {}
        if self.member.organisation_id != meeting.organiser_id:
            errors["meeting"] = f"“{meeting.topic}”不是{self.member.name}所在组织召开的会议，无需补学。"
        elif meeting.campaign_id is None or meeting.type not in (
            meeting.campaign.required_meeting_types or []
        ):
            errors["meeting"] = f"{meeting.type}“{meeting.topic}”不是主题教育要求参加的会议，无需补学。"
        elif Attendance.objects.filter(
            meeting=meeting, member=self.member, status=AttendanceStatus.PRESENT
        ).exists():
            errors["member"] = f"{self.member.name}出席了“{meeting.topic}”，无需补学。"
        if self.date < meeting.date:
            errors["date"] = f"补学日期不能早于会议日期（{cn(meeting.date)}）。"
        elif self.date > timezone.localdate():
            errors["date"] = "补学日期不能晚于今天。"
        if errors:
            raise ValidationError(errors)


class PlannedMeeting(Record):
    """One item of an organisation's study plan for a campaign: a meeting of a type planned in a month. It is
    done when a meeting of that type organised by the organisation falls in that month."""

    scope_path = "organisation"

    organisation = ref("orgs.Organisation", "组织", related_name="planned_meetings")
    campaign = ref("campaigns.Campaign", "主题教育", related_name="planned_meetings")
    month = models.DateField("月份", help_text="该月第一天")
    type = models.CharField("类型", max_length=10, choices=MeetingType.choices)
    topic = models.CharField("计划主题", max_length=200, blank=True)

    history = record_history()
    objects, all_objects = record_managers(StudyQuerySet)

    class Meta:
        verbose_name = verbose_name_plural = "学习计划"
        ordering = ["organisation", "month", "type", "pk"]
        indexes = [models.Index(fields=["organisation", "campaign"])]

    def __str__(self) -> str:
        return f"{cn_month(self.month)} {self.type}" + (f"：{self.topic}" if self.topic else "")

    def get_absolute_url(self) -> str:
        """The plan it belongs to: an item has no page of its own."""
        url = reverse("study:plan_detail", args=[self.organisation_id])
        return f"{url}?campaign={self.campaign.code}"

    def clean(self) -> None:
        super().clean()
        if self.month:
            self.month = self.month.replace(day=1)
        if self.month and self.campaign_id:
            first = self.campaign.start_date.replace(day=1)
            if not (first <= self.month <= self.campaign.end_date):
                raise ValidationError(
                    {
                        "month": f"月份应在“{self.campaign}”期间（{self.campaign.start_date.year}年"
                        f"{self.campaign.start_date.month}月至{self.campaign.end_date.year}年"
                        f"{self.campaign.end_date.month}月）。"
                    }
                )
