"""The default manager of rows that belong to a soft-deleted record (core.models.Record): a meeting's
attendance and make-ups, the persons of a talk. Deleting the record hides them and restoring it brings them
back, with nothing to do on the rows themselves."""

from __future__ import annotations

from django.db import models

from .scoping import ScopedQuerySet


def alive_with(record: str, queryset_class: type[models.QuerySet] = ScopedQuerySet, *, own: bool = False):
    """A manager of the rows whose `record` (the name of their foreign key to it) is not deleted; `own`: the
    rows are soft-deleted records too, and those deleted themselves are not there either."""
    alive = {f"{record}__deleted_at__isnull": True}
    if own:
        alive["deleted_at__isnull"] = True

    class AliveWith(models.Manager.from_queryset(queryset_class)):
        def get_queryset(self):
            return super().get_queryset().filter(**alive)

    return AliveWith()
