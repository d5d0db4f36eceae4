"""Which sheets are written and how their columns are laid out: the 序号 column, widths, titles, the hints
on a template's columns and the header row (ledgers.writing describes the layout)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment

from .spec import Column, Sheet, all_sheets, find_sheet
from .writing_cells import HEADER_FILL, REQUIRED_FILL, Styles, make_cell

SERIAL = "序号"

KIND_HINTS = {
    "date": "日期，如2023-09-15",
    "month": "月份，如2023-09",
    "int": "整数",
    "mobile": "11位手机号码",
    "choice": "从下拉列表选择",
    "yes_no": "是/否",
    "member": "党员姓名，重名写 姓名（组织名称）",
    "members": "党员姓名，用“、”分隔",
    "org": "组织名称",
    "org_or_text": "组织名称或单位",
    "speaker": "党员姓名或 姓名（单位）",
}


class SheetUnknown(ValueError):
    """A sheet name that no registered sheet has; the message is Chinese."""


# -- which sheets, which columns --------------------------------------------------------------------------


def resolve_sheets(names: Iterable[str | Sheet] | None = None) -> list[Sheet]:
    """The registered sheets (in dependency order), or the named ones; SheetUnknown for a name no sheet has."""
    if names is None:
        return all_sheets()
    chosen, unknown = [], []
    for name in names:
        sheet = name if isinstance(name, Sheet) else find_sheet(name)
        if sheet is None:
            unknown.append(str(name))
        elif sheet not in chosen:
            chosen.append(sheet)
    if unknown:
        known = "、".join(s.name for s in all_sheets())
        raise SheetUnknown(f"没有名为“{'、'.join(unknown)}”的台账工作表，应为{known}之一。")
    return sorted(chosen, key=lambda s: s.order)


@dataclass(frozen=True)
class Layout:
    """The written columns of a sheet: its own columns (its 序号 moved first, if it has one) and whether a
    序号 column is added in front. `order[i]` is the position in the sheet's column order of written column i
    (after the added 序号, if any)."""

    sheet: Sheet
    serial: bool
    columns: tuple[Column, ...]
    order: tuple[int, ...]

    @classmethod
    def of(cls, sheet: Sheet) -> Layout:
        names = [c.name for c in sheet.columns]
        order = list(range(len(names)))
        if SERIAL in names:
            own = names.index(SERIAL)
            order = [own] + [i for i in order if i != own]
        return cls(sheet, SERIAL not in names, tuple(sheet.columns[i] for i in order), tuple(order))

    @property
    def width(self) -> int:
        return len(self.columns) + self.serial

    @property
    def widths(self) -> list[float]:
        """The written columns' widths, the added 序号's first."""
        return ([6] if self.serial else []) + [column_width(c) for c in self.columns]

    def arrange(self, values) -> list:
        values = list(values)
        return [values[i] if i < len(values) else None for i in self.order]


def column_width(column: Column) -> float:
    """Excel width units (a CJK character is about 2): the column's display width, and at least its name."""
    return max(column.display_width, 2 * len(column.name) + 4)


def title_of(sheet: Sheet) -> str:
    if sheet.title:
        return sheet.title
    return sheet.name if sheet.name.endswith(("台账", "清单")) else f"{sheet.name}台账"


def hint_of(column: Column, *, full: bool = False) -> str:
    """The hint shown above a template's header (short) and in its comment (full)."""
    parts = []
    if "必填" not in column.note and "选填" not in column.note:  # the note may say it itself
        parts.append("必填" if column.required else "选填")
    if column.note:  # the column's own words; else what its kind takes
        parts.append(column.note)
    elif column.kind in KIND_HINTS:
        parts.append(KIND_HINTS[column.kind])
    if full and column.choices:
        parts.append("可选：" + "、".join(column.choices))
    if full and column.key:
        parts.append("与已有记录相同时更新该记录")
    return "；".join(parts)


def header_cells(ws, styles: Styles, layout: Layout, *, template: bool) -> list[Cell]:
    cells = []
    if layout.serial:
        cells.append(
            make_cell(
                ws, value=SERIAL, style_array=styles.get(bold=True, fill=HEADER_FILL, horizontal="center")
            )
        )
    for column in layout.columns:
        fill = REQUIRED_FILL if template and column.required else HEADER_FILL
        cell = make_cell(
            ws, value=column.name, style_array=styles.get(bold=True, fill=fill, horizontal="center")
        )
        if template:
            comment = Comment(hint_of(column, full=True), "台账")
            comment.width, comment.height = 240, 120
            cell.comment = comment
        cells.append(cell)
    return cells
