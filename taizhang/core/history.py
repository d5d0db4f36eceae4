"""History of records (django-simple-history), read for the record pages, and soft-delete restore."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from .dates import cn_date

ACTION_LABELS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(model, field_name: str, value, cache: dict) -> str:
    if value in (None, ""):
        return "（空）"
    try:
        f = model._meta.get_field(field_name)
    except Exception:
        return str(value)
    if f.many_to_many:
        # The history's rows of the through table: show the related records by name, oldest record first.
        ids = sorted(row[f.m2m_reverse_field_name()] for row in value)  # the rows come in no set order
        if not ids:
            return "（空）"
        manager = getattr(f.related_model, "all_objects", f.related_model._base_manager)
        names = {obj.pk: str(obj) for obj in manager.filter(pk__in=ids)}
        return "、".join(names.get(pk, f"#{pk}") for pk in ids)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        key = (f.related_model, value)
        if key not in cache:
            manager = getattr(f.related_model, "all_objects", f.related_model._base_manager)
            cache[key] = str(manager.filter(pk=value).first() or f"#{value}")
        return cache[key]
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
        return cn_date(value)
    return str(value)


def history_of(obj, limit: int = 50, *, viewer=None) -> list[HistoryEntry]:
    """The record's changes, newest first: who, when, what (field: old → new).

    Fields the model lists in `masked_fields` (field name → mask function) are masked unless the viewer is a
    township admin, as they are on the record's own page."""
    from .scoping import scope_for

    model = type(obj)
    masked = {} if viewer is not None and scope_for(viewer).is_admin else getattr(model, "masked_fields", {})

    def show(field_name, value):
        if field_name in masked and value:
            return masked[field_name](value)
        return _display(model, field_name, value, cache)

    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    cache: dict = {}
    entries = []
    for i, record in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        action = ACTION_LABELS.get(record.history_type, record.history_type)
        changes = []
        if prev is not None and record.history_type == "~":
            # deleted_at is not editable, so diff_against leaves it out: compare it here.
            if getattr(record, "deleted_at", None) != getattr(prev, "deleted_at", None):
                action = "删除" if record.deleted_at else "恢复"
            delta = record.diff_against(prev)
            for change in delta.changes:
                if change.field == "deleted_at":
                    continue
                verbose = str(model._meta.get_field(change.field).verbose_name)
                changes.append(
                    Change(
                        verbose,
                        show(change.field, change.old),
                        show(change.field, change.new),
                    )
                )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else "系统",
                action=action,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def stamp(obj, actor, reason: str = "") -> None:
    """Tell the history who makes the next save of obj, and why."""
    obj._history_user = actor if getattr(actor, "pk", None) else None
    if reason:
        obj._change_reason = reason
