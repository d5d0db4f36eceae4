"""The dashboard of an organisation: its figures by part, what changed in the last days, and a table of the
organisations directly under it (grassroots organisations of a township, townships of a county) with the
weakest highlighted. Plain data; the template only draws it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Value
from django.utils import timezone

from taizhang.core.scoping import is_everything, orgs_lookup, subtree_ids
from taizhang.orgs.models import Organisation

from .engine import Indicator, compute_rows, indicators_of
from .selectors import FigureTable, figure_table


@dataclass
class Row:
    org: Organisation
    values: dict[str, int | None]
    weakest: bool = False
    low: set[str] = field(default_factory=set)  # codes in which this row is the lowest


@dataclass
class OrgTable:
    columns: list[Indicator]
    rows: list[Row]
    total: dict[str, int | None]


@dataclass
class Change:
    label: str
    added: int
    changed: int
    deleted: int


@dataclass
class Dashboard:
    figures: FigureTable
    table: OrgTable | None
    changes: list[Change]
    days: int


def children_rows(root: Organisation) -> dict[Organisation, frozenset[int]]:
    """The organisations directly under root, each with its subtree: one tree query."""
    nodes = list(
        Organisation.objects.descendants(root)
        .filter(retired_at__isnull=True)
        .order_siblings_by("order", "name")
    )
    children = [n for n in nodes if n.parent_id == root.pk]
    members: dict[int, set[int]] = {c.pk: {c.pk} for c in children}
    for node in nodes:
        path = list(node.tree_path)
        child = path[path.index(root.pk) + 1]  # the child of root on the way down to node
        if child in members:
            members[child].add(node.pk)
    return {child: frozenset(members[child.pk]) for child in children}


def org_table(
    campaign, root: Organisation, *, as_of=None, indicators: list[Indicator] | None = None
) -> tuple[OrgTable | None, dict[str, int | None]]:
    """The table of the organisations directly under root, and root's own figures (its total row: they
    include what root organised itself, and distinct counts and percentages are not sums of the rows), all
    from one pass of the engine."""
    indicators = indicators if indicators is not None else indicators_of(campaign)
    columns = [i for i in indicators if i.table]
    groups = children_rows(root) if columns else {}
    sets: dict[object, frozenset[int]] = {org.pk: ids for org, ids in groups.items()}
    sets["total"] = subtree_ids(root.pk)
    values = compute_rows(campaign, sets, as_of=as_of, indicators=indicators)
    total = values["total"]
    if not groups:
        return None, total
    rows = [Row(org, values[org.pk]) for org in groups]
    _mark_weakest(rows, columns)
    return OrgTable(columns, rows, total), total


def _mark_weakest(rows: list[Row], columns: list[Indicator]) -> None:
    """Per column, the rows with the weakest value (the lowest, or the highest where lower is better, as for
    overdue measures); overall, the row with the lowest mean percentage (or, with no percentage columns, the
    most columns at the bottom)."""
    if len(rows) < 2:
        return
    for column in columns:
        present = [r.values.get(column.code) for r in rows if r.values.get(column.code) is not None]
        if len(set(present)) < 2:
            continue
        weakest_value = max(present) if column.lower_is_better else min(present)
        for row in rows:
            if row.values.get(column.code) == weakest_value:
                row.low.add(column.code)
    percentages = [c.code for c in columns if c.unit == "%"]

    def score(row: Row):
        if percentages:
            shares = [row.values[c] for c in percentages if row.values.get(c) is not None]
            return (sum(shares) / len(shares)) if shares else 101
        return -len(row.low)

    weakest = min(rows, key=score)
    if score(weakest) != 101 and (percentages or weakest.low):
        weakest.weakest = True


def recent_changes(
    root: Organisation, *, days: int = 7, now: datetime.datetime | None = None
) -> list[Change]:
    """For each kind of record kept with history, how many were added, changed and deleted in the last
    `days` calendar days (today and the days before it) within root's subtree: one query (a union of one small
    count per kind), kept until the data changes or the day turns."""
    from .cache import cached

    now = timezone.localtime(now) if now is not None else timezone.localtime()
    first_day = now.date() - datetime.timedelta(days=days - 1)
    since = now.replace(
        year=first_day.year,
        month=first_day.month,
        day=first_day.day,
        hour=0,
        minute=0,
        second=0,
        microsecond=0,
    )
    return cached(("changes", root.pk, since), lambda: _recent_changes(root, since))


def _recent_changes(root: Organisation, since: datetime.datetime) -> list[Change]:
    org_ids = subtree_ids(root.pk)
    everything = is_everything(org_ids)
    kinds, counts = [], []
    for model in apps.get_models():
        history = getattr(model, "history", None)
        path = getattr(model, "scope_path", None)
        if history is None or path is None or not model.__module__.startswith("taizhang."):
            continue
        counts.append(
            history.model.objects.filter(history_date__gte=since)
            .filter(**orgs_lookup(path if path else "id", org_ids, everything=everything))
            .order_by()
            .values("history_type")
            .annotate(n=Count("pk"), kind=Value(len(kinds)))
            .values_list("kind", "history_type", "n")
        )
        kinds.append(str(model._meta.verbose_name_plural))
    if not counts:
        return []
    by_kind: dict[int, dict[str, int]] = {}
    for kind, history_type, n in counts[0].union(*counts[1:], all=True):
        by_kind.setdefault(kind, {})[history_type] = n
    return [
        Change(kinds[kind], found.get("+", 0), found.get("~", 0), found.get("-", 0))
        for kind, found in sorted(by_kind.items())
    ]


def dashboard(campaign, root: Organisation, *, as_of=None, days: int = 7) -> Dashboard:
    indicators = indicators_of(campaign)
    table, total = org_table(campaign, root, as_of=as_of, indicators=indicators)
    return Dashboard(
        figures=figure_table(campaign, root, as_of, values=total, indicators=indicators),
        table=table,
        changes=recent_changes(root, days=days),
        days=days,
    )
