"""WordprocessingML details python-docx leaves to us: the schema order of property elements and font names.

Word refuses a file whose property elements are out of order, and a theme font overrides an explicit one, so
every property added here goes in its schema place and every font is named without its *Theme attributes.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

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


def ordered_child(parent, tag: str, sequence: tuple[str, ...]):
    """The parent's child of this tag, added in the place the schema orders it (Word refuses a file whose
    property elements are out of order)."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.insert_element_before(child, *sequence[sequence.index(tag) + 1 :])
    return child
