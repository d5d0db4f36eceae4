"""What the rectification sheets share: errors that name the ledger's column, the members a cell names, a
record's list of people (谈话对象, 检查人) as it is written and as it is read back."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from taizhang.orgs.models import Member

from ..spec import Row
from ..values import text
from .common import person


def validate(ctx, row: Row, obj, columns: dict[str, str], *, exclude=(), rows=None) -> bool:
    """Like ctx.validate, but each error names the ledger's column (columns: model field -> column name, ""
    for none) and shows the cell's value; rows: column -> the row that gave it (a problem's several rows)."""
    planned = ctx.plan.attach(obj)  # relations to records this import adds: not in the database yet
    try:
        obj.clean_fields(exclude=[*exclude, *planned])
        obj.clean()
    except ValidationError as exc:
        items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
        for name, messages in items:
            column = columns.get(name, "")
            where = (rows or {}).get(column, row)
            value = where[column] if column else ""
            for message in messages:
                ctx.error(where, column, message, value)
        return False
    return True


def member_cell(ctx, row: Row, column: str, township) -> tuple[Member | None, bool]:
    """The member a cell names (None when blank) and whether the cell is right."""
    if not text(row[column]):
        return None, True
    member = ctx.member(row, column, township=township)
    return member, member is not None


def set_people(ctx, obj, manager_name: str, members: list[Member]) -> bool:
    """Set a many-to-many list of members (with history) when it differs; whether it does."""
    return ctx.set_people(obj, manager_name, members)


def members_outside(ctx, members, township) -> list[str]:
    return [m.name for m in members if ctx.township_id(m.organisation) != township.pk]


def people_of(through, key: str, records) -> dict[int, list[Member]]:
    """The members of each record's list of people, in the order they were set, by record id: `through` is
    the list's table, `key` its foreign key to the record."""
    pairs = list(
        through.objects.filter(**{f"{key}__in": records}).order_by("pk").values_list(f"{key}_id", "member_id")
    )
    members = {
        m.pk: m
        for m in Member.all_objects.filter(pk__in={m for _, m in pairs}).select_related("organisation")
    }
    people: dict[int, list[Member]] = {}
    for record_id, member_id in pairs:
        people.setdefault(record_id, []).append(members[member_id])
    return people


def names(members, shared: set[str]) -> str:
    """A list of people as the ledger writes it: 张三、李四, a shared name with its organisation."""
    return "、".join(person(m, shared) for m in members)
