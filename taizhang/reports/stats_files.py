"""The statistics table written out: an Excel workbook and a Word table in the official layout.

Excel: a title row, a scope row, the header row (frozen with the 序号 and name columns, repeated on every
printed page), one row per organisation, 本级 and 合计 rows, column widths that fit Chinese text, A4
landscape fitted to the page width (to two or more pages wide when there are too many columns to read on
one, the 序号 and name columns then repeated on each), page numbers in the footer.

Word: the title in 黑体, then the table: a row of the campaign parts over their columns and the row of the
indicators, both repeated on each page, rows that do not split; landscape when the table is wider than 8
columns; more columns than fit a landscape page are split into several tables, each with the 序号 and name
columns, a part kept whole in one table where it fits.
"""

from __future__ import annotations

import io
import math
import unicodedata

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from . import docx_layout as layout
from .stats import StatsColumn, StatsTable

PORTRAIT_MAX_COLUMNS = 8
LANDSCAPE_MAX_COLUMNS = 14
HEADER_ROW = 3
PAGE_WIDTH_CHARS = 140  # what an A4 landscape page holds at 100 %, in Excel's character units


def text_width(text: str) -> float:
    """Width of a text in Excel's character units: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in str(text))


def _cell_text(value) -> str:
    return "" if value is None else str(value)


# Excel ---------------------------------------------------------------------------------------------


def column_widths(table: StatsTable) -> list[float]:
    """Excel widths: the name column fits the longest name; a figure column fits its figures and its header
    wrapped on up to about three lines."""
    widths = [6.0, max([text_width("组织名称")] + [text_width(r.name) for r in table.all_rows]) + 2]
    for index, column in enumerate(table.columns):
        longest = max([text_width(_cell_text(r.values[index])) for r in table.all_rows] + [4])
        widths.append(round(max(longest + 2, min(text_width(column.label) / 3 + 2, 12.0), 8.0), 1))
    return widths


def stats_xlsx(table: StatsTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "进展情况统计表"
    header = ["序号", "组织名称", *[c.cell_header for c in table.columns]]
    widths = column_widths(table)
    names = sum(widths[:2])
    # As many pages wide as keep the figures legible, the 序号 and name columns repeated on each.
    pages = max(1, math.ceil((sum(widths) - names) / (PAGE_WIDTH_CHARS - names)))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet["A1"] = table.title
    sheet["A1"].font = Font(name="黑体", size=16)
    sheet.row_dimensions[1].height = 30
    sheet["A2"] = table.scope_text
    sheet["A2"].font = Font(name="宋体", size=11)
    if pages == 1:
        sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    else:  # a title centred over several pages would be cut; each page carries it in its header instead
        sheet["A1"].alignment = Alignment(horizontal="left", vertical="center")
        sheet.oddHeader.center.text = sheet.evenHeader.center.text = table.title

    header_lines = 1
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=text)
        cell.font = Font(name="黑体", size=11)
        cell.alignment = centre
        cell.border = border
        width = widths[column - 1]
        sheet.column_dimensions[get_column_letter(column)].width = width
        label, _, unit = text.partition("\n")
        lines = math.ceil(text_width(label) / max(width - 1.5, 1)) + (1 if unit else 0)
        header_lines = max(header_lines, lines)
    sheet.row_dimensions[HEADER_ROW].height = 14 * header_lines + 6

    for offset, row in enumerate(table.all_rows, start=HEADER_ROW + 1):
        values = [row.number, row.name, *row.values]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=offset, column=column, value=value)
            cell.border = border
            cell.font = Font(name="宋体", size=11, bold=row.kind == "total")
            cell.alignment = (
                Alignment(horizontal="left", vertical="center", wrap_text=True) if column == 2 else centre
            )
    notes_row = HEADER_ROW + len(table.all_rows) + 1
    for offset, note in enumerate(table.notes):
        cell = sheet.cell(row=notes_row + offset, column=1, value=f"注：{note}")
        cell.font = Font(name="宋体", size=10)

    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if pages > 1:
        sheet.print_title_cols = "A:B"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = pages
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.oddFooter.center.text = sheet.evenFooter.center.text = "第 &P 页，共 &N 页"
    book.properties.creator = "台账"
    book.properties.title = table.title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Word ----------------------------------------------------------------------------------------------


def column_groups(columns: list[StatsColumn]) -> list[list[StatsColumn]]:
    """The tables a Word document holds: consecutive columns packed into tables that fit a landscape page,
    a part kept in one table unless it alone is too wide."""
    room = LANDSCAPE_MAX_COLUMNS - 2
    runs: list[list[StatsColumn]] = []
    for column in columns:
        if runs and runs[-1][0].part == column.part:
            runs[-1].append(column)
        else:
            runs.append([column])
    tables: list[list[StatsColumn]] = []
    current: list[StatsColumn] = []
    for run in runs:
        if len(current) + len(run) > room and current:
            tables.append(current)
            current = []
        while len(run) > room:
            tables.append(run[:room])
            run = run[room:]
        current = current + run
    if current:
        tables.append(current)
    return tables


def _spans(columns: list[StatsColumn], part_names: dict[str, str]) -> list[tuple[str, int]]:
    spans: list[tuple[str, int]] = [("", 1), ("", 1)]  # 序号, 组织名称: merged down
    for column in columns:
        name = part_names.get(column.part, column.part) or "其他"
        if len(spans) > 2 and spans[-1][0] == name:
            spans[-1] = (name, spans[-1][1] + 1)
        else:
            spans.append((name, 1))
    return spans


def stats_docx(table: StatsTable) -> bytes:
    tables = column_groups(table.columns)
    landscape = any(len(cols) + 2 > PORTRAIT_MAX_COLUMNS for cols in tables)
    document = layout.new_document(landscape=landscape)
    heading = document.add_paragraph(style=layout.STYLE_TITLE)
    run = heading.add_run(table.title)
    layout.set_fonts(run._r, layout.HEADING1_FONT)
    run.font.size = Pt(18)
    scope = document.add_paragraph(table.scope_text)
    scope.alignment = WD_ALIGN_PARAGRAPH.CENTER
    scope.paragraph_format.first_line_indent = Pt(0)
    for run in scope.runs:
        run.font.size = Pt(14)
    part_names = {part.short: part.name for part in table.campaign.parts.all()}
    width = layout.type_width(document.sections[0])
    for number, columns in enumerate(tables):
        indices = [table.columns.index(c) for c in columns]
        header = ["序号", "组织名称", *[c.cell_header for c in columns]]
        rows = [
            [_cell_text(r.number), r.name, *[_cell_text(r.values[i]) for i in indices]]
            for r in table.all_rows
        ]
        number_width, name_width = Mm(12), Mm(42)
        rest = (width - number_width - name_width) // max(len(columns), 1)
        widths = [number_width, name_width, *[rest] * len(columns)]
        bold = {len(rows)}  # the 合计 row (the header is row 0)
        layout.table(
            document, header, rows, widths=widths, bold_rows=bold, groups=_spans(columns, part_names)
        )
        if number < len(tables) - 1:
            document.add_paragraph()
    for note in table.notes:
        paragraph = document.add_paragraph(f"注：{note}")
        paragraph.paragraph_format.first_line_indent = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(12)
    document.core_properties.title = table.title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
