"""Research (研): research topics and visits, the action items that come out of them, and the monthly
enterprise visits of cadres with the issues enterprises raised.

Every record belongs to one township. Topics, visits, enterprises and enterprise visits belong to the
township committee itself; an action item belongs to its responsible unit when that is an organisation
(else to the committee) and carries its township, so that its 序号 is unique within the township.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from simple_history.models import HistoricalRecords

from taizhang.core.dates import cn_date
from taizhang.core.deadlines import DeadlineQuerySetMixin, DeadlineStateMixin, today
from taizhang.core.models import Record, RecordQuerySet, record_managers
from taizhang.core.scoping import subtree_ids
from taizhang.orgs.choices import OrgKind

from .choices import ActionStatus, PlaceKind

HISTORY_EXCLUDED = ["created_at", "updated_at"]


class ActionItemQuerySet(DeadlineQuerySetMixin, RecordQuerySet):
    pass


def _committee_only(org, field: str, what: str) -> None:
    if org is not None and org.kind != OrgKind.COMMITTEE:
        raise ValidationError({field: f"{what}应属于乡党委，“{org}”是{org.get_kind_display()}。"})


def check_members_within(root_id: int | None, members: dict[str, object], where: str) -> None:
    """Each named member must belong to the organisation root_id or below it (one query for all).

    members: field name → a Member, or a list of Members (for a many-to-many field)."""
    people = [
        (field, m)
        for field, value in members.items()
        for m in (value if isinstance(value, list | tuple) else [value])
        if m is not None
    ]
    if not people or root_id is None:
        return
    inside = subtree_ids(root_id)
    errors: dict[str, list[str]] = {}
    for field, member in people:
        if member.organisation_id not in inside:
            errors.setdefault(field, []).append(f"{member.name}不是{where}的党员。")
    if errors:
        raise ValidationError(errors)


def _set(obj, field: str):
    """The related object of a required foreign key, or None while it is not set (a form that refused the
    value still runs the model's validation)."""
    return getattr(obj, field) if getattr(obj, f"{field}_id") is not None else None


def _not_in_future(value, field: str, label: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: f"{label}不能晚于今天。"})


class ResearchTopic(Record):
    """A research topic (调研课题) of the township committee, led by a leading cadre."""

    scope_path = "organisation"
    write_by = "admin"  # research records are written by the township's admins (core.scoping)

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="所属党委", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("课题名称", max_length=200)
    leader = models.ForeignKey(
        "orgs.Member", verbose_name="牵头领导", on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField("orgs.Member", verbose_name="课题组成员", blank=True, related_name="+")
    theme = models.TextField("调研方向", blank=True, help_text="调研的主题、重点和预期成果")

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[members])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "调研课题"
        verbose_name_plural = "调研课题"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"],
                condition=Q(deleted_at__isnull=True),
                name="research_topic_unique_title",
                violation_error_message="本乡党委已有同名的调研课题。",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.organisation_id:
            _committee_only(self.organisation, "organisation", "调研课题")
            check_members_within(self.organisation_id, {"leader": _set(self, "leader")}, "本乡")


class ResearchVisit(Record):
    """A research visit (调研走访) to a village, an enterprise, the health centre, a school…

    Its findings (发现问题) are lines of text; each can become an action item in one step."""

    scope_path = "organisation"
    write_by = "admin"
    accepts_attachments = True
    as_of_field = "date"  # the date a visit counts from in figures (indicators engine)

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属党委",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,
        help_text="调研课题所属的乡党委",
    )
    date = models.DateField("日期")
    topic = models.ForeignKey(
        ResearchTopic, verbose_name="调研课题", on_delete=models.PROTECT, related_name="visits"
    )
    leader = models.ForeignKey(
        "orgs.Member", verbose_name="带队领导", on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField("调研地点", max_length=100)
    place_kind = models.CharField("地点类型", max_length=4, choices=PlaceKind.choices)
    participants = models.ManyToManyField(
        "orgs.Member", verbose_name="参加人员", blank=True, related_name="+"
    )
    findings = models.TextField("发现问题", blank=True, help_text="每行一条，每条可转为干事创业清单事项")

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[participants])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "调研走访"
        verbose_name_plural = "调研走访"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date", "place"],
                condition=Q(deleted_at__isnull=True),
                name="research_visit_unique_date_place",
                violation_error_message="同一天在该调研地点已有调研走访记录。",
            )
        ]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{cn_date(self.date)} {self.place}"

    @property
    def finding_lines(self) -> list[str]:
        return [line.strip() for line in self.findings.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        self.findings = "\n".join(self.finding_lines)
        _not_in_future(self.date, "date", "调研日期")
        if self.topic_id:
            if self.topic.is_deleted:
                raise ValidationError({"topic": f"调研课题“{self.topic}”已删除，请先在回收站中恢复该课题。"})
            self.organisation_id = self.topic.organisation_id
        if self.organisation_id:
            check_members_within(self.organisation_id, {"leader": _set(self, "leader")}, "本乡")


class ActionItem(DeadlineStateMixin, Record):
    """An action item (干事创业清单): a concrete task that came out of research, with an owner, a deadline and
    a status. Due and overdue are derived (core.deadlines), never stored."""

    no_deadline_label = "无时限"
    scope_path = "organisation"
    write_by = "admin"
    deadline_field = "deadline"
    DONE_STATUSES = (ActionStatus.DONE,)
    as_of_field = "raised_on"  # collected from its 提出日期; done ones count from completed_on

    township = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属乡党委",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,
    )
    serial = models.PositiveIntegerField("序号", blank=True, help_text="本乡内的编号；留空则自动编号")
    content = models.TextField("事项")
    source_topic = models.ForeignKey(
        ResearchTopic,
        verbose_name="来源调研课题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    source_visit = models.ForeignKey(
        ResearchVisit,
        verbose_name="来源调研走访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    leader = models.ForeignKey(
        "orgs.Member",
        verbose_name="责任领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="负责的组织；责任单位不是党组织时选乡党委，并在下面填写单位名称",
    )
    unit = models.CharField(
        "责任单位名称", max_length=100, blank=True, help_text="责任单位不是党组织时填写，如“乡农业服务中心”"
    )
    raised_on = models.DateField("提出日期", null=True, blank=True, help_text="收集到该事项的日期")
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=4, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField("完成时间", null=True, blank=True)
    result = models.TextField("完成情况", blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers(ActionItemQuerySet)

    class Meta:
        verbose_name = "干事创业清单事项"
        verbose_name_plural = "干事创业清单"
        ordering = ["township_id", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "serial"],
                condition=Q(deleted_at__isnull=True),
                name="action_item_unique_serial",
                violation_error_message="本乡干事创业清单中已有该序号。",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | Q(completed_on__isnull=False),
                name="action_item_done_has_date",
                violation_error_message="状态为“已完成”时，请填写完成时间。",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "status", "deadline"]),
            models.Index(fields=["organisation", "status", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"第{self.serial}条 {self.content[:30]}"

    @property
    def unit_display(self) -> str:
        return self.unit or (self.organisation.name if self.organisation_id else "")

    def clean(self) -> None:
        super().clean()
        if self.organisation_id:
            township = self.organisation.township()
            if township is None:
                raise ValidationError({"organisation": "责任单位应为乡党委或其下级组织。"})
            self.township = township
        _check_progress(self, "事项")
        if self.raised_on and self.deadline and self.deadline < self.raised_on:
            raise ValidationError({"deadline": "完成时限不能早于提出日期。"})
        if not self.township_id:
            return
        if self.source_visit_id:
            if self.source_visit.organisation_id != self.township_id:
                raise ValidationError({"source_visit": "来源调研走访不是本乡的记录。"})
            if not self.source_topic_id:
                self.source_topic_id = self.source_visit.topic_id
        if self.raised_on is None and self._state.adding:
            # Collected on the visit it came from, or today; never after its own deadline (a late entry).
            collected = self.source_visit.date if self.source_visit_id else today()
            self.raised_on = min(collected, self.deadline) if self.deadline else collected
        if self.source_topic_id and self.source_topic.organisation_id != self.township_id:
            raise ValidationError({"source_topic": f"调研课题“{self.source_topic}”不是本乡的课题。"})
        check_members_within(self.township_id, {"leader": self.leader}, "本乡")
        if self.serial is None:
            self.serial = next_serial(ActionItem, self.township_id)


def _check_progress(obj, what: str) -> None:
    """Status and completion date agree: done ⇔ a completion date, which is not in the future."""
    if obj.status == ActionStatus.DONE and not obj.completed_on:
        raise ValidationError({"completed_on": "状态为“已完成”时，请填写完成时间。"})
    if obj.completed_on and obj.status != ActionStatus.DONE:
        raise ValidationError(
            {"completed_on": f"{what}尚未完成，不应填写完成时间；已完成请将状态改为“已完成”。"}
        )
    _not_in_future(obj.completed_on, "completed_on", "完成时间")


def next_serial(model, township_id: int) -> int:
    """The next 序号 of a township (deleted records keep theirs, so a number is never given twice)."""
    top = model.all_objects.filter(township_id=township_id).aggregate(n=Max("serial"))["n"]
    return (top or 0) + 1


class Enterprise(Record):
    """An enterprise of the township's register (企业名录), with the cadre who visits it every month."""

    scope_path = "organisation"
    write_by = "admin"

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="所属党委", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("企业名称", max_length=100)
    industry = models.CharField("行业", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_key = models.BooleanField("重点企业", default=False)
    liaison = models.ForeignKey(
        "orgs.Member",
        verbose_name="联系干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="按每月走访企业制度负责走访该企业的干部",
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业名录"
        ordering = ["organisation_id", "-is_key", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(deleted_at__isnull=True),
                name="enterprise_unique_name",
                violation_error_message="本乡企业名录中已有同名企业。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        if self.organisation_id:
            _committee_only(self.organisation, "organisation", "企业")
            check_members_within(self.organisation_id, {"liaison": self.liaison}, "本乡")


class EnterpriseVisit(Record):
    """A cadre's visit to an enterprise (走访企业); the issues raised are EnterpriseIssue rows."""

    scope_path = "organisation"
    write_by = "admin"
    as_of_field = "date"

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属党委",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,
        help_text="企业所属的乡党委",
    )
    date = models.DateField("日期")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="visits"
    )
    cadre = models.ForeignKey(
        "orgs.Member", verbose_name="走访干部", on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField("走访情况", blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "走访企业"
        verbose_name_plural = "走访企业"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "date", "cadre"],
                condition=Q(deleted_at__isnull=True),
                name="enterprise_visit_unique",
                violation_error_message="该干部当天已登记过对该企业的走访。",
            )
        ]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{cn_date(self.date)} {self.cadre} 走访 {self.enterprise}"

    def clean(self) -> None:
        super().clean()
        _not_in_future(self.date, "date", "走访日期")
        if self.enterprise_id:
            if self.enterprise.is_deleted:
                raise ValidationError({"enterprise": f"企业“{self.enterprise}”已从名录中删除。"})
            self.organisation_id = self.enterprise.organisation_id
        if self.organisation_id:
            check_members_within(self.organisation_id, {"cadre": _set(self, "cadre")}, "本乡")


class EnterpriseIssue(Record):
    """An issue an enterprise raised during a visit, how it was handled, and whether it is resolved."""

    scope_path = "visit__organisation"
    write_by = "admin"
    as_of_field = "visit__date"

    visit = models.ForeignKey(
        EnterpriseVisit, verbose_name="走访", on_delete=models.PROTECT, related_name="issues"
    )
    content = models.TextField("企业反映问题")
    handling = models.TextField("解决情况", blank=True)
    resolved = models.BooleanField("是否解决", default=False)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "企业反映问题"
        verbose_name_plural = "企业反映问题"
        ordering = ["visit_id", "pk"]
        indexes = [models.Index(fields=["visit", "resolved"])]

    def __str__(self) -> str:
        return self.content[:40]

    def clean(self) -> None:
        super().clean()
        self.content = self.content.strip()
        if self.resolved and not self.handling.strip():
            raise ValidationError({"handling": "已解决的问题，请填写解决情况。"})


def name_the_fields(*record_models) -> None:
    """Validation messages that name the field (请填写调研地点。), for writes that do not come from a form
    (services called directly, imports). Set on the field instances, so migrations do not see them."""
    for model in record_models:
        for f in model._meta.fields:
            label = f.verbose_name
            f.error_messages = {
                **f.error_messages,
                "blank": f"请填写{label}。",
                "null": f"请填写{label}。",
                "invalid_choice": f"{label}的值“%(value)s”不在可选范围内。",
            }


name_the_fields(ResearchTopic, ResearchVisit, ActionItem, Enterprise, EnterpriseVisit, EnterpriseIssue)
