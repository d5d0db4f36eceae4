"""The official document layout (GB/T 9704-2012, ../shared/formats/gbt9704.md) for python-docx documents.

Everything a summary or a table needs to look right when the county opens it in Word or WPS:

- A4 paper, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm);
- body 仿宋_GB2312 三号 (16 pt), exact line spacing 28.95 pt with a line grid of the same pitch (22 lines of
  28 characters: character spacing −0.25 pt), first line indented two characters, justified;
- title 方正小标宋简体 二号 (22 pt) centred; level-1 heading 黑体, level-2 楷体_GB2312, run-in headings 楷体;
- page numbers "— N —" in 宋体 四号 (14 pt): odd pages at the right, even pages at the left, one character in;
- signature and date right-aligned, four characters in from the right.

Chinese fonts are set on `w:eastAsia` (python-docx's `font.name` sets only the Latin font) and the `*Theme`
attributes are removed everywhere, since a theme font overrides an explicit one. Fonts are named, not
embedded; the font table carries the usual fallbacks (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体, …).

This module sets up the page, the page numbers and the content; the styles are in docx_styles, tables in
docx_tables and the XML details in docx_xml. Its names are the ones to import: the others are re-exported.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .docx_styles import (
    BODY_FONT,
    BODY_SIZE,
    CHAR_SPACING,
    FONTS,
    HEADING1_FONT,
    HEADING2_FONT,
    LINE_PITCH,
    LINE_SPACING,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_SIZE,
    STYLE_HEADING1,
    STYLE_HEADING2,
    STYLE_RUN_IN,
    STYLE_SIGNATURE,
    STYLE_TABLE_TEXT,
    STYLE_TITLE,
    TITLE_FONT,
    TITLE_SIZE,
    register_fonts,
    setup_styles,
)
from .docx_tables import table
from .docx_xml import (
    PPR_SEQUENCE,
    RPR_SEQUENCE,
    TBL_PR_SEQUENCE,
    TC_PR_SEQUENCE,
    THEME_ATTRIBUTES,
    east_asia_font,
    set_fonts,
    strip_theme_fonts,
)

__all__ = [
    "A4",
    "BODY_FONT",
    "BODY_SIZE",
    "CHAR_SPACING",
    "FONTS",
    "FOOTER_DISTANCE",
    "HEADER_DISTANCE",
    "HEADING1_FONT",
    "HEADING2_FONT",
    "LINE_PITCH",
    "LINE_SPACING",
    "MARGINS",
    "PAGE_NUMBER_FONT",
    "PAGE_NUMBER_SIZE",
    "PPR_SEQUENCE",
    "RPR_SEQUENCE",
    "STYLE_HEADING1",
    "STYLE_HEADING2",
    "STYLE_RUN_IN",
    "STYLE_SIGNATURE",
    "STYLE_TABLE_TEXT",
    "STYLE_TITLE",
    "TBL_PR_SEQUENCE",
    "TC_PR_SEQUENCE",
    "THEME_ATTRIBUTES",
    "TITLE_FONT",
    "TITLE_SIZE",
    "body",
    "east_asia_font",
    "heading1",
    "heading2",
    "new_document",
    "page_number_footers",
    "set_fonts",
    "setup_page",
    "setup_styles",
    "signature",
    "strip_theme_fonts",
    "table",
    "title",
    "type_width",
]

A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# Page number about 7 mm below the type area: the footer's bottom edge 22 mm above the paper's.
FOOTER_DISTANCE = Mm(22)
HEADER_DISTANCE = Mm(15)

# Page ----------------------------------------------------------------------------------------------


def setup_page(section, *, landscape: bool = False) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for attribute in list(grid.attrib):
        del grid.attrib[attribute]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def _field_run(paragraph, kind: str, text: str | None = None):
    run = paragraph.add_run()
    _page_number_font(run)
    if kind == "instr":
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = text
        run._r.append(instr)
    else:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
    return run


def _page_number_font(run) -> None:
    set_fonts(run._r, PAGE_NUMBER_FONT)
    run.font.size = PAGE_NUMBER_SIZE


def _page_number(paragraph) -> None:
    """ "— N —": the PAGE field between em dashes, as fldChar begin / instrText / separate / 1 / end runs."""
    _page_number_font(paragraph.add_run("— "))
    _field_run(paragraph, "begin")
    _field_run(paragraph, "instr", " PAGE ")
    _field_run(paragraph, "separate")
    _page_number_font(paragraph.add_run("1"))
    _field_run(paragraph, "end")
    _page_number_font(paragraph.add_run(" —"))


def page_number_footers(document) -> None:
    """Odd pages: "— N —" at the right, one character in; even pages: at the left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        for footer, alignment, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
            paragraph.style = document.styles["Footer"]
            paragraph.alignment = alignment
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Pt(0)
            if side == "right":
                fmt.right_indent = PAGE_NUMBER_SIZE
            else:
                fmt.left_indent = PAGE_NUMBER_SIZE
            _page_number(paragraph)
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False


def new_document(*, landscape: bool = False):
    """An empty document in the official layout."""
    document = Document()
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    setup_styles(document)
    register_fonts(document)
    setup_page(document.sections[0], landscape=landscape)
    page_number_footers(document)
    core = document.core_properties
    core.author = core.last_modified_by = "台账"
    core.title = core.subject = core.keywords = core.comments = ""
    return document


# Content -------------------------------------------------------------------------------------------


def title(document, text: str):
    paragraph = document.add_paragraph(text, style=STYLE_TITLE)
    document.add_paragraph()  # one blank line below the title
    return paragraph


def heading1(document, text: str):
    return document.add_paragraph(text, style=STYLE_HEADING1)


def heading2(document, text: str):
    return document.add_paragraph(text, style=STYLE_HEADING2)


def body(document, text: str = "", *, run_in: str = ""):
    """A body paragraph; `run_in` is a heading at its start ("抓好部署开好局。") in 楷体."""
    paragraph = document.add_paragraph()
    if run_in:
        paragraph.add_run(run_in, style=STYLE_RUN_IN)
    if text:
        paragraph.add_run(text)
    return paragraph


def signature(document, organisation: str, date: str, *, blank_lines: int = 2):
    """Issuing organisation and date, right-aligned four characters in from the right."""
    for _ in range(blank_lines):
        document.add_paragraph()
    first = document.add_paragraph(organisation, style=STYLE_SIGNATURE)
    document.add_paragraph(date, style=STYLE_SIGNATURE)
    return first


def type_width(section):
    """The width of the type area of a section."""
    return section.page_width - section.left_margin - section.right_margin
