"""Things with a deadline and a status (measures, action items, service projects): open, due soon, overdue.

A model declares `deadline_field` (default "deadline") and `DONE_STATUSES` (statuses that count as done);
its queryset mixes in DeadlineQuerySetMixin. "Overdue" is derived from the data and today's date, never
stored.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

DUE_DAYS = 7  # "due" is within this many days of the deadline


def today() -> datetime.date:
    return timezone.localdate()


class DeadlineQuerySetMixin:
    def _deadline(self) -> str:
        return getattr(self.model, "deadline_field", "deadline")

    def open(self):
        return self.exclude(status__in=self.model.DONE_STATUSES)

    def done(self):
        return self.filter(status__in=self.model.DONE_STATUSES)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(**{f"{self._deadline()}__lt": on or today()})

    def due_within(self, days: int = DUE_DAYS, on: datetime.date | None = None):
        start = on or today()
        return self.open().filter(
            **{
                f"{self._deadline()}__gte": start,
                f"{self._deadline()}__lte": start + datetime.timedelta(days=days),
            }
        )


# The one vocabulary of deadline states, for every page, list filter and document.
STATE_LABELS = {"done": "已完成", "overdue": "已逾期", "due": f"{DUE_DAYS}日内到期", "open": "未到期"}
# The states worth a warning beside a record (a badge); the others say nothing.
WARNING_LABELS = {"overdue": STATE_LABELS["overdue"], "due": STATE_LABELS["due"]}


class DeadlineFilter(models.TextChoices):
    """A list's filter on the deadline states (derived from the data, never stored)."""

    OVERDUE = "overdue", STATE_LABELS["overdue"]
    DUE = "due", STATE_LABELS["due"]
    OPEN = "open", "未完成"
    DONE = "done", STATE_LABELS["done"]


STATE_BADGES = {"done": "ok", "overdue": "bad", "due": "warn", "open": "", "": ""}


class DeadlineStateMixin:
    """For a model with a deadline and a status: its state as a word and a badge colour for the pages."""

    no_deadline_label = "无时限"

    @property
    def state(self) -> str:
        return deadline_state(self)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.no_deadline_label)

    @property
    def state_badge(self) -> str:
        return STATE_BADGES[self.state]


def deadline_state(obj, on: datetime.date | None = None) -> str:
    """ "done", "overdue", "due" (within 7 days), "open" or "" (no deadline) for one object."""
    if obj.status in type(obj).DONE_STATUSES:
        return "done"
    deadline = getattr(obj, getattr(type(obj), "deadline_field", "deadline"))
    if deadline is None:
        return ""
    now = on or today()
    if deadline < now:
        return "overdue"
    if deadline <= now + datetime.timedelta(days=DUE_DAYS):
        return "due"
    return "open"
