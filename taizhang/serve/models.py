"""Build and serve (建) and publicity (谋): service projects for the people, partnerships with outside
units and their joint activities, vanguard posts, and publicity items.

Every record belongs to one organisation of a township: a branch secretary records his own branch's.
Service projects and publicity items carry their township too, so that their natural keys (序号; date,
kind and place) are unique within the township whichever of its organisations owns them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Max, Q
from simple_history.models import HistoricalRecords

from taizhang.core.dates import cn_date
from taizhang.core.deadlines import DeadlineQuerySetMixin, DeadlineStateMixin, today
from taizhang.core.models import Record, RecordQuerySet, record_managers
from taizhang.core.scoping import subtree_ids

from .choices import PostKind, ProjectStatus, PublicityKind, ServiceClass

HISTORY_EXCLUDED = ["created_at", "updated_at"]


class ServiceProjectQuerySet(DeadlineQuerySetMixin, RecordQuerySet):
    pass


def check_members_within(root, members: dict[str, object]) -> None:
    """Each named member must belong to the organisation `root` or below it (one query for all).

    members: field name → a Member, or a list of Members (for a many-to-many field)."""
    people = [
        (field, m)
        for field, value in members.items()
        for m in (value if isinstance(value, list | tuple) else [value])
        if m is not None
    ]
    if not people or root is None:
        return
    inside = subtree_ids(root.pk)
    errors: dict[str, list[str]] = {}
    for field, member in people:
        if member.organisation_id not in inside:
            errors.setdefault(field, []).append(f"{member.name}不是“{root}”的党员。")
    if errors:
        raise ValidationError(errors)


def _not_in_future(value, field: str, label: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: f"{label}不能晚于今天。"})


def _township_of(obj, field: str = "organisation"):
    org = getattr(obj, field)
    township = org.township()
    if township is None:
        raise ValidationError({field: f"“{org}”不属于任何乡党委，请选择乡党委或其下级组织。"})
    return township


def next_serial(model, township_id: int) -> int:
    """The next 序号 of a township (deleted records keep theirs, so a number is never given twice)."""
    top = model.all_objects.filter(township_id=township_id).aggregate(n=Max("serial"))["n"]
    return (top or 0) + 1


class ServiceProject(DeadlineStateMixin, Record):
    """A practical thing done for the people (为民办实事), with its owner, planned date, status and result.
    Due and overdue are derived from the planned date (core.deadlines), never stored."""

    no_deadline_label = "无计划时间"
    scope_path = "organisation"
    as_of_field = "completed_on"  # figures count done projects from their completion date
    accepts_attachments = True
    deadline_field = "planned_on"
    DONE_STATUSES = (ProjectStatus.DONE,)

    township = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属乡党委",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,
    )
    serial = models.PositiveIntegerField("序号", blank=True, help_text="本乡内的编号；留空则自动编号")
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField(
        "类别", max_length=30, blank=True, help_text="如：基础设施、产业发展、民生保障"
    )
    handling = models.CharField("办理方式", max_length=4, choices=ServiceClass.choices, blank=True)
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
        help_text="负责的党组织；责任单位不是党组织时选乡党委，并在下面填写单位名称",
    )
    unit = models.CharField(
        "责任单位名称", max_length=100, blank=True, help_text="责任单位不是党组织时填写，如“乡农业服务中心”"
    )
    planned_on = models.DateField("计划完成时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=4, choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED
    )
    completed_on = models.DateField("完成时间", null=True, blank=True)
    result = models.TextField("成效", blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers(ServiceProjectQuerySet)

    class Meta:
        verbose_name = "为民办实事"
        verbose_name_plural = "为民办实事"
        ordering = ["township_id", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "serial"],
                condition=Q(deleted_at__isnull=True),
                name="service_project_unique_serial",
                violation_error_message="本乡为民办实事中已有该序号。",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.DONE) | Q(completed_on__isnull=False),
                name="service_project_done_has_date",
                violation_error_message="状态为“已完成”时，请填写完成时间。",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "status", "planned_on"]),
            models.Index(fields=["organisation", "status", "planned_on"]),
        ]

    def __str__(self) -> str:
        return f"第{self.serial}件 {self.name}"

    @property
    def unit_display(self) -> str:
        return self.unit or (self.organisation.name if self.organisation_id else "")

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        if self.status == ProjectStatus.DONE and not self.completed_on:
            raise ValidationError({"completed_on": "状态为“已完成”时，请填写完成时间。"})
        if self.completed_on and self.status != ProjectStatus.DONE:
            raise ValidationError(
                {"completed_on": "项目尚未完成，不应填写完成时间；已完成请将状态改为“已完成”。"}
            )
        _not_in_future(self.completed_on, "completed_on", "完成时间")
        if not self.organisation_id:
            return
        self.township = _township_of(self)
        check_members_within(self.township, {"leader": self.leader})
        if self.serial is None:
            self.serial = next_serial(ServiceProject, self.township.pk)


class Partnership(Record):
    """A pairing (结对共建) of one of the township's organisations with an outside unit."""

    scope_path = "organisation"

    partner = models.CharField("共建单位", max_length=100, help_text="如“市商务局”“XX电子商务有限公司”")
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="本方组织", on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField("签订日期", null=True, blank=True)
    content = models.TextField("共建内容", blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "结对共建"
        verbose_name_plural = "结对共建"
        ordering = ["organisation_id", "partner", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partner"],
                condition=Q(deleted_at__isnull=True),
                name="partnership_unique_partner",
                violation_error_message="本方组织已与该单位结对共建。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.partner}" if self.organisation_id else self.partner

    def clean(self) -> None:
        super().clean()
        self.partner = self.partner.strip()
        _not_in_future(self.signed_on, "signed_on", "签订日期")
        if self.organisation_id:
            _township_of(self)


class JointActivity(Record):
    """An activity held together with the partner unit (e.g. a theme party day)."""

    scope_path = "partnership__organisation"
    as_of_field = "date"
    accepts_attachments = True

    partnership = models.ForeignKey(
        Partnership, verbose_name="结对共建", on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField("日期")
    title = models.CharField("活动名称", max_length=200)
    place = models.CharField("地点", max_length=100, blank=True)
    participant_count = models.PositiveIntegerField("参加人数", null=True, blank=True)
    content = models.TextField("活动内容", blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "共建活动"
        verbose_name_plural = "共建活动"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "date", "title"],
                condition=Q(deleted_at__isnull=True),
                name="joint_activity_unique",
                violation_error_message="同一天已登记过同名的共建活动。",
            )
        ]

    def __str__(self) -> str:
        return f"{cn_date(self.date)} {self.title}"

    def clean(self) -> None:
        super().clean()
        _not_in_future(self.date, "date", "活动日期")
        if self.partnership_id and self.partnership.is_deleted:
            raise ValidationError({"partnership": f"结对共建“{self.partnership}”已删除。"})


class VanguardPost(Record):
    """A vanguard post, responsibility zone or shock team of party members (党员先锋岗/责任区/突击队)."""

    scope_path = "organisation"
    as_of_field = "set_up_on"

    kind = models.CharField("类型", max_length=6, choices=PostKind.choices)
    name = models.CharField("名称", max_length=100)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="所属组织", on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField("orgs.Member", verbose_name="成员", blank=True, related_name="+")
    duty = models.TextField("职责", blank=True)
    set_up_on = models.DateField("设立日期", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[members])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "党员先锋岗"
        verbose_name_plural = "党员先锋岗、责任区、突击队"
        ordering = ["kind", "organisation_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "name"],
                condition=Q(deleted_at__isnull=True),
                name="vanguard_post_unique_name",
                violation_error_message="本组织已有同类型同名的岗位（责任区、突击队）。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.kind}）"

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        _not_in_future(self.set_up_on, "set_up_on", "设立日期")
        if self.organisation_id:
            _township_of(self)


class PublicityItem(Record):
    """A publicity item (宣传): a billboard, banners or slogans, an official-account post, a screen…, with a
    quantity. publicity.billboards and publicity.banners are sums of quantities."""

    scope_path = "organisation"
    as_of_field = "date"
    accepts_attachments = True

    township = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属乡党委",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,
    )
    date = models.DateField("日期")
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="组织", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=6, choices=PublicityKind.choices)
    quantity = models.PositiveIntegerField(
        "数量", default=1, validators=[MinValueValidator(1, "数量至少为1。")]
    )
    content = models.CharField("内容或位置", max_length=200, help_text="标语内容、推文标题或设置位置")

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "宣传"
        verbose_name_plural = "宣传"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "date", "kind", "content"],
                condition=Q(deleted_at__isnull=True),
                name="publicity_item_unique",
                violation_error_message="本乡同一天已登记过同类型、同内容（位置）的宣传。",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="publicity_quantity_positive",
                violation_error_message="数量至少为1。",
            ),
        ]
        indexes = [models.Index(fields=["township", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.content}"

    def clean(self) -> None:
        super().clean()
        self.content = self.content.strip()
        _not_in_future(self.date, "date", "日期")
        if self.organisation_id:
            self.township = _township_of(self)


def name_the_fields(*record_models) -> None:
    """Validation messages that name the field (请填写项目名称。), for writes that do not come from a form
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


name_the_fields(ServiceProject, Partnership, JointActivity, VanguardPost, PublicityItem)
