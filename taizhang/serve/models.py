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
from django.db.models import Q

from taizhang.core import checks
from taizhang.core.checks import name_the_fields, not_in_future
from taizhang.core.dates import cn_date
from taizhang.core.fields import alive_unique, record_history, ref
from taizhang.core.items import (
    TownshipItem,
    item_indexes,
    item_rules,
    next_serial,  # noqa: F401  (importable from here as before)
)
from taizhang.core.models import Record, record_managers

from .choices import PostKind, PublicityKind, ServiceClass


def check_members_within(root, members: dict[str, object]) -> None:
    """Each named member must belong to the organisation `root` or below it (the message names `root`).

    members: field name → a Member, or a list of Members (for a many-to-many field)."""
    if root is not None:
        checks.check_members_within(root.pk, members, f"“{root}”")


def _township_of(obj, field: str = "organisation"):
    org = getattr(obj, field)
    township = org.township()
    if township is None:
        raise ValidationError({field: f"“{org}”不属于任何乡党委，请选择乡党委或其下级组织。"})
    return township


class ServiceProject(TownshipItem):
    """A practical thing done for the people (为民办实事), with its owner, planned date, status and result
    (core.items)."""

    no_deadline_label = "无计划时间"
    as_of_field = "completed_on"  # figures count done projects from their completion date
    accepts_attachments = True
    deadline_field = "planned_on"

    name = models.CharField("项目名称", max_length=200)
    category = models.CharField(
        "类别", max_length=30, blank=True, help_text="如：基础设施、产业发展、民生保障"
    )
    handling = models.CharField("办理方式", max_length=4, choices=ServiceClass.choices, blank=True)
    organisation = ref(
        "orgs.Organisation",
        "责任单位",
        help_text="负责的党组织；责任单位不是党组织时选乡党委，并在下面填写单位名称",
    )
    planned_on = models.DateField("计划完成时间", null=True, blank=True)
    result = models.TextField("成效", blank=True)

    history = record_history()

    class Meta(TownshipItem.Meta):
        verbose_name = "为民办实事"
        verbose_name_plural = "为民办实事"
        constraints = item_rules("service_project", "为民办实事")
        indexes = item_indexes("planned_on")

    def __str__(self) -> str:
        return f"第{self.serial}件 {self.name}"

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        self.check_progress("项目")
        if not self.organisation_id:
            return
        self.township = _township_of(self)
        check_members_within(self.township, {"leader": self.leader})
        self.number()


class Partnership(Record):
    """A pairing (结对共建) of one of the township's organisations with an outside unit."""

    scope_path = "organisation"

    partner = models.CharField("共建单位", max_length=100, help_text="如“市商务局”“XX电子商务有限公司”")
    organisation = ref("orgs.Organisation", "本方组织")
    signed_on = models.DateField("签订日期", null=True, blank=True)
    content = models.TextField("共建内容", blank=True)

    history = record_history()
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "结对共建"
        verbose_name_plural = "结对共建"
        ordering = ["organisation_id", "partner", "pk"]
        constraints = [
            alive_unique(
                "organisation",
                "partner",
                name="partnership_unique_partner",
                message="本方组织已与该单位结对共建。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.partner}" if self.organisation_id else self.partner

    def clean(self) -> None:
        super().clean()
        self.partner = self.partner.strip()
        not_in_future(self.signed_on, "signed_on", "签订日期")
        if self.organisation_id:
            _township_of(self)


class JointActivity(Record):
    """An activity held together with the partner unit (e.g. a theme party day)."""

    scope_path = "partnership__organisation"
    as_of_field = "date"
    accepts_attachments = True

    partnership = ref(Partnership, "结对共建", related_name="activities")
    date = models.DateField("日期")
    title = models.CharField("活动名称", max_length=200)
    place = models.CharField("地点", max_length=100, blank=True)
    participant_count = models.PositiveIntegerField("参加人数", null=True, blank=True)
    content = models.TextField("活动内容", blank=True)

    history = record_history()
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "共建活动"
        verbose_name_plural = "共建活动"
        ordering = ["-date", "-pk"]
        constraints = [
            alive_unique(
                "partnership",
                "date",
                "title",
                name="joint_activity_unique",
                message="同一天已登记过同名的共建活动。",
            )
        ]

    def __str__(self) -> str:
        return f"{cn_date(self.date)} {self.title}"

    def clean(self) -> None:
        super().clean()
        not_in_future(self.date, "date", "活动日期")
        if self.partnership_id and self.partnership.is_deleted:
            raise ValidationError({"partnership": f"结对共建“{self.partnership}”已删除。"})


class VanguardPost(Record):
    """A vanguard post, responsibility zone or shock team of party members (党员先锋岗/责任区/突击队)."""

    scope_path = "organisation"
    as_of_field = "set_up_on"

    kind = models.CharField("类型", max_length=6, choices=PostKind.choices)
    name = models.CharField("名称", max_length=100)
    organisation = ref("orgs.Organisation", "所属组织")
    members = models.ManyToManyField("orgs.Member", verbose_name="成员", blank=True, related_name="+")
    duty = models.TextField("职责", blank=True)
    set_up_on = models.DateField("设立日期", null=True, blank=True)

    history = record_history(m2m_fields=[members])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "党员先锋岗"
        verbose_name_plural = "党员先锋岗、责任区、突击队"
        ordering = ["kind", "organisation_id", "name", "pk"]
        constraints = [
            alive_unique(
                "organisation",
                "kind",
                "name",
                name="vanguard_post_unique_name",
                message="本组织已有同类型同名的岗位（责任区、突击队）。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.kind}）"

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        not_in_future(self.set_up_on, "set_up_on", "设立日期")
        if self.organisation_id:
            _township_of(self)


class PublicityItem(Record):
    """A publicity item (宣传): a billboard, banners or slogans, an official-account post, a screen…, with a
    quantity. publicity.billboards and publicity.banners are sums of quantities."""

    scope_path = "organisation"
    as_of_field = "date"
    accepts_attachments = True

    township = ref("orgs.Organisation", "所属乡党委", editable=False, blank=True)
    date = models.DateField("日期")
    organisation = ref("orgs.Organisation", "组织")
    kind = models.CharField("类型", max_length=6, choices=PublicityKind.choices)
    quantity = models.PositiveIntegerField(
        "数量", default=1, validators=[MinValueValidator(1, "数量至少为1。")]
    )
    content = models.CharField("内容或位置", max_length=200, help_text="标语内容、推文标题或设置位置")

    history = record_history()
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "宣传"
        verbose_name_plural = "宣传"
        ordering = ["-date", "-pk"]
        constraints = [
            alive_unique(
                "township",
                "date",
                "kind",
                "content",
                name="publicity_item_unique",
                message="本乡同一天已登记过同类型、同内容（位置）的宣传。",
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
        not_in_future(self.date, "date", "日期")
        if self.organisation_id:
            self.township = _township_of(self)


name_the_fields(ServiceProject, Partnership, JointActivity, VanguardPost, PublicityItem)
