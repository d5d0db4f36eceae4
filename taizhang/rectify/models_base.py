"""What the models of rectification share: the messages of required fields, the township rules of the people
a record names, a clean() that refuses all broken rules together, a value's badge, the fields every kind
declares alike (its campaign, a member it names), a deadline's badge, and the base of the two progress logs
(a measure's, a remedy's)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from taizhang.core.dates import cn_date
from taizhang.core.deadlines import WARNING_LABELS, deadline_state
from taizhang.core.fields import record_history, ref
from taizhang.core.models import Record, acting_user_field, record_managers
from taizhang.orgs.choices import OrgKind

from .choices import BADGES

BELOW_COMMITTEE = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)

cn = cn_date


def required(label: str) -> dict:
    """Error messages of a required field that name it (Django's own say only 此字段不能为空)."""
    return {"blank": f"请填写{label}。", "null": f"请填写{label}。", "required": f"请填写{label}。"}


def chosen(label: str) -> dict:
    return {"blank": f"请选择{label}。", "null": f"请选择{label}。", "required": f"请选择{label}。"}


def committee_of(org):
    """The township committee an organisation belongs to (itself for a committee), or None."""
    if org is None:
        return None
    return org if org.kind == OrgKind.COMMITTEE else org.township()


def check_in_township(errors: dict, township_ids, field: str, member, label: str) -> None:
    if member is not None and member.organisation_id not in township_ids:
        errors[field] = f"{label}“{member.name}”不是本乡党员。"


def not_future(errors: dict, field: str, value, label: str) -> None:
    if value is not None and value > timezone.localdate():
        errors[field] = f"{label}不能晚于今天。"


def badge_of(name: str) -> property:
    """The badge (the colour the pages give it) of a record's value: a field's, or a property's."""
    return property(lambda self: BADGES.get(getattr(self, name), ""))


class Rules:
    """A record whose clean() checks, after its fields, the rules of `check_rules(errors)`, which puts each
    error under its field, and refuses them all together."""

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        self.check_rules(errors)
        if errors:
            raise ValidationError(errors)

    def check_rules(self, errors: dict[str, str]) -> None:
        pass


# Fields -----------------------------------------------------------------------------------------------


def campaign_field() -> models.ForeignKey:
    """The campaign (主题教育) a record belongs to."""
    return ref("campaigns.Campaign", "主题教育")


def member_field(label: str, *, optional: bool = False) -> models.ForeignKey:
    """A party member a record names (a leader, a talker, the person responsible); required ones say so
    by name when left blank."""
    return ref(
        "orgs.Member", label, optional=optional, **({} if optional else {"error_messages": required(label)})
    )


# Deadlines and progress logs ----------------------------------------------------------------------------


class DeadlineBadges:
    """A record with a deadline and a status (a measure, a remedy): its deadline warning and the badges the
    pages show."""

    @property
    def deadline_state(self) -> str:
        return deadline_state(self)

    @property
    def deadline_label(self) -> str:
        return WARNING_LABELS.get(self.deadline_state, "")

    deadline_badge = badge_of("deadline_state")


class LogEntry(Rules, Record):
    """A dated entry of a progress log with photos (a measure's, a remedy's). The concrete log declares its
    `text` field and `starts()`: the date before which nothing can have happened, and its name."""

    accepts_attachments = True

    on = models.DateField("日期", error_messages=required("日期"))
    author = acting_user_field("记录人")

    history = record_history(inherit=True)
    objects, all_objects = record_managers()

    class Meta:
        abstract = True
        ordering = ["on", "pk"]

    def starts(self) -> tuple[object, str]:
        raise NotImplementedError

    def check_rules(self, errors: dict[str, str]) -> None:
        if self.text and not self.text.strip():
            errors["text"] = f"请填写{self._meta.get_field('text').verbose_name}。"
        not_future(errors, "on", self.on, "日期")
        start, what = self.starts()
        if self.on and start and self.on < start:
            errors["on"] = f"日期不能早于{what}（{cn(start)}）。"
