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
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
# name: (fallback names Word/WPS may substitute, charset 86 = GB2312, family)
FONTS = {
    BODY_FONT: ("仿宋", "roman"),
    TITLE_FONT: ("方正小标宋_GBK,小标宋,宋体", "script"),
    HEADING1_FONT: ("SimHei", "modern"),
    HEADING2_FONT: ("楷体", "script"),
    PAGE_NUMBER_FONT: ("SimSun", "auto"),
}

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE_PITCH = 579  # twentieths of a point: 28.95 pt, 22 lines in the 225 mm type area
LINE_SPACING = Pt(28.95)
CHAR_SPACING = -5  # twentieths of a point: −0.25 pt, so that 28 characters of 16 pt fill 156 mm

A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# Page number about 7 mm below the type area: the footer's bottom edge 22 mm above the paper's.
FOOTER_DISTANCE = Mm(22)
HEADER_DISTANCE = Mm(15)

# Style names of the documents made here; a township editing its template in Word sees and can reuse them.
STYLE_TITLE = "公文标题"
STYLE_HEADING1 = "一级标题"
STYLE_HEADING2 = "二级标题"
STYLE_SIGNATURE = "落款"
STYLE_TABLE_TEXT = "表格文字"
STYLE_RUN_IN = "段首小标题"  # character style of a run-in heading ("抓好部署开好局。")

# The order of property elements in the schema (python-docx knows it but does not export it).
PPR_SEQUENCE = tuple(
    "w:" + tag
    for tag in [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)
RPR_SEQUENCE = tuple(
    "w:" + tag
    for tag in [
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ]
)
TC_PR_SEQUENCE = tuple(
    "w:" + tag
    for tag in [
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
    ]
)
TBL_PR_SEQUENCE = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)

THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# Fonts ---------------------------------------------------------------------------------------------


def set_fonts(rpr_owner, east_asia: str, latin: str | None = None) -> None:
    """Name the fonts of a run, a style or an rPr: East Asian on w:eastAsia, Latin and digits on w:ascii and
    w:hAnsi (the same font unless told), theme attributes removed."""
    rpr = rpr_owner if rpr_owner.tag == qn("w:rPr") else rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    latin = latin or east_asia
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def strip_theme_fonts(element) -> None:
    """Remove every theme font attribute under an element (styles.xml: docDefaults and all styles)."""
    for fonts in element.iter(qn("w:rFonts")):
        for attribute in THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)


def east_asia_font(rpr_owner) -> str | None:
    """The w:eastAsia font named on a run, style or rPr (None when not named there)."""
    element = getattr(rpr_owner, "element", rpr_owner)
    rpr = element if element.tag == qn("w:rPr") else element.find(qn("w:rPr"))
    if rpr is None:
        return None
    fonts = rpr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _style_rpr(style):
    return style.element.get_or_add_rPr()


def _child(parent, tag: str, sequence: tuple[str, ...]):
    """The parent's child of this tag, added in the place the schema orders it (Word refuses a file whose
    property elements are out of order)."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.insert_element_before(child, *sequence[sequence.index(tag) + 1 :])
    return child


def _char_spacing(rpr, value: int) -> None:
    _child(rpr, "w:spacing", RPR_SEQUENCE).set(qn("w:val"), str(value))


def _register_fonts(document) -> None:
    """Add the Chinese fonts to the font table with their fallbacks (w:altName) and the GB2312 charset."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(part.blob)
    present = {font.get(qn("w:name")) for font in table.findall(qn("w:font"))}
    for name, (alternatives, family) in FONTS.items():
        if name in present:
            continue
        table.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternatives}"/>'
                f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
            )
        )
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


# Paragraph formats ---------------------------------------------------------------------------------


def _exact_lines(paragraph_format) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_SPACING
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _indent_chars(ppr, *, first_line: int | None = None, right: int | None = None, left: int | None = None):
    """Indents counted in characters (w:firstLineChars etc., hundredths of a character), with the twips of a
    16 pt character alongside for readers that ignore the *Chars attributes."""
    ind = ppr.get_or_add_ind()
    for name, chars in (("firstLine", first_line), ("right", right), ("left", left)):
        if chars is None:
            continue
        ind.set(qn(f"w:{name}Chars"), str(chars * 100))
        ind.set(qn(f"w:{name}"), str(chars * 320))


def _paragraph_style(document, name: str, *, font: str, size, base="Normal"):
    styles = document.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles[base]
    style.quick_style = True
    set_fonts(_style_rpr(style), font)
    style.font.size = size
    return style


def setup_styles(document) -> None:
    """Normal = body text; 公文标题, 一级标题, 二级标题, 落款, 表格文字 paragraph styles; 段首小标题 run style."""
    styles_element = document.styles.element
    strip_theme_fonts(styles_element)
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, BODY_FONT)
    for size_tag in ("w:sz", "w:szCs"):
        element = rpr_default.find(qn(size_tag))
        if element is not None:
            element.set(qn("w:val"), "32")
    lang = rpr_default.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)  # python-docx's "after 200, line 276 auto"

    normal = document.styles["Normal"]
    set_fonts(_style_rpr(normal), BODY_FONT)
    normal.font.size = BODY_SIZE
    _char_spacing(_style_rpr(normal), CHAR_SPACING)
    fmt = normal.paragraph_format
    _exact_lines(fmt)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False
    _indent_chars(normal.element.get_or_add_pPr(), first_line=2)

    title = _paragraph_style(document, STYLE_TITLE, font=TITLE_FONT, size=TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    _indent_chars(title.element.get_or_add_pPr(), first_line=0)
    title.paragraph_format.line_spacing = Pt(35)  # two lines of a long 22 pt title do not touch
    _no_grid(title)  # else the 35 pt lines snap to two grid lines
    title.paragraph_format.keep_with_next = True

    heading1 = _paragraph_style(document, STYLE_HEADING1, font=HEADING1_FONT, size=BODY_SIZE)
    heading1.paragraph_format.keep_with_next = True
    _outline_level(heading1, 0)
    heading2 = _paragraph_style(document, STYLE_HEADING2, font=HEADING2_FONT, size=BODY_SIZE)
    heading2.paragraph_format.keep_with_next = True
    _outline_level(heading2, 1)

    signature = _paragraph_style(document, STYLE_SIGNATURE, font=BODY_FONT, size=BODY_SIZE)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent_chars(signature.element.get_or_add_pPr(), first_line=0, right=4)
    signature.paragraph_format.keep_with_next = True

    cells = _paragraph_style(document, STYLE_TABLE_TEXT, font=BODY_FONT, size=Pt(12))
    cells.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cells.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indent_chars(cells.element.get_or_add_pPr(), first_line=0)
    _no_grid(cells)

    names = [s.name for s in document.styles]
    run_in = (
        document.styles[STYLE_RUN_IN]
        if STYLE_RUN_IN in names
        else document.styles.add_style(STYLE_RUN_IN, WD_STYLE_TYPE.CHARACTER)
    )
    run_in.quick_style = True
    set_fonts(_style_rpr(run_in), HEADING2_FONT)

    for name in ("Header", "Footer"):
        style = document.styles[name]
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _indent_chars(style.element.get_or_add_pPr(), first_line=0)
        _no_grid(style)
    lang = document.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _outline_level(style, level: int) -> None:
    _child(style.element.get_or_add_pPr(), "w:outlineLvl", PPR_SEQUENCE).set(qn("w:val"), str(level))


def _no_grid(style) -> None:
    """A paragraph style that does not snap to the document grid (title, tables, footers)."""
    _child(style.element.get_or_add_pPr(), "w:snapToGrid", PPR_SEQUENCE).set(qn("w:val"), "0")


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
    _register_fonts(document)
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
    _child(cell._tc.get_or_add_tcPr(), "w:vAlign", TC_PR_SEQUENCE).set(qn("w:val"), "center")


def _table_borders(grid) -> None:
    tbl_pr = grid._tbl.tblPr
    borders = _child(tbl_pr, "w:tblBorders", TBL_PR_SEQUENCE)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    margins = _child(tbl_pr, "w:tblCellMar", TBL_PR_SEQUENCE)
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "57")
        element.set(qn("w:type"), "dxa")
        margins.append(element)


def type_width(section):
    """The width of the type area of a section."""
    return section.page_width - section.left_margin - section.right_margin
