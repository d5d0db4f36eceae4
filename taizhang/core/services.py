"""The shape every write takes: inside one transaction, check the scope, validate, save with history, check
the scope again (so that nothing is moved out of the actor's reach). A record whose create and edit are only
that, on a declared list of fields, is written by create_record and update_record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .history import stamp
from .scoping import require_admin, require_write, scope_for

CONFLICT = "保存失败：与已有记录冲突，请刷新后重试。"


def validate_and_save(obj, *, actor, reason: str = "", conflict: str = CONFLICT) -> None:
    """Validate, stamp the history with actor and reason, and save; a unique constraint broken by a race past
    full_clean is refused with `conflict` (in Chinese), not a 500."""
    obj.full_clean()
    stamp(obj, actor, reason)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(conflict) from exc


def save_record(obj, *, actor, reason: str = "", exclude_unique: bool = False):
    """Validate and save a scoped record written by actor, and return it; the caller holds the transaction
    and has checked the scope before the change."""
    validate_and_save(obj, actor=actor, reason=reason)
    require_write(actor, obj)
    return obj


@transaction.atomic
def delete_record(obj, *, actor, reason: str = "") -> None:
    """Soft-delete: the record disappears from every list and can be restored by a township admin."""
    require_write(actor, obj)
    obj.mark_deleted()
    stamp(obj, actor, reason or "删除")
    obj.save()


@transaction.atomic
def restore_record(obj, *, actor) -> None:
    """Bring a soft-deleted record back (township admin of its scope only)."""
    require_write(actor, obj)
    require_admin(actor)
    if not obj.is_deleted:
        return
    obj.deleted_at = None
    save_record(obj, actor=actor, reason="恢复")


__all__ = [
    "save_record",
    "validate_and_save",
    "delete_record",
    "restore_record",
    "scope_for",
]
