"""The statistics table (进展情况统计表), computed: one row per organisation directly under the chosen one (the
grassroots organisations of a township, the townships of a county), one column per computable indicator, a
total row. Writing it to Excel or Word is reports/stats_files.py.

The rows come from one tree query, and their figures from the engine's `compute_rows`: one query per model
for all rows and the total together, so the table costs 1 + models queries whatever the number of rows or
records. The total is computed over the whole subtree, so the committee's
own records (its central-group study, its leadership's problems) are in it; they show as a row of their own
(本级) so that the total is the sum of the rows. A figure that counts distinct things across organisations, or
a percentage, is not a sum of the rows: the total is the engine's figure for the whole subtree and a note
says which columns do not add up.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from taizhang.core.dates import cn_date
from taizhang.indicators.engine import compute_rows, indicators_of
from taizhang.orgs.models import Organisation

from .summary import campaign_short_name, place_name


@dataclass(frozen=True)
class StatsColumn:
    code: str
    label: str
    unit: str
    part: str

    @property
    def header(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    @property
    def cell_header(self) -> str:
        """The header of a table cell: the unit on a line of its own."""
        return f"{self.label}\n（{self.unit}）" if self.unit else self.label


@dataclass
class StatsRow:
    number: int | None  # 序号; None for the 本级 and 合计 rows
    name: str
    org_id: int | None
    values: list[int | None]
    kind: str = "org"  # org | own | total


@dataclass
class StatsTable:
    campaign: object
    org: Organisation
    as_of: datetime.date | None
    title: str
    columns: list[StatsColumn]
    rows: list[StatsRow]
    own: StatsRow | None
    total: StatsRow
    not_additive: list[str] = field(default_factory=list)  # headers of columns whose rows do not add up

    @property
    def all_rows(self) -> list[StatsRow]:
        return [*self.rows, *([self.own] if self.own else []), self.total]

    @property
    def scope_text(self) -> str:
        when = f"截至{cn_date(self.as_of)}" if self.as_of else "截至目前（全部记录）"
        return f"统计范围：{self.org.name}　{when}"

    @property
    def notes(self) -> list[str]:
        notes = []
        if self.own is not None:
            notes.append(f"“{self.own.name}”为{self.org.name}自身的记录（不属于下级组织），合计含本级。")
        if self.not_additive:
            notes.append(f"{'、'.join(self.not_additive)}为整体的数字（百分比或不重复计数），不是各行之和。")
        return notes


def _rows_of(root: Organisation) -> tuple[list[Organisation], dict[int, frozenset[int]], frozenset[int]]:
    """The organisations directly under root (retired ones too), each with its subtree, and the whole subtree:
    one tree query."""
    nodes = list(Organisation.objects.descendants(root).order_siblings_by("order", "name"))
    children = [n for n in nodes if n.parent_id == root.pk]
    members: dict[int, set[int]] = {c.pk: {c.pk} for c in children}
    for node in nodes:
        path = list(node.tree_path)
        child = path[path.index(root.pk) + 1]
        if child in members:
            members[child].add(node.pk)
    whole = frozenset({root.pk, *(n.pk for n in nodes)})
    return children, {pk: frozenset(ids) for pk, ids in members.items()}, whole


def build_stats(campaign, org: Organisation, *, as_of: datetime.date | None = None) -> StatsTable:
    indicators = indicators_of(campaign)
    columns = [StatsColumn(i.code, i.label, i.unit, i.part) for i in indicators]
    ratios = {i.code for i in indicators if i.is_ratio}
    codes = [c.code for c in columns]
    children, subtrees, whole = _rows_of(org)
    sets: dict[object, frozenset[int]] = {child.pk: subtrees[child.pk] for child in children}
    sets["own" if children else org.pk] = frozenset({org.pk})
    if children:
        sets["total"] = whole
    values = compute_rows(campaign, sets, as_of=as_of, indicators=indicators)
    totals = values["total"] if children else values[org.pk]
    rows = []
    for child in children or [org]:
        row = [values[child.pk][code] for code in codes]
        if child.retired_at is not None and not any(row):
            continue  # a retired organisation without records in the campaign is no row
        name = f"{child.name}（已撤销）" if child.retired_at is not None else child.name
        rows.append(StatsRow(len(rows) + 1, name, child.pk, row))
    total = [totals[code] for code in codes]
    own = None
    not_additive = []
    if children:
        own_values = [None if code in ratios else values["own"][code] for code in codes]
        if any(own_values):
            own = StatsRow(None, f"{org.name}（本级）", org.pk, own_values, kind="own")
        summed = [*rows, *([own] if own else [])]
        for i, column in enumerate(columns):
            if column.code in ratios or total[i] != sum(r.values[i] or 0 for r in summed):
                not_additive.append(column.header)
    title = f"{place_name(org)}{campaign_short_name(campaign)}进展情况统计表"
    return StatsTable(
        campaign=campaign,
        org=org,
        as_of=as_of,
        title=title,
        columns=columns,
        rows=rows,
        own=own,
        total=StatsRow(None, "合计", org.pk, total, kind="total"),
        not_additive=not_additive,
    )
