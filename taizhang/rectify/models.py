"""Rectification (改): problems and their measures to closing, talks, health checks and weak-organisation
remedies.

Every problem has an owner organisation (for the committee's leadership, 班子 or one 班子成员, it is the
committee itself), through which it is scoped; its measures, their progress log and their evidence follow
it. Talks belong to the committee, so a branch secretary's scope does not reach them. What is derived is
never stored: a problem's state comes from its measures, "overdue" from a deadline and today's date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from taizhang.core.dates import cn_date
from taizhang.core.deadlines import WARNING_LABELS, DeadlineQuerySetMixin, deadline_state
from taizhang.core.models import Record, RecordQuerySet, record_managers
from taizhang.core.scoping import ScopedQuerySet, subtree_ids
from taizhang.orgs.choices import OrgKind

from .choices import (
    BADGES,
    LEADERSHIP_KINDS,
    MEASURE_DONE,
    MEASURE_OPEN,
    EntryKind,
    Grade,
    MeasureStatus,
    OwnerKind,
    ProblemCategory,
    ProblemSource,
    ProblemState,
    RemedyStatus,
    TalkType,
)

BELOW_COMMITTEE = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def required(label: str) -> dict:
    """Error messages of a required field that name it (Django's own say only 此字段不能为空)."""
    return {"blank": f"请填写{label}。", "null": f"请填写{label}。", "required": f"请填写{label}。"}


def chosen(label: str) -> dict:
    return {"blank": f"请选择{label}。", "null": f"请选择{label}。", "required": f"请选择{label}。"}


cn = cn_date


def committee_of(org):
    """The township committee an organisation belongs to (itself for a committee), or None."""
    if org is None:
        return None
    return org if org.kind == OrgKind.COMMITTEE else org.township()


def _check_in_township(errors: dict, township_ids, field: str, member, label: str) -> None:
    if member is not None and member.organisation_id not in township_ids:
        errors[field] = f"{label}“{member.name}”不是本乡党员。"


def _not_future(errors: dict, field: str, value, label: str) -> None:
    if value is not None and value > timezone.localdate():
        errors[field] = f"{label}不能晚于今天。"


# Problems and measures ---------------------------------------------------------------------------------


class ProblemQuerySet(RecordQuerySet):
    def leadership(self):
        return self.filter(owner_kind__in=LEADERSHIP_KINDS)

    def grassroots(self):
        return self.filter(owner_kind=OwnerKind.ORGANISATION)

    def with_state(self):
        """Annotate the live measures and the open ones, from which `state` is derived."""
        alive = Q(measures__deleted_at__isnull=True)
        return self.annotate(
            n_measures=Count("measures", filter=alive),
            n_open=Count("measures", filter=alive & Q(measures__status__in=MEASURE_OPEN)),
        )

    def in_state(self, state: str):
        qs = self.with_state()
        if state == ProblemState.NO_MEASURES:
            return qs.filter(n_measures=0)
        if state == ProblemState.OPEN:
            return qs.filter(n_open__gt=0)
        if state == ProblemState.CLOSED:
            return qs.filter(n_measures__gt=0, n_open=0)
        return qs


class Problem(Record):
    """A problem of the 问题清单, numbered (序号) within its township and campaign."""

    scope_path = "owner_org"
    as_of_field = "found_on"

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="主题教育", on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="乡党委",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,  # derived from the owner organisation in clean()
    )
    number = models.PositiveIntegerField("序号")
    owner_kind = models.CharField("责任主体类型", max_length=8, choices=OwnerKind.choices)
    owner_org = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="责任组织",
        on_delete=models.PROTECT,
        related_name="rectify_problems",
    )
    owner_member = models.ForeignKey(
        "orgs.Member",
        verbose_name="班子成员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField("问题描述", error_messages=required("问题描述"))
    # Category, source and the measure's deadline may be blank in a paper ledger (only 序号, 责任主体 and
    # 问题描述 are required there); the pages ask for them.
    category = models.CharField("问题类别", max_length=8, choices=ProblemCategory.choices, blank=True)
    source = models.CharField("问题来源", max_length=8, choices=ProblemSource.choices, blank=True)
    standard = models.TextField("整改标准", blank=True)
    found_on = models.DateField("发现日期", error_messages=required("发现日期"))
    is_special = models.BooleanField(
        "专项整改", default=False, help_text="由乡党委书记牵头、班子成员认领措施的专项整改问题"
    )
    lead = models.ForeignKey(
        "orgs.Member",
        verbose_name="牵头领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects, all_objects = record_managers(ProblemQuerySet)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["township_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "campaign", "number"],
                condition=Q(deleted_at__isnull=True),
                name="rectify_problem_unique_number",
                violation_error_message="同一乡镇同一主题教育中，问题序号不能重复。",
            ),
        ]
        indexes = [models.Index(fields=["owner_org", "campaign"])]

    def __str__(self) -> str:
        text = self.content if len(self.content) <= 20 else self.content[:20] + "…"
        return f"{self.number}. {text}"

    def get_absolute_url(self) -> str:
        return reverse("rectify:problem_detail", args=[self.pk])

    @property
    def owner_label(self) -> str:
        """责任主体 as the ledger writes it: 班子, 班子成员：姓名, or the organisation's name."""
        if self.owner_kind == OwnerKind.LEADERSHIP:
            return "班子"
        if self.owner_kind == OwnerKind.LEADER:
            return f"班子成员：{self.owner_member.name}" if self.owner_member_id else "班子成员"
        return self.owner_org.name

    @property
    def is_leadership(self) -> bool:
        return self.owner_kind in LEADERSHIP_KINDS

    @property
    def state(self) -> str:
        """未制定措施 / 整改中 / 已销号, from the annotations of ProblemQuerySet.with_state()."""
        if not hasattr(self, "n_measures"):
            measures = [m for m in self.measures.all() if not m.is_deleted]
            self.n_measures = len(measures)
            self.n_open = sum(1 for m in measures if m.status in MEASURE_OPEN)
        if self.n_measures == 0:
            return ProblemState.NO_MEASURES
        return ProblemState.OPEN if self.n_open else ProblemState.CLOSED

    @property
    def state_badge(self) -> str:
        return BADGES.get(self.state, "")

    def validate_constraints(self, exclude=None):
        # The number's uniqueness is checked in clean(), under its own field and naming the clash.
        super().validate_constraints(exclude={*(exclude or ()), "number"})

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        org = self.owner_org if self.owner_org_id else None
        township = committee_of(org)
        if org is not None:
            self._clean_owner_org(errors, org, township)
        if township is not None:
            self.township = township
        ids = subtree_ids(township.pk) if township is not None else frozenset()
        self._clean_owner_member(errors, ids)
        self._clean_special(errors)
        _check_in_township(errors, ids, "lead", self.lead, "牵头领导")
        _not_future(errors, "found_on", self.found_on, "发现日期")
        self._clean_found_on_before_measures(errors)
        self._clean_number_unique(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_owner_org(self, errors: dict, org, township) -> None:
        """The responsible organisation fits the owner kind (乡党委 for 班子/班子成员, 党总支/党支部 for
        基层党组织) and lies under a township committee."""
        if self.owner_kind in LEADERSHIP_KINDS and org.kind != OrgKind.COMMITTEE:
            errors["owner_org"] = (
                f"班子或班子成员的问题，责任组织应为乡党委，而“{org}”是{org.get_kind_display()}。"
            )
        elif self.owner_kind == OwnerKind.ORGANISATION and org.kind not in BELOW_COMMITTEE:
            errors["owner_org"] = (
                f"基层党组织的问题，责任组织应为党总支或党支部，而“{org}”是{org.get_kind_display()}。"
            )
        elif township is None:
            errors["owner_org"] = f"“{org}”不在任何乡党委之下。"

    def _clean_owner_member(self, errors: dict, township_ids) -> None:
        """The 班子成员 is given, and of the township, exactly when the owner kind is 班子成员."""
        if self.owner_kind == OwnerKind.LEADER:
            if not self.owner_member_id:
                errors["owner_member"] = "责任主体为班子成员时，请指明是哪一位班子成员。"
            else:
                _check_in_township(errors, township_ids, "owner_member", self.owner_member, "班子成员")
        elif self.owner_member_id:
            errors["owner_member"] = "只有责任主体为班子成员时才填写班子成员。"

    def _clean_special(self, errors: dict) -> None:
        """A 专项整改 problem is the 班子's, led by the township's secretary."""
        if self.is_special:
            if self.owner_kind != OwnerKind.LEADERSHIP:
                errors["is_special"] = "专项整改问题须由乡党委班子负责（责任主体为“班子”）。"
            elif not self.lead_id:
                errors["is_special"] = "专项整改问题由乡党委书记牵头，请先在组织中指定乡党委书记。"

    def _clean_found_on_before_measures(self, errors: dict) -> None:
        """The date found is not after any of the saved problem's measures' deadlines (naming the earliest)."""
        if self.pk and self.found_on:
            early = self.measures.filter(deadline__lt=self.found_on).order_by("deadline").first()
            if early is not None:
                errors["found_on"] = (
                    f"发现日期不能晚于其整改措施的整改时限：措施“{early.short}”的时限是{cn(early.deadline)}。"
                )

    def _clean_number_unique(self, errors: dict) -> None:
        """The number is not used by another problem of the same township and campaign (naming that one)."""
        if self.number is not None and self.township_id and self.campaign_id and not self.is_deleted:
            clash = (
                Problem.objects.filter(
                    township_id=self.township_id, campaign_id=self.campaign_id, number=self.number
                )
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                errors["number"] = f"序号{self.number}已被问题“{clash.content[:20]}”使用，请换一个序号。"


class MeasureQuerySet(DeadlineQuerySetMixin, RecordQuerySet):
    def of_member(self, member):
        """Measures a member is responsible for, as leader or as the person doing it."""
        if member is None:
            return self.none()
        return self.filter(Q(responsible_leader=member) | Q(responsible_person=member))


class Measure(Record):
    """A rectification measure (整改措施) of a problem. Its status 已完成/长期坚持 is set by its owner (page or
    ledger), with or without a 完成情况 note; 销号 is the township admin's sign-off of it, with evidence."""

    scope_path = "problem__owner_org"
    campaign_path = "problem__campaign"
    as_of_field = "problem__found_on"  # a measure counts from its problem's date found
    accepts_attachments = True  # evidence (佐证材料)
    DONE_STATUSES = MEASURE_DONE
    deadline_field = "deadline"

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="measures"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    content = models.TextField("整改措施", error_messages=required("整改措施"))
    responsible_leader = models.ForeignKey(
        "orgs.Member",
        verbose_name="责任领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_person = models.ForeignKey(
        "orgs.Member",
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    status = models.CharField(
        "整改状态", max_length=8, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    completed_on = models.DateField("完成时间", null=True, blank=True)
    completion_note = models.TextField("完成情况", blank=True)
    # 销号: a township admin's sign-off of a done measure, with evidence (services.measure_sign_off). A status
    # 已完成/长期坚持 without it is done by its owner's word, "已完成、待销号".
    signed_off_at = models.DateTimeField("销号时间", null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects, all_objects = record_managers(MeasureQuerySet)

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["problem_id", "order", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["responsible_leader"]),
            models.Index(fields=["responsible_person"]),
        ]

    def __str__(self) -> str:
        return self.short

    def get_absolute_url(self) -> str:
        return reverse("rectify:measure_detail", args=[self.pk])

    @property
    def short(self) -> str:
        return self.content if len(self.content) <= 24 else self.content[:24] + "…"

    @property
    def is_done(self) -> bool:
        """已完成 or 长期坚持 (what the figures count), signed off or not."""
        return self.status in MEASURE_DONE

    @property
    def is_signed_off(self) -> bool:
        """销号: signed off by a township admin."""
        return self.signed_off_at is not None

    @property
    def awaits_sign_off(self) -> bool:
        return self.is_done and not self.is_signed_off

    @property
    def status_label(self) -> str:
        """The status as lists show it: 已完成、待销号 while a done measure is not signed off."""
        return f"{self.status}、待销号" if self.awaits_sign_off else self.status

    @property
    def deadline_state(self) -> str:
        return deadline_state(self)

    @property
    def deadline_label(self) -> str:
        return WARNING_LABELS.get(self.deadline_state, "")

    @property
    def deadline_badge(self) -> str:
        return BADGES.get(self.deadline_state, "")

    @property
    def status_badge(self) -> str:
        return "warn" if self.awaits_sign_off else BADGES.get(self.status, "")

    @property
    def is_claimable(self) -> bool:
        """A measure of a special item that no leadership member has taken on yet."""
        return self.problem.is_special and not self.responsible_leader_id and not self.is_done

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        problem = self.problem if self.problem_id else None
        if problem is not None:
            if problem.is_deleted:
                errors["problem"] = "该问题已删除，不能再为它制定或修改整改措施。"
            if self.deadline and problem.found_on and self.deadline < problem.found_on:
                errors["deadline"] = f"整改时限不能早于问题的发现日期（{cn(problem.found_on)}）。"
            ids = subtree_ids(problem.township_id)
            _check_in_township(errors, ids, "responsible_leader", self.responsible_leader, "责任领导")
            _check_in_township(errors, ids, "responsible_person", self.responsible_person, "责任人")
        if self.status in MEASURE_DONE:  # 完成情况 may be blank (ledgers.md); the sign-off asks for it
            if not self.completed_on:
                errors["completed_on"] = "已完成、长期坚持的措施须填写完成时间。"
            elif problem is not None and problem.found_on and self.completed_on < problem.found_on:
                errors["completed_on"] = f"完成时间不能早于问题的发现日期（{cn(problem.found_on)}）。"
            _not_future(errors, "completed_on", self.completed_on, "完成时间")
        if errors:
            raise ValidationError(errors)


class ProgressEntry(Record):
    """An entry of a measure's progress log: dated text with photos; closing and its undoing are entries
    too, so that the log is the measure's whole story (an undone closing keeps its reason here)."""

    scope_path = "measure__problem__owner_org"
    accepts_attachments = True

    measure = models.ForeignKey(
        Measure, verbose_name="整改措施", on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField("类型", max_length=8, choices=EntryKind.choices, default=EntryKind.PROGRESS)
    on = models.DateField("日期", error_messages=required("日期"))
    text = models.TextField("内容", error_messages=required("内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{cn(self.on)} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.text and not self.text.strip():
            errors["text"] = "请填写内容。"
        _not_future(errors, "on", self.on, "日期")
        if self.on and self.measure_id and self.on < self.measure.problem.found_on:
            errors["on"] = f"日期不能早于问题的发现日期（{cn(self.measure.problem.found_on)}）。"
        if errors:
            raise ValidationError(errors)


# Talks -------------------------------------------------------------------------------------------------


class TalkPersonManager(models.Manager.from_queryset(ScopedQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(talk__deleted_at__isnull=True)


class TalkPerson(models.Model):
    """One person talked to in one talk: one person-time (人次). Those of a deleted talk do not count."""

    scope_path = "talk__organisation"
    campaign_path = "talk__campaign"
    as_of_field = "talk__on"

    talk = models.ForeignKey(
        "rectify.Talk", verbose_name="谈话", on_delete=models.CASCADE, related_name="talked_to"
    )
    member = models.ForeignKey(
        "orgs.Member", verbose_name="谈话对象", on_delete=models.PROTECT, related_name="+"
    )

    objects = TalkPersonManager()

    class Meta:
        verbose_name = "谈话对象"
        verbose_name_plural = "谈话对象"
        constraints = [models.UniqueConstraint(fields=["talk", "member"], name="rectify_talk_person_once")]

    def __str__(self) -> str:
        return str(self.member)


class Talk(Record):
    """A talk (谈心谈话、提醒谈话、批评教育、诫勉谈话) held for the committee: each person talked to is one
    person-time. Its content is for township admins and the talker only (see selectors.can_read_talk)."""

    scope_path = "organisation"
    write_by = "admin"  # talks are recorded by the township office (core.scoping)
    as_of_field = "on"
    masked_fields = {"content": lambda value: "（内容仅乡党委管理员和谈话人可见）"}

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="主题教育", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="乡党委", on_delete=models.PROTECT, related_name="rectify_talks"
    )
    on = models.DateField("谈话日期", error_messages=required("谈话日期"))
    kind = models.CharField(
        "谈话类型", max_length=8, choices=TalkType.choices, error_messages=chosen("谈话类型")
    )
    talker = models.ForeignKey(
        "orgs.Member",
        verbose_name="谈话人",
        on_delete=models.PROTECT,
        related_name="+",
        error_messages=required("谈话人"),
    )
    persons = models.ManyToManyField(
        "orgs.Member", verbose_name="谈话对象", through=TalkPerson, related_name="+"
    )
    content = models.TextField("主要内容", blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[persons])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "谈话"
        verbose_name_plural = "谈心谈话"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["organisation", "on"])]

    def __str__(self) -> str:
        return f"{cn(self.on)} {self.kind}（{self.talker.name}）"

    def get_absolute_url(self) -> str:
        return reverse("rectify:talk_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.organisation_id and self.organisation.kind != OrgKind.COMMITTEE:
            errors["organisation"] = "谈心谈话记在乡党委名下，请选择乡党委。"
        elif self.organisation_id and self.talker_id:
            _check_in_township(errors, subtree_ids(self.organisation_id), "talker", self.talker, "谈话人")
        _not_future(errors, "on", self.on, "谈话日期")
        if errors:
            raise ValidationError(errors)


# Health checks and remedies -------------------------------------------------------------------------


class HealthCheck(Record):
    """A health check (党建工作体检) of one organisation below the committee, with its grade."""

    scope_path = "organisation"
    write_by = "admin"  # the township checks its organisations (core.scoping)
    as_of_field = "checked_on"

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="主题教育", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="受检组织", on_delete=models.PROTECT, related_name="health_checks"
    )
    checked_on = models.DateField("体检日期", error_messages=required("体检日期"))
    grade = models.CharField("等次", max_length=8, choices=Grade.choices, blank=True)
    findings = models.TextField("发现问题", blank=True)
    checkers = models.ManyToManyField("orgs.Member", verbose_name="检查人", blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[checkers])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "党建工作体检"
        verbose_name_plural = "党建工作体检"
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.organisation.name} {cn(self.checked_on)}"

    def get_absolute_url(self) -> str:
        return reverse("rectify:check_detail", args=[self.pk])

    @property
    def grade_badge(self) -> str:
        return BADGES.get(self.grade, "")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.organisation_id and self.organisation.kind not in BELOW_COMMITTEE:
            errors["organisation"] = (
                f"党建工作体检的对象是乡党委以下的党组织，而“{self.organisation}”是{self.organisation.get_kind_display()}。"
            )
        _not_future(errors, "checked_on", self.checked_on, "体检日期")
        if errors:
            raise ValidationError(errors)


class RemedyQuerySet(DeadlineQuerySetMixin, RecordQuerySet):
    pass


class Remedy(Record):
    """The remedy (软弱涣散党组织整顿) of an organisation a health check graded 软弱涣散: its own plan (一村一策),
    a leadership member assigned (包联), a first secretary, a time limit, progress, and acceptance (验收),
    which closes it and re-grades the organisation with a new health check."""

    scope_path = "organisation"
    accepts_attachments = True
    DONE_STATUSES = (RemedyStatus.ACCEPTED,)
    deadline_field = "deadline"

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="主题教育", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="整顿组织", on_delete=models.PROTECT, related_name="remedies"
    )
    health_check = models.ForeignKey(
        HealthCheck, verbose_name="体检", on_delete=models.PROTECT, related_name="remedies"
    )
    plan = models.TextField("整顿方案（一村一策）", error_messages=required("整顿方案"))
    leader = models.ForeignKey(
        "orgs.Member",
        verbose_name="包联领导",
        on_delete=models.PROTECT,
        related_name="+",
        error_messages=required("包联领导"),
    )
    first_secretary = models.CharField("第一书记", max_length=100, blank=True, help_text="姓名及派出单位")
    started_on = models.DateField("开始日期", error_messages=required("开始日期"))
    deadline = models.DateField("整顿时限", error_messages=required("整顿时限"))
    status = models.CharField("状态", max_length=8, choices=RemedyStatus.choices, default=RemedyStatus.ACTIVE)
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

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects, all_objects = record_managers(RemedyQuerySet)

    class Meta:
        verbose_name = "软弱涣散党组织整顿"
        verbose_name_plural = "软弱涣散党组织整顿"
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

    @property
    def deadline_state(self) -> str:
        return deadline_state(self)

    @property
    def deadline_label(self) -> str:
        return WARNING_LABELS.get(self.deadline_state, "")

    @property
    def deadline_badge(self) -> str:
        return BADGES.get(self.deadline_state, "")

    @property
    def status_badge(self) -> str:
        return BADGES.get(self.status, "")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
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
                _check_in_township(errors, subtree_ids(township.pk), "leader", self.leader, "包联领导")
        if self.status == RemedyStatus.ACCEPTED:
            if not self.accepted_on:
                errors["accepted_on"] = "请填写验收日期。"
            elif self.accepted_on < self.started_on:
                errors["accepted_on"] = f"验收日期不能早于开始日期（{cn(self.started_on)}）。"
            if not self.acceptance_note.strip():
                errors["acceptance_note"] = "请填写验收意见。"
            _not_future(errors, "accepted_on", self.accepted_on, "验收日期")
        if errors:
            raise ValidationError(errors)


class RemedyEntry(Record):
    """A progress entry of a remedy (dated text with photos)."""

    scope_path = "remedy__organisation"
    accepts_attachments = True

    remedy = models.ForeignKey(Remedy, verbose_name="整顿", on_delete=models.PROTECT, related_name="entries")
    on = models.DateField("日期", error_messages=required("日期"))
    text = models.TextField("进展情况", error_messages=required("进展情况"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "整顿进展"
        verbose_name_plural = "整顿进展"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{cn(self.on)} 整顿进展"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.text and not self.text.strip():
            errors["text"] = "请填写进展情况。"
        _not_future(errors, "on", self.on, "日期")
        if self.on and self.remedy_id and self.on < self.remedy.started_on:
            errors["on"] = f"日期不能早于整顿开始日期（{cn(self.remedy.started_on)}）。"
        if errors:
            raise ValidationError(errors)
