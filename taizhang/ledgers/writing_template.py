"""The blank template that branches fill in, and its example row, which the importer recognises
(ledgers.writing describes the layout)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import values as v
from .spec import Column, Row, Sheet
from .writing_cells import (
    EXAMPLE_FILL,
    CellMaker,
    Styles,
    make_cell,
    or_same,
    prepare_sheet,
    text_lines,
    title_row,
)
from .writing_layout import Layout, header_cells, hint_of, resolve_sheets, title_of

TEMPLATE_ROWS = 1000  # rows under the header with drop-down lists in the template
TEMPLATE_BORDERED = 200  # of which this many are drawn as an empty table
MAX_LIST_FORMULA = 255  # Excel refuses (asks to repair) a list validation longer than this


def list_formula(choices: Iterable[str]) -> str | None:
    """An Excel list validation's formula ("a,b,c", quoted); None when Excel could not take it."""
    choices = list(choices)
    if not choices or any("," in c or '"' in c for c in choices):
        return None
    formula = '"' + ",".join(choices) + '"'
    return formula if len(formula) <= MAX_LIST_FORMULA else None


def _validation(column: Column, ref: str) -> DataValidation | None:
    choices = column.choices or (("是", "否") if column.kind == "yes_no" else ())
    formula = list_formula(choices)
    if formula is None:
        return None
    listed = "、".join(choices)
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误"[:32],
        error=f"请从下拉列表中选择：{listed}"[:255],
        showInputMessage=False,
    )
    dv.add(ref)
    return dv


def example_values(sheet: Sheet) -> list:
    """The sheet's example row as cell values: dates as dates, numbers as numbers, in column order."""
    values = list(sheet.example) + [None] * (len(sheet.columns) - len(sheet.example))
    out = []
    for column, value in zip(sheet.columns, values, strict=False):
        if column.kind == "date" and isinstance(value, str) and value:
            value = or_same(v.parse_date, value)
        elif column.kind == "int" and isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        elif column.kind == "mobile" and value is not None:
            value = v.text(value)
        out.append(value)
    return out


def write_template(out: str | BinaryIO, *, sheets: Iterable[str | Sheet] | None = None) -> list[str]:
    """A blank workbook to fill in: per sheet a title, a hints row, the header (required columns in orange,
    each with a comment saying what goes in), the example row, and blank rows with drop-down lists on the
    choice columns. Returns the names of the sheets written."""
    chosen = resolve_sheets(sheets)
    workbook = Workbook(write_only=True)
    styles = Styles(workbook)
    header_row = 3
    for sheet in chosen:
        ws = workbook.create_sheet(sheet.name)
        layout = Layout.of(sheet)
        widths = layout.widths
        prepare_sheet(ws, widths, header_row=header_row)
        title_row(ws, styles, f"{title_of(sheet)}（填写模板）", layout.width)
        hint_style = styles.get(size=9, italic=True, colour="7F7F7F", horizontal="center")
        hints = [make_cell(ws, value="填表说明", style_array=hint_style)] if layout.serial else []
        hints += [make_cell(ws, value=hint_of(c), style_array=hint_style) for c in layout.columns]
        # 9 pt type: a column holds 11/9 as many units of it; a line is 12 pt high.
        lines = max(text_lines(c.value, w * 11 / 9) for c, w in zip(hints, widths, strict=True))
        ws.row_dimensions[2].height = 12 * lines + 3
        ws.append(hints)
        ws.row_dimensions[header_row].height = 22
        ws.append(header_cells(ws, styles, layout, template=True))
        example = dict(italic=True, colour="595959", fill=EXAMPLE_FILL)
        makers = [CellMaker(ws, styles, c, **example) for c in layout.columns]
        row = [make(value) for make, value in zip(makers, layout.arrange(example_values(sheet)), strict=True)]
        if layout.serial:
            row.insert(0, CellMaker(ws, styles, None, **example)("示例"))
        ws.append(row)
        blank = [CellMaker(ws, styles, c) for c in layout.columns]
        if layout.serial:
            blank.insert(0, CellMaker(ws, styles, None))
        for _ in range(TEMPLATE_BORDERED):
            ws.append([make(None) for make in blank])
        first, last = header_row + 1, header_row + TEMPLATE_ROWS
        for index, column in enumerate(layout.columns, start=1 + layout.serial):
            letter = get_column_letter(index)
            dv = _validation(column, f"{letter}{first}:{letter}{last}")
            if dv is not None:
                ws.data_validations.append(dv)
    if not chosen:
        workbook.create_sheet("台账")
    workbook.save(out)
    return [s.name for s in chosen]


# -- the example row, for the importer ----------------------------------------------------------------------


def _normal(column: Column, value) -> str:
    """A value as comparable text: dates in ISO form, numbers without .0, names in a list joined by 、,
    no spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    parse = {"date": v.parse_date, "int": v.parse_int, "mobile": v.parse_mobile}.get(column.kind)
    if parse is not None and not v.is_blank(value):
        value = or_same(parse, value)
    if column.kind == "date" and isinstance(value, datetime.date):
        return value.isoformat()
    if column.kind == "members":
        return "、".join(v.split_names(value))
    return "".join(v.text(value).split())


def is_example(sheet: Sheet, values) -> bool:
    """True when a row is the sheet's example row (the template's): `values` in the sheet's column order (a
    list or tuple, raw cell values or parsed), or a Row / {column name: value}. Dates, numbers, spaces and
    name separators are compared as text, so the row read back from the template matches."""
    if not sheet.example:
        return False
    if isinstance(values, Row):
        values = values.values
    if isinstance(values, Mapping):
        values = [values.get(c.name) for c in sheet.columns]
    values = list(values)
    example = list(sheet.example)
    n = len(sheet.columns)
    values += [None] * (n - len(values))
    example += [None] * (n - len(example))
    return all(
        _normal(column, got) == _normal(column, want)
        for column, got, want in zip(sheet.columns, values[:n], example[:n], strict=True)
    )
