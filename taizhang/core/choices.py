"""The base of the ledgers' value lists, and the badge table of their statuses.

Most value lists of the ledgers are Chinese words that are at once the stored value and what a page shows
(理论学习, 整改中, 党员先锋岗): the sheets and campaign files write those words, so a member's label is its
value. Django's TextChoices would make the label of a bare `THEORY = "理论学习"` the English "Theory", and
writing every word twice (`THEORY = "理论学习", "理论学习"`) hides the few members whose label does differ.
"""

from __future__ import annotations

from django.db import models
from django.db.models.enums import ChoicesType


class VocabularyType(ChoicesType):
    """The metaclass of Vocabulary: a member given as a bare string is labelled with that string.

    It rewrites such a member to Django's own (value, label) form before ChoicesType reads it, so that
    everything else (.choices, .labels, .label, get_FOO_display, forms, migrations) is Django's as usual.
    """

    def __new__(metacls, classname, bases, classdict, **kwds):
        for key in classdict._member_names:
            value = classdict[key]
            if isinstance(value, str):
                # dict.__setitem__, as ChoicesType does, past enum's guard against assigning a name twice.
                dict.__setitem__(classdict, key, (value, value))
        return super().__new__(metacls, classname, bases, classdict, **kwds)


class Vocabulary(models.TextChoices, metaclass=VocabularyType):
    """A list of words stored as they are shown: `DONE = "已完成"` is the value 已完成 labelled 已完成.

    A member whose label differs keeps Django's pair: `ORGANISATION = "组织", "基层党组织"`.
    """


def badge_table(*, ok=(), warn=(), bad=()) -> dict[str, str]:
    """{value: badge class (app.css)} from the values that show each colour. Pages look a value up with
    .get(value, ""), so a value that wants no colour is simply left out; a value named under two colours (two
    lists may share a word, 整改中) is a mistake that fails loudly."""
    table: dict[str, str] = {}
    for badge, values in (("ok", ok), ("warn", warn), ("bad", bad)):
        for value in values:
            if table.get(value, badge) != badge:
                raise ValueError(f"{value!r} is given both the badge {table[value]!r} and {badge!r}.")
            table[value] = badge
    return table


class WorkStatus(Vocabulary):
    """The progress of a piece of work with a deadline (core.deadlines) in the research and service ledgers:
    an action item (干事创业清单) and a service project (为民办实事) are tracked with the same three words.
    Rectification's measures have their own list (整改中, 长期坚持)."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
