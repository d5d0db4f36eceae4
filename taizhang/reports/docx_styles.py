"""The fonts, sizes and named styles of the official layout (GB/T 9704-2012), set up on a python-docx document.

Normal is the body text; 公文标题, 一级标题, 二级标题, 落款 and 表格文字 are paragraph styles and 段首小标题 a
character style, so a township editing its template in Word sees and can reuse them.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from .docx_xml import PPR_SEQUENCE, RPR_SEQUENCE, ordered_child, set_fonts, strip_theme_fonts

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

# Style names of the documents made here; a township editing its template in Word sees and can reuse them.
STYLE_TITLE = "公文标题"
STYLE_HEADING1 = "一级标题"
STYLE_HEADING2 = "二级标题"
STYLE_SIGNATURE = "落款"
STYLE_TABLE_TEXT = "表格文字"
STYLE_RUN_IN = "段首小标题"  # character style of a run-in heading ("抓好部署开好局。")


def _style_rpr(style):
    return style.element.get_or_add_rPr()


def _char_spacing(rpr, value: int) -> None:
    ordered_child(rpr, "w:spacing", RPR_SEQUENCE).set(qn("w:val"), str(value))


def register_fonts(document) -> None:
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
    ordered_child(style.element.get_or_add_pPr(), "w:outlineLvl", PPR_SEQUENCE).set(qn("w:val"), str(level))


def _no_grid(style) -> None:
    """A paragraph style that does not snap to the document grid (title, tables, footers)."""
    ordered_child(style.element.get_or_add_pPr(), "w:snapToGrid", PPR_SEQUENCE).set(qn("w:val"), "0")
