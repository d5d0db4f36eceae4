"""A township's numbered item: an entry of a register the township keeps by 序号, with a responsible leader
and unit, a deadline, a status and a result. Research's action items (干事创业清单) and serve's service
projects (为民办实事) are such items; each area's model adds what is its own (the content or the name, where
the item came from, what its deadline is called).

    class ActionItem(TownshipItem):
        deadline = models.DateField("完成时限", null=True, blank=True)
        ...
        class Meta(TownshipItem.Meta):
            constraints = item_rules("action_item", "干事创业清单")
            indexes = item_indexes("deadline")

The base declares exactly the fields the two models declared, so adopting it changes no migration (only
the fields' order in the model, which migrations do not record).
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Q

from .checks import not_in_future
from .choices import WorkStatus
from .deadlines import DUE_DAYS, DeadlineFilter, DeadlineQuerySetMixin, DeadlineStateMixin, today
from .fields import alive_unique, ref
from .forms import DateInput
from .models import Record, RecordQuerySet, record_managers
from .scoping import subtree_ids

# An item's progress: the areas' ActionStatus and ProjectStatus are this one list.
ItemStatus = WorkStatus


class TownshipItemQuerySet(DeadlineQuerySetMixin, RecordQuerySet):
    def in_state(self, state: str, on: datetime.date | None = None):
        """The items in a state of the list's filter (DeadlineFilter); all of them for no state."""
        if state == DeadlineFilter.OVERDUE:
            return self.overdue(on)
        if state == DeadlineFilter.DUE:
            return self.due_within(DUE_DAYS, on)
        if state == DeadlineFilter.OPEN:
            return self.open()
        if state == DeadlineFilter.DONE:
            return self.done()
        return self

    def done_under(self, root, campaign, as_of: datetime.date | None):
        """The items of root's subtree done in the campaign (any time without one) up to as_of, the
        earliest done first: the examples of a work summary."""
        done = self.filter(organisation_id__in=subtree_ids(root.pk)).done()
        if campaign is not None:
            done = done.filter(completed_on__gte=campaign.start_date)
        if as_of is not None:
            done = done.filter(completed_on__lte=as_of)
        return done.order_by("completed_on", "serial")

    def summary(self, on: datetime.date | None = None) -> dict[str, int]:
        """Counts for the head of a list (total, done, overdue, due): one query."""
        on = on or today()
        deadline = self._deadline()
        open_ = ~Q(status__in=self.model.DONE_STATUSES)
        due = {f"{deadline}__gte": on, f"{deadline}__lte": on + datetime.timedelta(days=DUE_DAYS)}
        return self.aggregate(
            total=Count("pk"),
            done=Count("pk", filter=~open_),
            overdue=Count("pk", filter=open_ & Q(**{f"{deadline}__lt": on})),
            due=Count("pk", filter=open_ & Q(**due)),
        )


def next_serial(model, township_id: int) -> int:
    """The next 序号 of a township (deleted records keep theirs, so a number is never given twice)."""
    top = model.all_objects.filter(township_id=township_id).aggregate(n=Max("serial"))["n"]
    return (top or 0) + 1


def item_rules(prefix: str, register: str) -> list[models.BaseConstraint]:
    """An item's constraints: its 序号 unique in the township's register, and a done item has a date."""
    return [
        alive_unique(
            "township", "serial", name=f"{prefix}_unique_serial", message=f"本乡{register}中已有该序号。"
        ),
        models.CheckConstraint(
            condition=~Q(status=ItemStatus.DONE) | Q(completed_on__isnull=False),
            name=f"{prefix}_done_has_date",
            violation_error_message="状态为“已完成”时，请填写完成时间。",
        ),
    ]


def item_indexes(deadline: str) -> list[models.Index]:
    """The lists' lookups: a township's or a unit's items by status and deadline."""
    return [
        models.Index(fields=["township", "status", deadline]),
        models.Index(fields=["organisation", "status", deadline]),
    ]


class TownshipItem(DeadlineStateMixin, Record):
    """The common part of a numbered item. The concrete model declares its `organisation` (the responsible
    unit, which the item belongs to), its deadline field (named by `deadline_field`) and its `result`.
    Due and overdue are derived from the deadline (core.deadlines), never stored."""

    scope_path = "organisation"
    DONE_STATUSES = (ItemStatus.DONE,)

    township = ref("orgs.Organisation", "所属乡党委", editable=False, blank=True)
    serial = models.PositiveIntegerField("序号", blank=True, help_text="本乡内的编号；留空则自动编号")
    leader = ref("orgs.Member", "责任领导", optional=True)
    unit = models.CharField(
        "责任单位名称", max_length=100, blank=True, help_text="责任单位不是党组织时填写，如“乡农业服务中心”"
    )
    status = models.CharField(
        "状态", max_length=4, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    completed_on = models.DateField("完成时间", null=True, blank=True)

    objects, all_objects = record_managers(TownshipItemQuerySet)

    class Meta:
        abstract = True
        ordering = ["township_id", "serial"]

    @property
    def unit_display(self) -> str:
        return self.unit or (self.organisation.name if self.organisation_id else "")

    def check_progress(self, what: str) -> None:
        """Status and completion date agree: done ⇔ a completion date, which is not in the future."""
        if self.status in self.DONE_STATUSES and not self.completed_on:
            raise ValidationError({"completed_on": "状态为“已完成”时，请填写完成时间。"})
        if self.completed_on and self.status not in self.DONE_STATUSES:
            raise ValidationError(
                {"completed_on": f"{what}尚未完成，不应填写完成时间；已完成请将状态改为“已完成”。"}
            )
        not_in_future(self.completed_on, "completed_on", "完成时间")

    def number(self) -> None:
        """Left without a 序号: the township's next (its township must be known)."""
        if self.serial is None:
            self.serial = next_serial(type(self), self.township_id)


# Forms -------------------------------------------------------------------------------------------------

ITEM_WIDGETS = {
    "status": forms.RadioSelect,
    "completed_on": DateInput(),
    "result": forms.Textarea(attrs={"rows": 3}),
}


class TownshipItemForm:
    """Mixed into an item's ModelForm: statuses as radio buttons without a blank one, a numeric keyboard
    for the 序号, and an existing item keeps its 序号 when the field is left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ItemStatus.choices
        self.fields["serial"].widget.attrs["inputmode"] = "numeric"

    def clean_serial(self):
        """Left empty: a new record is numbered next; an existing one keeps its number."""
        serial = self.cleaned_data["serial"]
        return self.instance.serial if serial is None and self.instance.pk else serial
