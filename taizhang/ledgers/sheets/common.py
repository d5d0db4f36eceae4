"""Helpers the sheets share: the records a file's rows stand for (recorded); and, for the sheets whose records
are a township's own and carry no organisation column (the research ledgers and 为民办实事) and their exports,
who may import, which township a row belongs to, what a 责任单位 cell stands for, a natural key twice in a
file, the records of a campaign.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import Q

from taizhang.core.scoping import subtree_ids
from taizhang.orgs.models import Member

from ..values import text


def recorded(ctx, records, fields: tuple[str, ...], keys) -> dict[tuple, object]:
    """The records (a queryset) a file's rows may stand for, by their natural key, as this import has them
    so far (its new ones included: ctx.fetch): `fields` name the key's attributes (ids for relations:
    "organisation_id"), `keys` are the rows' keys in that order. One query, narrowed on each field to the
    rows' values; a row finds its record by its whole key."""
    keys = list(keys)
    narrowed = ctx.fetch(
        records, **{f"{name}__in": {key[i] for key in keys} for i, name in enumerate(fields)}
    )
    return {tuple(getattr(r, name) for name in fields): r for r in narrowed}


def admins_only(ctx, what: str) -> bool:
    """Research records are written by township admins only (research/services.py); one error for the sheet."""
    if ctx.scope.is_admin:
        return True
    ctx.error(None, "", f"只有乡党委管理员可以导入{what}，本表不能导入")
    return False


def first_of_key(ctx, seen: dict, key, row, column: str, what: str) -> bool:
    """Whether this row is the first of its natural key in the file; an error naming the other row if not
    (what: the key's columns, e.g. 日期和调研地点)."""
    if key in seen:
        ctx.error(row, column, f"与第{seen[key]}行的{what}相同，同一条记录只能填写一行", row[column])
        return False
    seen[key] = row.number
    return True


def people_township(ctx, row, people, unit_column: str = ""):
    """The township of a row without an organisation column: that of the people it names; else that of the
    organisation its 责任单位 names when the name is of one township only; else the default one."""
    people = [p for p in people if p is not None]
    if people:
        return ctx.row_township(row, members=people)
    if unit_column:
        name = text(row[unit_column])
        townships = {ctx.township_id(o) for o in ctx.orgs_by_name.get(name, [])} - {None}
        if len(townships) == 1:
            return ctx.orgs_by_pk[townships.pop()]
    return ctx.row_township(row)


def responsible_unit(ctx, row, column: str, township):
    """(organisation, unit name) of a 责任单位 cell, "an organisation or free text": an organisation of the
    township by its name or short name; other text is the name of a unit that is no party organisation, held
    by the township committee (as the forms store it); blank is the committee. None after an error."""
    name = text(row[column])
    if not name:
        return township, ""
    candidates = [o for o in ctx.orgs_by_name.get(name, []) if ctx.township_id(o) is not None]
    inside = list(dict.fromkeys(o for o in candidates if ctx.township_id(o) == township.pk))
    if len(inside) == 1:
        return inside[0], ""
    if len(inside) > 1:
        names = "、".join(o.name for o in inside)
        ctx.error(row, column, f"有{len(inside)}个组织叫这个名称（{names}），请写组织全称", name)
        return None
    if candidates:
        where = "、".join(dict.fromkeys(ctx.township(o).name for o in candidates))
        ctx.error(row, column, f"这是{where}的组织，不是{township.name}的；本行属于{township.name}", name)
        return None
    return township, name


def writable_unit(ctx, row, column: str, org) -> bool:
    """ctx.writable for the organisation a 责任单位 cell stands for, saying so when the cell is a unit's name
    (held by the township committee) rather than the organisation's."""
    cell = text(row[column])
    if cell and cell not in (org.name, org.short_name) and not ctx.scope.can_write(org.pk):
        ctx.error(
            row, column, f"不是党组织的责任单位记在{org.name}名下，不在您的管理范围内，本行不能导入", cell
        )
        return False
    return ctx.writable(row, column, org)


def validate_as(ctx, row, column: str, obj, what: str) -> bool:
    """Validate a record a row implies (a new topic, a new enterprise); every message is put on one column."""
    planned = ctx.plan.attach(obj)  # relations to records this import adds: not in the database yet
    try:
        obj.clean_fields(exclude=planned)
        obj.clean()
    except ValidationError as exc:
        for message in exc.messages:
            ctx.error(row, column, f"{what}：{message}", row[column])
        return False
    return True


def save_one(obj, ctx) -> None:
    """Save one record (for the few a sheet implies) with its history entry, counted nowhere."""
    ctx.save(obj)


def in_campaign(campaign, field: str, *, or_unknown: bool = False) -> Q:
    """Records of the campaign, for records without a campaign: the date in its period (or unknown), as the
    indicators count them (`within`)."""
    if campaign is None:
        return Q()
    q = Q(**{f"{field}__range": (campaign.start_date, campaign.end_date)})
    return q | Q(**{f"{field}__isnull": True}) if or_unknown else q


def of_campaign(records, campaign, org_ids, dated: str, *, or_unknown: bool = False):
    """The exported organisations' records (a queryset) that the campaign counts by their date `dated`."""
    return records.filter(in_campaign(campaign, dated, or_unknown=or_unknown), organisation__in=org_ids)


def campaign_records(records, campaign, org_ids, dated: str, *, or_unknown=False, township="organisation_id"):
    """(records, names to qualify) of an export whose rows name people: of_campaign() read into a list, and
    shared_names() of the townships the records belong to (`township`: the attribute holding its id)."""
    records = list(of_campaign(records, campaign, org_ids, dated, or_unknown=or_unknown))
    return records, shared_names(org_ids, {getattr(r, township) for r in records})


def shared_names(org_ids, township_ids) -> set[str]:
    """Names to write 姓名（组织名称）: shared by two members of the exported organisations or of the
    townships the records belong to (a leader may be of the township, outside an exported branch)."""
    wide = set(org_ids)
    for township_id in set(township_ids) - {None}:
        wide |= subtree_ids(township_id)
    return qualified_names(wide)


def qualified_names(org_ids) -> set[str]:
    """Names shared by two or more members in the exported organisations: written 姓名（组织名称）."""
    counts = Counter(Member.objects.filter(organisation__in=org_ids).values_list("name", flat=True))
    return {name for name, n in counts.items() if n > 1}


def person(member: Member, shared: set[str]) -> str:
    return f"{member.name}（{member.organisation.name}）" if member.name in shared else member.name
