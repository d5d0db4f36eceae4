"""Cells of a write-only workbook, styled once: the styles, the reused cells of a column, the page set-up
and title row of a ledger sheet, and the height a wrapped text takes (ledgers.writing describes the
layout)."""

from __future__ import annotations

import datetime
import decimal
import math
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from . import values as v
from .spec import Column

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_TEXT = 32767  # characters in a cell

FONT = "宋体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class _Holder:
    parent: Workbook


@dataclass(frozen=True)
class CellStyle:
    """How a cell looks, in the terms the ledgers vary: 宋体 at `size`, centred vertically, thin grey borders
    unless `border` is off, wrapped unless `wrap` is off; `quote`: Excel's quote prefix (shown as text)."""

    number_format: str = "General"
    bold: bool = False
    size: int = 11
    italic: bool = False
    colour: str | None = None
    fill: PatternFill | None = None
    border: bool = True
    horizontal: str | None = None
    wrap: bool = True
    quote: bool = False


class Styles:
    """Style arrays prepared once per workbook: a cell takes one by reference (openpyxl copies it), which
    costs no lookup in the workbook's style collections."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self._cache: dict[CellStyle, object] = {}

    def get(self, **style):
        """The style array of CellStyle(**style)."""
        key = CellStyle(**style)
        if key not in self._cache:
            cell = Cell(_Holder(self.workbook))  # a cell reaches the workbook's styles through its sheet
            cell.font = Font(name=FONT, size=key.size, bold=key.bold, italic=key.italic, color=key.colour)
            if key.fill is not None:
                cell.fill = key.fill
            if key.border:
                cell.border = BORDER
            cell.alignment = Alignment(horizontal=key.horizontal, vertical="center", wrap_text=key.wrap)
            cell.number_format = key.number_format
            if key.quote:
                cell.quotePrefix = True
            self._cache[key] = cell._style
        return self._cache[key]


def make_cell(ws, value=None, style_array=None) -> Cell:
    """A cell for a write-only sheet (its place is set by openpyxl when the row is written)."""
    return Cell(ws, row=1, column=1, value=value, style_array=style_array)


def or_same(parse, value):
    """The value parsed, or itself when it does not parse."""
    try:
        return parse(value)
    except ValueError:
        return value


def clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


class _FixedCell(Cell):
    """A reused cell whose style never changes: its style id is looked up in the workbook once, not once
    per row written."""

    __slots__ = ("_style_id",)

    def __init__(self, ws, style_array):
        super().__init__(ws, row=1, column=1, style_array=style_array)
        self._style_id = None

    @property
    def style_id(self):
        if self._style_id is None:
            self._style_id = super().style_id
        return self._style_id


class CellMaker:
    """Cells of one column of one kind of row (data, example). One Cell object per kind of value is reused
    from row to row: openpyxl writes a row's cells as soon as they are given to it."""

    def __init__(self, ws, styles: Styles, column: Column | None, **style):
        kind = column.kind if column else "int"
        self.kind = kind
        horizontal = "center" if kind in ("date", "int", "yes_no", "choice", "mobile") else None
        if column is None:  # 序号
            number_format = "General"
        elif kind == "date":
            number_format = DATE_FORMAT
        elif kind == "int":
            number_format = "General"
        else:
            number_format = TEXT_FORMAT
        base = styles.get(number_format=number_format, horizontal=horizontal, **style)
        quoted = styles.get(number_format=number_format, horizontal=horizontal, quote=True, **style)
        self.plain = _FixedCell(ws, style_array=base)
        self.quoted = _FixedCell(ws, style_array=quoted)

    def __call__(self, value) -> Cell:
        kind = type(value)
        if kind is str and self.kind != "date":
            return self._text(value)
        if kind is int or kind is float or kind is datetime.date:  # the common cases, bound directly
            return self._bind(self.plain, value, "d" if kind is datetime.date else "n")
        if value is None:
            return self._bind(self.plain, None, "n")
        if kind is bool:
            return self._text("是" if value else "否")
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            value = value.replace(tzinfo=None)
            return self(value.date() if value.time() == datetime.time() else value)
        if isinstance(value, str):  # in a date column: a date written as text is written as a date
            parsed = or_same(v.parse_date, value)
            return self._text(value) if parsed is value else self(parsed)
        if not isinstance(value, int | float | decimal.Decimal | datetime.date | datetime.time):
            return self._text(str(value))
        cell = self.plain
        cell.value = value
        return cell

    def _text(self, value: str) -> Cell:
        if not value:
            return self._bind(self.plain, None, "n")
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = clean_text(value)
        value = value[:MAX_TEXT]
        if looks_like_formula(value) or value in ERROR_CODES:
            return self._bind(self.quoted, value, "s")  # never a formula, nor an error code
        return self._bind(self.plain, value, "s")

    @staticmethod
    def _bind(cell: Cell, value, data_type: str) -> Cell:
        cell._value, cell.data_type = value, data_type
        return cell


def _takes_cells(ws) -> None:
    """Let a write-only sheet take rows of ready cells as they are. openpyxl 3.1 first tries each item of a
    row as a value, fails, and only then takes it as a cell: a third of the time of a large export. (Should
    a later openpyxl lack the hook, rows of cells still work, only slower.)"""

    def cells_to_row(cells, row_idx):
        for col_idx, cell in enumerate(cells, start=1):
            cell.column, cell.row = col_idx, row_idx
            yield cell

    if hasattr(ws, "_values_to_row"):
        ws._values_to_row = cells_to_row


def page_layout(ws, widths, header_row: int, *, landscape=True) -> None:
    """A ledger's page: the columns' widths, the rows down to the header frozen and repeated on every printed
    page, A4 fitted to the page width (as many pages down as it takes), centred, page numbers in the footer.
    The top and bottom margins are the caller's."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"1:{header_row}"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = (
        Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    )
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def prepare_sheet(ws, widths: list[float], header_row: int, *, landscape=True) -> None:
    """What must be set before the first row is written (openpyxl writes the sheet's head then)."""
    _takes_cells(ws)
    page_layout(ws, widths, header_row, landscape=landscape)
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3


def title_row(ws, styles: Styles, text: str, width: int) -> None:
    cell = make_cell(
        ws, value=text, style_array=styles.get(bold=True, size=16, border=False, horizontal="center")
    )
    ws.row_dimensions[1].height = 32
    ws.append([cell])
    if width > 1:
        ws.merged_cells.add(f"A1:{get_column_letter(width)}1")


def text_units(text: str) -> float:
    """The width of a text in Excel's units: a CJK (3-byte UTF-8) character is about two, ASCII one."""
    return (len(text.encode("utf-8")) + len(text)) / 2


def text_lines(value, width: float) -> int:
    """The lines a value takes wrapped in a column `width` units wide."""
    if type(value) is not str or (len(value) * 2 < width - 2 and "\n" not in value):
        return 1
    usable = max(width - 2, 1)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in value.split("\n"))
