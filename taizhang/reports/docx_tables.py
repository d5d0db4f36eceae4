"""Tables in the official layout: header rows repeated on each page, borders on every cell, rows kept whole."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu

from .docx_styles import HEADING1_FONT, STYLE_TABLE_TEXT
from .docx_xml import TBL_PR_SEQUENCE, TC_PR_SEQUENCE, ordered_child, set_fonts


def table(document, header: list[str], rows: list[list[str]], *, widths=None, bold_rows=(), groups=None):
    """A table in the official layout: header rows repeated on each page (黑体), cells 仿宋 12 pt centred, rows
    that do not split across pages, borders on every cell. `groups` [(text, how many columns)] adds a header
    row above `header` whose cells span those columns (the columns a header cell of "" spans are merged down
    with it instead: 序号, 组织名称)."""
    top = 1 if groups else 0
    grid = document.add_table(rows=top + 1 + len(rows), cols=len(header))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(grid)
    grid.autofit = False
    for r, values in enumerate([header, *rows], start=top):
        row = grid.rows[r]
        _row_properties(row, header=r <= top)
        for c, value in enumerate(values):
            cell = row.cells[c]
            _cell_text(
                document, cell, value, header=r <= top, bold=r - top in bold_rows, left=c == 1 and r > top
            )
            if r < top + 2:  # a table does not start at the foot of a page with its header alone
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    if groups:
        first = grid.rows[0]
        _row_properties(first, header=True)
        column = 0
        for text, span in groups:
            cell = first.cells[column]
            if span > 1:
                cell = cell.merge(first.cells[column + span - 1])
            if text:
                _cell_text(document, cell, text, header=True)
            else:  # merged down: the text of the header row below, once
                below = grid.rows[1].cells[column]
                text = below.text
                cell = cell.merge(below)
                for paragraph in cell.paragraphs[1:]:
                    paragraph._p.getparent().remove(paragraph._p)
                for run in cell.paragraphs[0].runs:
                    run._r.getparent().remove(run._r)
                _cell_text(document, cell, text, header=True)
            cell.paragraphs[0].paragraph_format.keep_with_next = True
            column += span
    if widths:
        for row in grid.rows:
            for c, cell in enumerate(row.cells):
                cell.width = Emu(int(widths[c]))
        grid_element = grid._tbl.tblGrid
        for column, width in zip(grid_element.iterchildren(qn("w:gridCol")), widths, strict=False):
            column.set(qn("w:w"), str(Emu(int(width)).twips))
    return grid


def _row_properties(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is not None:
        return
    tr_pr.append(OxmlElement("w:cantSplit"))
    height = OxmlElement("w:trHeight")  # at least 7 mm: room for a pen on the printed table
    height.set(qn("w:val"), "397")
    height.set(qn("w:hRule"), "atLeast")
    tr_pr.append(height)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_text(document, cell, value, *, header=False, bold=False, left=False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = document.styles[STYLE_TABLE_TEXT]
    if left:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run("" if value is None else str(value))
    if header:
        set_fonts(run._r, HEADING1_FONT)
    elif bold:
        run.bold = True
    _cell_vertical_centre(cell)


def _cell_vertical_centre(cell) -> None:
    ordered_child(cell._tc.get_or_add_tcPr(), "w:vAlign", TC_PR_SEQUENCE).set(qn("w:val"), "center")


def _table_borders(grid) -> None:
    tbl_pr = grid._tbl.tblPr
    borders = ordered_child(tbl_pr, "w:tblBorders", TBL_PR_SEQUENCE)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    margins = ordered_child(tbl_pr, "w:tblCellMar", TBL_PR_SEQUENCE)
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "57")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
