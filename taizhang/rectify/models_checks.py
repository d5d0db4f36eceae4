"""Health checks (党建工作体检) of the organisations below a committee, and the remedy (软弱涣散党组织整顿) of an
organisation a check graded 软弱涣散, with its progress log."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from taizhang.core.deadlines import DeadlineQuerySetMixin
from taizhang.core.fields import record_history, ref
from taizhang.core.models import Record, RecordQuerySet, record_managers
from taizhang.core.scoping import subtree_ids

from .choices import Grade, RemedyStatus
from .models_base import (
    BELOW_COMMITTEE,
    DeadlineBadges,
    LogEntry,
    Rules,
    badge_of,
    campaign_field,
    check_in_township,
    cn,
    committee_of,
    member_field,
    not_future,
    required,
)


class HealthCheck(Rules, Record):
    """A health check (党建工作体检) of one organisation below the committee, with its grade."""

    scope_path = "organisation"
    write_by = "admin"  # the township checks its organisations (core.scoping)
    as_of_field = "checked_on"

    campaign = campaign_field()
    organisation = ref("orgs.Organisation", "受检组织", related_name="health_checks")
    checked_on = models.DateField("体检日期", error_messages=required("体检日期"))
    grade = models.CharField("等次", max_length=8, choices=Grade.choices, blank=True)
    grade_badge = badge_of("grade")
    findings = models.TextField("发现问题", blank=True)
    checkers = models.ManyToManyField("orgs.Member", verbose_name="检查人", blank=True, related_name="+")

    history = record_history(m2m_fields=[checkers])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = verbose_name_plural = "党建工作体检"
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.organisation.name} {cn(self.checked_on)}"

    def get_absolute_url(self) -> str:
        return reverse("rectify:check_detail", args=[self.pk])

    def check_rules(self, errors: dict[str, str]) -> None:
        if self.organisation_id and self.organisation.kind not in BELOW_COMMITTEE:
            errors["organisation"] = (
                f"党建工作体检的对象是乡党委以下的党组织，而“{self.organisation}”是{self.organisation.get_kind_display()}。"
            )
        not_future(errors, "checked_on", self.checked_on, "体检日期")


class RemedyQuerySet(DeadlineQuerySetMixin, RecordQuerySet):
    pass


class Remedy(DeadlineBadges, Rules, Record):
    """The remedy (软弱涣散党组织整顿) of an organisation a health check graded 软弱涣散: its own plan (一村一策),
    a leadership member assigned (包联), a first secretary, a time limit, progress, and acceptance (验收),
    which closes it and re-grades the organisation with a new health check."""

    scope_path = "organisation"
    accepts_attachments = True
    DONE_STATUSES = (RemedyStatus.ACCEPTED,)
    deadline_field = "deadline"

    campaign = campaign_field()
    organisation = ref("orgs.Organisation", "整顿组织", related_name="remedies")
    health_check = ref(HealthCheck, "体检", related_name="remedies")
    plan = models.TextField("整顿方案（一村一策）", error_messages=required("整顿方案"))
    leader = member_field("包联领导")
    first_secretary = models.CharField("第一书记", max_length=100, blank=True, help_text="姓名及派出单位")
    started_on = models.DateField("开始日期", error_messages=required("开始日期"))
    deadline = models.DateField("整顿时限", error_messages=required("整顿时限"))
    status = models.CharField("状态", max_length=8, choices=RemedyStatus.choices, default=RemedyStatus.ACTIVE)
    status_badge = badge_of("status")
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    acceptance_note = models.TextField("验收意见", blank=True)
    acceptance_check = models.OneToOneField(
        HealthCheck,
        verbose_name="验收定级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accepted_remedy",
    )

    history = record_history()
    objects, all_objects = record_managers(RemedyQuerySet)

    class Meta:
        verbose_name = verbose_name_plural = "软弱涣散党组织整顿"
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(deleted_at__isnull=True, status=RemedyStatus.ACTIVE),
                name="rectify_one_active_remedy",
                violation_error_message="该组织已有正在进行的整顿。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}整顿"

    def get_absolute_url(self) -> str:
        return reverse("rectify:remedy_detail", args=[self.pk])

    def check_rules(self, errors: dict[str, str]) -> None:
        check = self.health_check if self.health_check_id else None
        if check is not None:
            if check.grade != Grade.WEAK:
                errors["health_check"] = (
                    f"只有体检等次为“软弱涣散”的组织才进行整顿，该次体检等次为“{check.grade}”。"
                )
            if self.organisation_id and check.organisation_id != self.organisation_id:
                errors["organisation"] = "整顿组织应为该次体检的受检组织。"
            if self.started_on and self.started_on < check.checked_on:
                errors["started_on"] = f"开始日期不能早于体检日期（{cn(check.checked_on)}）。"
        if self.started_on and self.deadline and self.deadline < self.started_on:
            errors["deadline"] = f"整顿时限不能早于开始日期（{cn(self.started_on)}）。"
        if self.organisation_id and self.leader_id:
            township = committee_of(self.organisation)
            if township is not None:
                check_in_township(errors, subtree_ids(township.pk), "leader", self.leader, "包联领导")
        if self.status == RemedyStatus.ACCEPTED:
            if not self.accepted_on:
                errors["accepted_on"] = "请填写验收日期。"
            elif self.accepted_on < self.started_on:
                errors["accepted_on"] = f"验收日期不能早于开始日期（{cn(self.started_on)}）。"
            if not self.acceptance_note.strip():
                errors["acceptance_note"] = "请填写验收意见。"
            not_future(errors, "accepted_on", self.accepted_on, "验收日期")


class RemedyEntry(LogEntry):
    """A progress entry of a remedy (dated text with photos)."""

    scope_path = "remedy__organisation"

    remedy = ref(Remedy, "整顿", related_name="entries")
    text = models.TextField("进展情况", error_messages=required("进展情况"))

    class Meta(LogEntry.Meta):
        verbose_name = verbose_name_plural = "整顿进展"

    def __str__(self) -> str:
        return f"{cn(self.on)} 整顿进展"

    def starts(self):
        return (self.remedy.started_on if self.remedy_id else None), "整顿开始日期"
