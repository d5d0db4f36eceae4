"""The shapes an area's create, update and delete services take, written once.

    @transaction.atomic
    def partnership_create(*, actor, **data):
        return create(Partnership(), data, PARTNERSHIP_FIELDS, actor=actor, reason="新增结对共建")

Each checks the actor's scope before the change and (through `save`, core.services.save_record by default)
after it, in the caller's transaction; an area's own rules (what a record takes from its parent, what
stops a deletion) stay in its services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .history import stamp
from .scoping import require_write
from .services import CONFLICT, delete_record, save_record


def apply_fields(obj, data: dict, allowed: tuple[str, ...]):
    """Set the given values on obj; a key the service does not take is a programming error."""
    for key, value in data.items():
        if key not in allowed:
            raise ValueError(f"unknown {type(obj).__name__} field {key}")
        setattr(obj, key, value)
    return obj


def create(obj, data: dict, allowed: tuple[str, ...], *, actor, reason: str, save: Callable = save_record):
    """A new record (obj, with anything it takes from elsewhere already set) filled from data and saved by
    `save(obj, actor=, reason=)` once the actor may write it."""
    apply_fields(obj, data, allowed)
    require_write(actor, obj)
    save(obj, actor=actor, reason=reason)
    return obj


def update(
    obj, data: dict, allowed: tuple[str, ...], *, actor, reason: str = "", save: Callable = save_record
):
    """An existing record the actor may write, changed by data and saved by `save(obj, actor=, reason=)`."""
    require_write(actor, obj)
    apply_fields(obj, data, allowed)
    save(obj, actor=actor, reason=reason)
    return obj


@transaction.atomic
def create_record(model, *, actor, data: dict, fields, reason: str):
    """A new record of `model` from the values in `data` of the fields a create may set; the others (what a
    form or a sheet carries besides) are left out."""
    return create(model(), {k: v for k, v in data.items() if k in fields}, fields, actor=actor, reason=reason)


@transaction.atomic
def update_record(obj, *, actor, data: dict, fields, reason: str = ""):
    """Change a record the actor may write: the values of the fields an edit may change, checked again where
    the record now is."""
    return update(obj, data, fields, actor=actor, reason=reason)


def delete_unless_used(obj, *, actor, reason: str, used_by: str, refusal: str) -> None:
    """Soft-delete obj unless records of its reverse relation `used_by` still point at it: then refuse
    with `refusal`, which may name the record as {obj} and their number as {n}."""
    require_write(actor, obj)
    n = getattr(obj, used_by).count()
    if n:
        raise ValidationError(refusal.format(obj=obj, n=n))
    delete_record(obj, actor=actor, reason=reason)


def save_with_members(obj, *, actor, reason: str = "", members: dict[str, list]) -> None:
    """Save a validated record with its many-to-many members (field name → the members) so that its
    history holds one entry with the fields and the members together (not one entry for the fields and
    more for each member change). The caller has validated obj and the members."""
    creating = obj._state.adding
    stamp(obj, actor, reason)
    obj.skip_history_when_saving = True
    try:
        with transaction.atomic():
            obj.save()
            for field, values in members.items():
                getattr(obj, field).set(values)
    except IntegrityError as exc:
        raise ValidationError(CONFLICT) from exc
    finally:
        del obj.skip_history_when_saving
    obj.save(update_fields=["updated_at"])  # the history entry, now that the members are in place
    if creating:
        obj.history.update(history_type="+")
    require_write(actor, obj)
