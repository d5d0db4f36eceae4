"""How record models declare their common parts in one line each: a reference to another record, the
history, a uniqueness rule among the records not deleted.

    leader = ref("orgs.Member", "带队领导", optional=True)
    history = record_history(m2m_fields=[participants])
    constraints = [alive_unique("organisation", "date", "place", name="research_visit_unique_date_place",
                                message="同一天在该调研地点已有调研走访记录。")]

Each returns exactly what the long form declared, so adopting them changes no migration.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

# Timestamps change on every save and say nothing a history entry's own date does not.
TIMESTAMPS = ["created_at", "updated_at"]


def ref(
    to: str | type[models.Model],
    verbose_name: str,
    *,
    related_name: str = "+",
    optional: bool = False,
    on_delete=models.PROTECT,
    **options,
) -> models.ForeignKey:
    """A foreign key to another record ("orgs.Member", "orgs.Organisation", "campaigns.Campaign" …).

    Protected by default (a member with meetings is not deleted under them); `optional` makes it null and
    blank; no reverse accessor unless `related_name` is given."""
    if optional:
        options.setdefault("null", True)
        options.setdefault("blank", True)
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, related_name=related_name, **options
    )


def record_history(*, excluded_fields: list[str] | None = None, **options) -> HistoricalRecords:
    """The history (django-simple-history) of a record, without its timestamps."""
    return HistoricalRecords(
        excluded_fields=TIMESTAMPS if excluded_fields is None else excluded_fields, **options
    )


def alive_unique(*fields: str, name: str, message: str) -> models.UniqueConstraint:
    """Unique among the records not deleted: a deleted record does not block a new one with its values."""
    return models.UniqueConstraint(
        fields=list(fields), condition=Q(deleted_at__isnull=True), name=name, violation_error_message=message
    )
