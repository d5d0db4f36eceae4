"""Validation rules that the record models of several areas apply alike: a date not in the future, the
people named on a record belonging to its organisation, and validation messages that name the field."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .deadlines import today
from .scoping import subtree_ids


def not_in_future(value, field: str, label: str) -> None:
    """A date that has happened (a visit, a completion): not after today."""
    if value is not None and value > today():
        raise ValidationError({field: f"{label}不能晚于今天。"})


def related_if_set(obj, field: str):
    """The related object of a required foreign key, or None while it is not set (a form that refused the
    value still runs the model's validation)."""
    return getattr(obj, field) if getattr(obj, f"{field}_id") is not None else None


def check_members_within(root_id: int | None, members: dict[str, object], where: str) -> None:
    """Each named member must belong to the organisation root_id or below it (one query for all); the
    message says where as `where` (“本乡”, “西岭村党支部”).

    members: field name → a Member, or a list of Members (for a many-to-many field)."""
    people = [
        (field, m)
        for field, value in members.items()
        for m in (value if isinstance(value, list | tuple) else [value])
        if m is not None
    ]
    if not people or root_id is None:
        return
    inside = subtree_ids(root_id)
    errors: dict[str, list[str]] = {}
    for field, member in people:
        if member.organisation_id not in inside:
            errors.setdefault(field, []).append(f"{member.name}不是{where}的党员。")
    if errors:
        raise ValidationError(errors)


def name_the_fields(*record_models) -> None:
    """Validation messages that name the field (请填写调研地点。), for writes that do not come from a form
    (services called directly, imports). Set on the field instances, so migrations do not see them."""
    for model in record_models:
        for f in model._meta.fields:
            label = f.verbose_name
            f.error_messages = {
                **f.error_messages,
                "blank": f"请填写{label}。",
                "null": f"请填写{label}。",
                "invalid_choice": f"{label}的值“%(value)s”不在可选范围内。",
            }
