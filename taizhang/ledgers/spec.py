"""What a ledger sheet is: its name, its columns (the contract of ../shared/formats/ledgers.md), how its rows
are loaded into records and how its records are written back out. Each area declares its own sheets in
`taizhang/ledgers/sheets/<area>.py`; the reading, the errors, the transaction and the files are shared.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field

from taizhang.core.cleaning import DATE_RULES, TEXT_LIMIT, limit_of

# Kinds of column. The first ones are parsed by the importer itself; names of people and organisations are
# resolved by the sheet through the import context, which knows the townships and the members.
PARSED = ("text", "date", "month", "int", "mobile", "choice", "yes_no")
RESOLVED = ("member", "members", "org", "org_or_text", "speaker")
KINDS = PARSED + RESOLVED


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"
    required: bool = False
    key: bool = False  # part of the natural key (†): a row with the same key updates in place
    choices: tuple[str, ...] = ()
    width: int = 0  # characters; 0: from the name and kind
    note: str = ""  # shown in the template under the header
    field: str = ""  # "app.Model.field" a text column is stored in: its max_length limits the cell
    rule: str = (
        ""  # a date column's bound by meaning, a name in cleaning.DATE_RULES (join, meeting, deadline)
    )

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert self.kind != "choice" or self.choices, self.name
        assert not self.rule or (self.rule in DATE_RULES and self.kind == "date"), self.rule

    @property
    def text_limit(self) -> int:
        """The characters a cell may hold: its field's max_length, or cleaning.TEXT_LIMIT."""
        if not self.field:
            return TEXT_LIMIT
        from django.apps import apps

        app_model, name = self.field.rsplit(".", 1)
        return limit_of(apps.get_model(app_model), name)

    @property
    def display_width(self) -> int:
        if self.width:
            return self.width
        base = {"date": 12, "month": 10, "mobile": 14, "members": 30, "int": 8, "yes_no": 8}.get(
            self.kind, 14
        )
        return max(base, 2 * len(self.name) + 4)


@dataclass
class Row:
    """One data row: its Excel row number and its values by column name (parsed for the PARSED kinds; text
    for the others; None for a blank cell of any kind but text, which is "")."""

    number: int
    values: dict[str, object]
    present: frozenset[str] | None = None  # the sheet's columns its header has (None: all of them)

    def __getitem__(self, name: str):
        return self.values.get(name)

    def has(self, name: str) -> bool:
        """Whether the sheet has this column at all: a column left out of a sheet leaves its field alone."""
        return self.present is None or name in self.present


@dataclass
class Sheet:
    name: str
    columns: tuple[Column, ...]
    order: int  # dependency order: 组织 10, 党员 20, 组织 secretaries 30, the rest after
    title: str = ""  # the title row of an export: "{township}{campaign}{title}"; default the sheet name
    example: tuple = ()  # one example row for the template, in column order
    chunk: int | None = 2000  # rows loaded at a time (None: the whole sheet at once)
    loader: object = None  # load(rows: list[Row], ctx) -> None
    exporter: object = None  # rows(campaign, org_ids) -> Iterable[tuple] in column order
    aliases: tuple[str, ...] = field(default=())  # other sheet names accepted on import

    @property
    def required(self) -> set[str]:
        return {c.name for c in self.columns if c.required}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def load(self, rows: list[Row], ctx) -> None:
        self.loader(rows, ctx)

    def export_rows(self, campaign, org_ids: frozenset[int], *, viewer=None) -> Iterable[tuple]:
        """The rows to write; an exporter that hides things from some readers takes `viewer` (None: the
        command line, which sees everything)."""
        if "viewer" in inspect.signature(self.exporter).parameters:
            return self.exporter(campaign, org_ids, viewer=viewer)
        return self.exporter(campaign, org_ids)


SHEETS: dict[str, Sheet] = {}


def register(sheet: Sheet) -> Sheet:
    SHEETS[sheet.name] = sheet
    return sheet


def all_sheets() -> list[Sheet]:
    """Every registered sheet (the areas' modules register theirs when the app is ready, see apps.py)."""
    return sorted(SHEETS.values(), key=lambda s: s.order)


def find_sheet(title: str) -> Sheet | None:
    name = "".join(str(title).split())
    for sheet in all_sheets():
        if name == sheet.name or name in sheet.aliases:
            return sheet
    return None


def cn_date(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""
