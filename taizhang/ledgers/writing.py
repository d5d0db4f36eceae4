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

import itertools
from collections.abc import Callable, Iterable
from typing import BinaryIO

from openpyxl import Workbook

from .spec import Sheet
from .writing_cells import CellMaker, Styles, prepare_sheet, text_lines, title_row
from .writing_layout import Layout, SheetUnknown, column_width, header_cells, resolve_sheets, title_of
from .writing_template import TEMPLATE_ROWS, is_example, list_formula, write_template

# What other code takes from here; the parts are writing_cells, writing_layout and writing_template.
__all__ = [
    "TEMPLATE_ROWS",
    "CellMaker",
    "Layout",
    "SheetUnknown",
    "Styles",
    "is_example",
    "list_formula",
    "resolve_sheets",
    "text_lines",
    "title_of",
    "write_ledgers",
    "write_template",
]

LINE_HEIGHT = 14.25  # points, a line of 11 pt 宋体 (Excel's default row height for it)
MAX_ROW_HEIGHT = 409  # points, Excel's limit
UNWRAPPED = ("date", "int", "mobile", "yes_no", "choice")  # short values: never more than a line

Progress = Callable[[str, int], None]  # (sheet name, rows written), after each sheet


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
    prepare_sheet(ws, layout.widths, header_row=2)
    title_row(ws, styles, title, layout.width)
    ws.row_dimensions[2].height = 22
    ws.append(header_cells(ws, styles, layout, template=False))
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
