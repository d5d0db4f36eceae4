"""Research (研): research topics and visits, the action items that come out of them, and the monthly
enterprise visits of cadres with the issues enterprises raised.

Every record belongs to one township. Topics, visits, enterprises and enterprise visits belong to the
township committee itself; an action item belongs to its responsible unit when that is an organisation
(else to the committee) and carries its township, so that its 序号 is unique within the township.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from taizhang.core.checks import check_members_within, name_the_fields, not_in_future, related_if_set
from taizhang.core.dates import cn_date
from taizhang.core.deadlines import today
from taizhang.core.fields import alive_unique, record_history, ref
from taizhang.core.items import (
    TownshipItem,
    item_indexes,
    item_rules,
    next_serial,  # noqa: F401  (importable from here as before)
)
from taizhang.core.models import Record, record_managers
from taizhang.orgs.choices import OrgKind

from .choices import PlaceKind


def _committee_only(org, field: str, what: str) -> None:
    if org is not None and org.kind != OrgKind.COMMITTEE:
        raise ValidationError({field: f"{what}应属于乡党委，“{org}”是{org.get_kind_display()}。"})


class ResearchTopic(Record):
    """A research topic (调研课题) of the township committee, led by a leading cadre."""

    scope_path = "organisation"
    write_by = "admin"  # research records are written by the township's admins (core.scoping)

    organisation = ref("orgs.Organisation", "所属党委")
    title = models.CharField("课题名称", max_length=200)
    leader = ref("orgs.Member", "牵头领导")
    members = models.ManyToManyField("orgs.Member", verbose_name="课题组成员", blank=True, related_name="+")
    theme = models.TextField("调研方向", blank=True, help_text="调研的主题、重点和预期成果")

    history = record_history(m2m_fields=[members])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "调研课题"
        verbose_name_plural = "调研课题"
        ordering = ["-created_at", "-pk"]
        constraints = [
            alive_unique(
                "organisation",
                "title",
                name="research_topic_unique_title",
                message="本乡党委已有同名的调研课题。",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.organisation_id:
            _committee_only(self.organisation, "organisation", "调研课题")
            check_members_within(self.organisation_id, {"leader": related_if_set(self, "leader")}, "本乡")


class CommitteeVisit(Record):
    """A visit the township committee records under another of its records (a research topic, an
    enterprise): it belongs to that record's committee, took place on a day not after today, and was made
    by a member of the township. The concrete model names the record (`parent_field`, which must not be
    deleted) and the member (`visitor_field`)."""

    scope_path = "organisation"
    write_by = "admin"
    as_of_field = "date"  # the date a visit counts from in figures (indicators engine)
    parent_field = ""
    parent_deleted = ""  # the refusal when the parent is deleted; names it as {parent}
    visitor_field = ""
    date_label = ""

    date = models.DateField("日期")

    objects, all_objects = record_managers()

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "date"])]

    def clean(self) -> None:
        super().clean()
        not_in_future(self.date, "date", self.date_label)
        if getattr(self, f"{self.parent_field}_id"):
            parent = getattr(self, self.parent_field)
            if parent.is_deleted:
                raise ValidationError({self.parent_field: self.parent_deleted.format(parent=parent)})
            self.organisation_id = parent.organisation_id
        if self.organisation_id:
            visitor = related_if_set(self, self.visitor_field)
            check_members_within(self.organisation_id, {self.visitor_field: visitor}, "本乡")


class ResearchVisit(CommitteeVisit):
    """A research visit (调研走访) to a village, an enterprise, the health centre, a school…

    Its findings (发现问题) are lines of text; each can become an action item in one step."""

    accepts_attachments = True
    parent_field = "topic"
    parent_deleted = "调研课题“{parent}”已删除，请先在回收站中恢复该课题。"
    visitor_field = "leader"
    date_label = "调研日期"

    organisation = ref(
        "orgs.Organisation", "所属党委", editable=False, blank=True, help_text="调研课题所属的乡党委"
    )
    topic = ref(ResearchTopic, "调研课题", related_name="visits")
    leader = ref("orgs.Member", "带队领导")
    place = models.CharField("调研地点", max_length=100)
    place_kind = models.CharField("地点类型", max_length=4, choices=PlaceKind.choices)
    participants = models.ManyToManyField(
        "orgs.Member", verbose_name="参加人员", blank=True, related_name="+"
    )
    findings = models.TextField("发现问题", blank=True, help_text="每行一条，每条可转为干事创业清单事项")

    history = record_history(m2m_fields=[participants])

    class Meta(CommitteeVisit.Meta):
        verbose_name = "调研走访"
        verbose_name_plural = "调研走访"
        constraints = [
            alive_unique(
                "organisation",
                "date",
                "place",
                name="research_visit_unique_date_place",
                message="同一天在该调研地点已有调研走访记录。",
            )
        ]

    def __str__(self) -> str:
        return f"{cn_date(self.date)} {self.place}"

    @property
    def finding_lines(self) -> list[str]:
        return [line.strip() for line in self.findings.splitlines() if line.strip()]

    def clean(self) -> None:
        self.findings = "\n".join(self.finding_lines)
        super().clean()


class ActionItem(TownshipItem):
    """An action item (干事创业清单): a concrete task that came out of research, with an owner, a deadline and
    a status (core.items)."""

    no_deadline_label = "无时限"
    write_by = "admin"
    deadline_field = "deadline"
    as_of_field = "raised_on"  # collected from its 提出日期; done ones count from completed_on

    content = models.TextField("事项")
    source_topic = ref(ResearchTopic, "来源调研课题", optional=True, related_name="action_items")
    source_visit = ref(ResearchVisit, "来源调研走访", optional=True, related_name="action_items")
    organisation = ref(
        "orgs.Organisation",
        "责任单位",
        help_text="负责的组织；责任单位不是党组织时选乡党委，并在下面填写单位名称",
    )
    raised_on = models.DateField("提出日期", null=True, blank=True, help_text="收集到该事项的日期")
    deadline = models.DateField("完成时限", null=True, blank=True)
    result = models.TextField("完成情况", blank=True)

    history = record_history()

    class Meta(TownshipItem.Meta):
        verbose_name = "干事创业清单事项"
        verbose_name_plural = "干事创业清单"
        constraints = item_rules("action_item", "干事创业清单")
        indexes = item_indexes("deadline")

    def __str__(self) -> str:
        return f"第{self.serial}条 {self.content[:30]}"

    def clean(self) -> None:
        super().clean()
        if self.organisation_id:
            township = self.organisation.township()
            if township is None:
                raise ValidationError({"organisation": "责任单位应为乡党委或其下级组织。"})
            self.township = township
        self.check_progress("事项")
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
        self.number()


class Enterprise(Record):
    """An enterprise of the township's register (企业名录), with the cadre who visits it every month."""

    scope_path = "organisation"
    write_by = "admin"

    organisation = ref("orgs.Organisation", "所属党委")
    name = models.CharField("企业名称", max_length=100)
    industry = models.CharField("行业", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_key = models.BooleanField("重点企业", default=False)
    liaison = ref(
        "orgs.Member", "联系干部", optional=True, help_text="按每月走访企业制度负责走访该企业的干部"
    )

    history = record_history()
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业名录"
        ordering = ["organisation_id", "-is_key", "name", "pk"]
        constraints = [
            alive_unique(
                "organisation", "name", name="enterprise_unique_name", message="本乡企业名录中已有同名企业。"
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


class EnterpriseVisit(CommitteeVisit):
    """A cadre's visit to an enterprise (走访企业); the issues raised are EnterpriseIssue rows."""

    parent_field = "enterprise"
    parent_deleted = "企业“{parent}”已从名录中删除。"
    visitor_field = "cadre"
    date_label = "走访日期"

    organisation = ref(
        "orgs.Organisation", "所属党委", editable=False, blank=True, help_text="企业所属的乡党委"
    )
    enterprise = ref(Enterprise, "企业", related_name="visits")
    cadre = ref("orgs.Member", "走访干部")
    notes = models.TextField("走访情况", blank=True)

    history = record_history()

    class Meta(CommitteeVisit.Meta):
        verbose_name = "走访企业"
        verbose_name_plural = "走访企业"
        constraints = [
            alive_unique(
                "enterprise",
                "date",
                "cadre",
                name="enterprise_visit_unique",
                message="该干部当天已登记过对该企业的走访。",
            )
        ]

    def __str__(self) -> str:
        return f"{cn_date(self.date)} {self.cadre} 走访 {self.enterprise}"


class EnterpriseIssue(Record):
    """An issue an enterprise raised during a visit, how it was handled, and whether it is resolved."""

    scope_path = "visit__organisation"
    write_by = "admin"
    as_of_field = "visit__date"

    visit = ref(EnterpriseVisit, "走访", related_name="issues")
    content = models.TextField("企业反映问题")
    handling = models.TextField("解决情况", blank=True)
    resolved = models.BooleanField("是否解决", default=False)

    history = record_history()
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


name_the_fields(ResearchTopic, ResearchVisit, ActionItem, Enterprise, EnterpriseVisit, EnterpriseIssue)
