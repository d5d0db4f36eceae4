"""Rectification (改): problems and their measures to closing, talks (models_talks), health checks and
weak-organisation remedies (models_checks).

Every problem has an owner organisation (for the committee's leadership, 班子 or one 班子成员, it is the
committee itself), through which it is scoped; its measures, their progress log and their evidence follow
it. Talks belong to the committee, so a branch secretary's scope does not reach them. What is derived is
never stored: a problem's state comes from its measures, "overdue" from a deadline and today's date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from taizhang.core.deadlines import DeadlineQuerySetMixin
from taizhang.core.fields import alive_unique, record_history, ref
from taizhang.core.models import Record, RecordQuerySet, record_managers
from taizhang.core.scoping import subtree_ids
from taizhang.orgs.choices import OrgKind

from .choices import (
    BADGES,
    LEADERSHIP_KINDS,
    MEASURE_DONE,
    MEASURE_OPEN,
    EntryKind,
    MeasureStatus,
    OwnerKind,
    ProblemCategory,
    ProblemSource,
    ProblemState,
)
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

# Talks, health checks and remedies have modules of their own; Django and the area import them from here.
from .models_checks import HealthCheck, Remedy, RemedyEntry  # noqa: F401
from .models_talks import Talk, TalkPerson  # noqa: F401

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


class Problem(Rules, Record):
    """A problem of the 问题清单, numbered (序号) within its township and campaign."""

    scope_path = "owner_org"
    as_of_field = "found_on"

    campaign = campaign_field()
    # The township is derived from the owner organisation in clean().
    township = ref("orgs.Organisation", "乡党委", editable=False, blank=True)
    number = models.PositiveIntegerField("序号")
    owner_kind = models.CharField("责任主体类型", max_length=8, choices=OwnerKind.choices)
    owner_org = ref("orgs.Organisation", "责任组织", related_name="rectify_problems")
    owner_member = member_field("班子成员", optional=True)
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
    lead = member_field("牵头领导", optional=True)

    history = record_history()
    objects, all_objects = record_managers(ProblemQuerySet)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["township_id", "number"]
        constraints = [
            alive_unique(
                "township",
                "campaign",
                "number",
                name="rectify_problem_unique_number",
                message="同一乡镇同一主题教育中，问题序号不能重复。",
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

    state_badge = badge_of("state")

    def validate_constraints(self, exclude=None):
        # The number's uniqueness is checked in clean(), under its own field and naming the clash.
        super().validate_constraints(exclude={*(exclude or ()), "number"})

    def check_rules(self, errors: dict[str, str]) -> None:
        org = self.owner_org if self.owner_org_id else None
        township = committee_of(org)
        if org is not None:
            self._clean_owner_org(errors, org, township)
        if township is not None:
            self.township = township
        ids = subtree_ids(township.pk) if township is not None else frozenset()
        self._clean_owner_member(errors, ids)
        self._clean_special(errors)
        check_in_township(errors, ids, "lead", self.lead, "牵头领导")
        not_future(errors, "found_on", self.found_on, "发现日期")
        self._clean_found_on_before_measures(errors)
        self._clean_number_unique(errors)

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
                check_in_township(errors, township_ids, "owner_member", self.owner_member, "班子成员")
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


class Measure(DeadlineBadges, Rules, Record):
    """A rectification measure (整改措施) of a problem. Its status 已完成/长期坚持 is set by its owner (page or
    ledger), with or without a 完成情况 note; 销号 is the township admin's sign-off of it, with evidence."""

    scope_path = "problem__owner_org"
    campaign_path = "problem__campaign"
    as_of_field = "problem__found_on"  # a measure counts from its problem's date found
    accepts_attachments = True  # evidence (佐证材料)
    DONE_STATUSES = MEASURE_DONE
    deadline_field = "deadline"

    problem = ref(Problem, "问题", related_name="measures")
    order = models.PositiveSmallIntegerField("排序", default=0)
    content = models.TextField("整改措施", error_messages=required("整改措施"))
    responsible_leader = member_field("责任领导", optional=True)
    responsible_person = member_field("责任人", optional=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    status = models.CharField(
        "整改状态", max_length=8, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    completed_on = models.DateField("完成时间", null=True, blank=True)
    completion_note = models.TextField("完成情况", blank=True)
    # 销号: a township admin's sign-off of a done measure, with evidence (services.measure_sign_off). A status
    # 已完成/长期坚持 without it is done by its owner's word, "已完成、待销号".
    signed_off_at = models.DateTimeField("销号时间", null=True, blank=True, editable=False)
    signed_off_by = ref(
        settings.AUTH_USER_MODEL, "销号人", optional=True, editable=False, on_delete=models.SET_NULL
    )

    history = record_history()
    objects, all_objects = record_managers(MeasureQuerySet)

    class Meta:
        verbose_name = verbose_name_plural = "整改措施"
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
    def status_badge(self) -> str:
        return "warn" if self.awaits_sign_off else BADGES.get(self.status, "")

    @property
    def is_claimable(self) -> bool:
        """A measure of a special item that no leadership member has taken on yet."""
        return self.problem.is_special and not self.responsible_leader_id and not self.is_done

    def check_rules(self, errors: dict[str, str]) -> None:
        problem = self.problem if self.problem_id else None
        if problem is not None:
            if problem.is_deleted:
                errors["problem"] = "该问题已删除，不能再为它制定或修改整改措施。"
            if self.deadline and problem.found_on and self.deadline < problem.found_on:
                errors["deadline"] = f"整改时限不能早于问题的发现日期（{cn(problem.found_on)}）。"
            ids = subtree_ids(problem.township_id)
            check_in_township(errors, ids, "responsible_leader", self.responsible_leader, "责任领导")
            check_in_township(errors, ids, "responsible_person", self.responsible_person, "责任人")
        if self.status in MEASURE_DONE:  # 完成情况 may be blank (ledgers.md); the sign-off asks for it
            if not self.completed_on:
                errors["completed_on"] = "已完成、长期坚持的措施须填写完成时间。"
            elif problem is not None and problem.found_on and self.completed_on < problem.found_on:
                errors["completed_on"] = f"完成时间不能早于问题的发现日期（{cn(problem.found_on)}）。"
            not_future(errors, "completed_on", self.completed_on, "完成时间")


class ProgressEntry(LogEntry):
    """An entry of a measure's progress log: dated text with photos; closing and its undoing are entries
    too, so that the log is the measure's whole story (an undone closing keeps its reason here)."""

    scope_path = "measure__problem__owner_org"

    measure = ref(Measure, "整改措施", related_name="entries")
    kind = models.CharField("类型", max_length=8, choices=EntryKind.choices, default=EntryKind.PROGRESS)
    text = models.TextField("内容", error_messages=required("内容"))

    class Meta(LogEntry.Meta):
        verbose_name = verbose_name_plural = "整改进展"

    def __str__(self) -> str:
        return f"{cn(self.on)} {self.get_kind_display()}"

    def starts(self):
        return (self.measure.problem.found_on if self.measure_id else None), "问题的发现日期"
