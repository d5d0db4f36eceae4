"""Writing ledgers out: the export of a township's (or a county's) records as the workbook the importer reads
(../shared/formats/ledgers.md, "Out"), and the blank template that branches fill in.

Both stream: openpyxl's write-only mode writes each row to a temporary file as it comes, so a county's
hundreds of thousands of rows never sit in memory as cells. One prepared cell per column and kind of value is
filled and handed to openpyxl for each row (openpyxl writes it at once), so that styling a cell costs no new
style lookups.

Layout of an exported sheet: a title row merged across the table, the header row (frozen, repeated on every
printed page), then the data. A leading 序号 column numbers the rows unless the sheet has its own 序号.
Text that Excel would take for a formula (beginning with = + - @) is written as a string cell with the
quote prefix, so that Excel shows it as text and the importer reads back the same text.

The template: the title row, a row of hints (必填/选填, format, the column's note), the header row (required
columns filled in orange; the text is exactly the column name), the sheet's example row, and bordered blank
rows with drop-down lists on the choice columns. The importer recognises the example row with `is_example`.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from . import values as v
from .spec import Column, Row, Sheet, all_sheets, find_sheet

SERIAL = "序号"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
FORMULA_STARTS = ("=", "+", "-", "@")
TEMPLATE_ROWS = 1000  # rows under the header with drop-down lists in the template
TEMPLATE_BORDERED = 200  # of which this many are drawn as an empty table
MAX_LIST_FORMULA = 255  # Excel refuses (asks to repair) a list validation longer than this
MAX_TEXT = 32767  # characters in a cell
LINE_HEIGHT = 14.25  # points, a line of 11 pt 宋体 (Excel's default row height for it)
MAX_ROW_HEIGHT = 409  # points, Excel's limit
UNWRAPPED = ("date", "int", "mobile", "yes_no", "choice")  # short values: never more than a line

FONT = "宋体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")

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

Progress = Callable[[str, int], None]  # (sheet name, rows written), after each sheet


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


# -- cells --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Holder:
    parent: Workbook


class Styles:
    """Style arrays prepared once per workbook: a cell takes one by reference (openpyxl copies it), which
    costs no lookup in the workbook's style collections."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self._cache: dict[tuple, object] = {}

    def get(
        self,
        *,
        number_format="General",
        bold=False,
        size=11,
        italic=False,
        colour=None,
        fill=None,
        border=True,
        horizontal=None,
        wrap=True,
        quote=False,
    ):
        key = (number_format, bold, size, italic, colour, fill, border, horizontal, wrap, quote)
        if key not in self._cache:
            cell = Cell(_Holder(self.workbook))  # a cell reaches the workbook's styles through its sheet
            cell.font = Font(name=FONT, size=size, bold=bold, italic=italic, color=colour)
            if fill is not None:
                cell.fill = fill
            if border:
                cell.border = BORDER
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
            cell.number_format = number_format
            if quote:
                cell.quotePrefix = True
            self._cache[key] = cell._style
        return self._cache[key]


def _cell(ws, value=None, style_array=None) -> Cell:
    """A cell for a write-only sheet (its place is set by openpyxl when the row is written)."""
    return Cell(ws, row=1, column=1, value=value, style_array=style_array)


def _or_same(parse, value):
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
            parsed = _or_same(v.parse_date, value)
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


def _prepare(ws, widths: list[float], header_row: int, *, landscape=True) -> None:
    """What must be set before the first row is written (openpyxl writes the sheet's head then)."""
    _takes_cells(ws)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = (
        Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    )
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.print_title_rows = f"1:{header_row}"


def _title_row(ws, styles: Styles, text: str, width: int) -> None:
    cell = _cell(
        ws, value=text, style_array=styles.get(bold=True, size=16, border=False, horizontal="center")
    )
    ws.row_dimensions[1].height = 32
    ws.append([cell])
    if width > 1:
        ws.merged_cells.add(f"A1:{get_column_letter(width)}1")


def _header_cells(ws, styles: Styles, layout: Layout, *, template: bool) -> list[Cell]:
    cells = []
    if layout.serial:
        cells.append(
            _cell(ws, value=SERIAL, style_array=styles.get(bold=True, fill=HEADER_FILL, horizontal="center"))
        )
    for column in layout.columns:
        fill = REQUIRED_FILL if template and column.required else HEADER_FILL
        cell = _cell(ws, value=column.name, style_array=styles.get(bold=True, fill=fill, horizontal="center"))
        if template:
            comment = Comment(hint_of(column, full=True), "台账")
            comment.width, comment.height = 240, 120
            cell.comment = comment
        cells.append(cell)
    return cells


# -- export -------------------------------------------------------------------------------------------------


def write_ledgers(
    out: str | BinaryIO,
    campaign,
    org,
    *,
    sheets: Iterable[str | Sheet] | None = None,
    org_ids: Iterable[int] | None = None,
    keep_empty: bool = False,
    progress: Progress | None = None,
    viewer=None,
) -> list[tuple[str, int]]:
    """Write the records of `org`'s subtree (or of `org_ids`) in `campaign` to an .xlsx at `out` (a path or a
    binary file object): one worksheet per sheet, all registered sheets or the named ones, in dependency
    order. Returns (sheet name, rows written) for each sheet.

    A sheet without records is left out (0 rows), unless keep_empty: the importer refuses a sheet with a
    header and no rows, and an export must import. If every sheet is empty, the first is written anyway (a
    workbook needs one sheet).

    `viewer`: the user a web download is for (None from the command line: everything). What the pages hide
    from him is hidden in the file too: masked mobiles for a non-admin, the content of talks he may not read."""
    from taizhang.core.scoping import subtree_ids

    chosen = resolve_sheets(sheets)
    ids = frozenset(org_ids) if org_ids is not None else subtree_ids(org.pk)
    campaign_name = (campaign.short_name or campaign.name) if campaign is not None else ""
    workbook = Workbook(write_only=True)
    styles = Styles(workbook)
    written = []
    for sheet in chosen:
        rows = iter(sheet.export_rows(campaign, ids, viewer=viewer))
        first = next(rows, None)
        count = 0
        if first is not None or keep_empty:
            title = f"{org.name if org else ''}{campaign_name}{title_of(sheet)}"
            rows = rows if first is None else itertools.chain([first], rows)
            count = _write_sheet(workbook, styles, sheet, title, rows)
        written.append((sheet.name, count))
        if progress:
            progress(sheet.name, count)
    if not workbook.worksheets:  # no records at all: the first sheet's header, so that the file is a ledger
        if chosen:
            title = f"{org.name if org else ''}{campaign_name}{title_of(chosen[0])}"
            _write_sheet(workbook, styles, chosen[0], title, [])
        else:
            workbook.create_sheet("台账")
    workbook.save(out)
    return written


def _write_sheet(workbook: Workbook, styles: Styles, sheet: Sheet, title: str, rows: Iterable) -> int:
    ws = workbook.create_sheet(sheet.name)
    layout = Layout.of(sheet)
    widths = ([6] if layout.serial else []) + [column_width(c) for c in layout.columns]
    _prepare(ws, widths, header_row=2)
    _title_row(ws, styles, title, layout.width)
    ws.row_dimensions[2].height = 22
    ws.append(_header_cells(ws, styles, layout, template=False))
    makers = [CellMaker(ws, styles, c) for c in layout.columns]
    serial = CellMaker(ws, styles, None) if layout.serial else None
    wrapped = [(i, column_width(c)) for i, c in enumerate(layout.columns) if c.kind not in UNWRAPPED]
    count = 0
    for values in rows:
        count += 1
        values = layout.arrange(values)
        row = [make(value) for make, value in zip(makers, values, strict=True)]
        if serial:
            row.insert(0, serial(count))
        lines = max((text_lines(values[i], width) for i, width in wrapped), default=1)
        if lines > 1:  # Excel and WPS do not fit a row to wrapped text on opening: the row says its height
            number = count + 2
            ws.row_dimensions[number].height = min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT)
            ws.append(row)
            del ws.row_dimensions[number]  # written; not kept for the whole sheet
        else:
            ws.append(row)
    return count


def text_units(text: str) -> float:
    """The width of a text in Excel's units: a CJK (3-byte UTF-8) character is about two, ASCII one."""
    return (len(text.encode("utf-8")) + len(text)) / 2


def text_lines(value, width: float) -> int:
    """The lines a value takes wrapped in a column `width` units wide."""
    if type(value) is not str or (len(value) * 2 < width - 2 and "\n" not in value):
        return 1
    usable = max(width - 2, 1)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in value.split("\n"))


# -- template -----------------------------------------------------------------------------------------------


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
            value = _or_same(v.parse_date, value)
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
        widths = ([6] if layout.serial else []) + [column_width(c) for c in layout.columns]
        _prepare(ws, widths, header_row=header_row)
        _title_row(ws, styles, f"{title_of(sheet)}（填写模板）", layout.width)
        hint_style = styles.get(size=9, italic=True, colour="7F7F7F", horizontal="center")
        hints = [_cell(ws, value="填表说明", style_array=hint_style)] if layout.serial else []
        hints += [_cell(ws, value=hint_of(c), style_array=hint_style) for c in layout.columns]
        # 9 pt type: a column holds 11/9 as many units of it; a line is 12 pt high.
        lines = max(text_lines(c.value, w * 11 / 9) for c, w in zip(hints, widths, strict=True))
        ws.row_dimensions[2].height = 12 * lines + 3
        ws.append(hints)
        ws.row_dimensions[header_row].height = 22
        ws.append(_header_cells(ws, styles, layout, template=True))
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
        value = _or_same(parse, value)
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
