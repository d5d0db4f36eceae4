"""The summary read back with python-docx has the official layout (GB/T 9704, ../shared/formats/gbt9704.md)."""

import datetime
import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from taizhang.campaigns.models import Campaign
from taizhang.reports.docx_layout import east_asia_font
from taizhang.reports.docx_template import render_summary
from taizhang.reports.selectors import default_template_path
from taizhang.reports.summary import build_summary

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def summary(cast):
    campaign = Campaign.objects.get(code="2023-second-batch")
    data = build_summary(campaign, cast.township_a, today=datetime.date(2023, 12, 20))
    return Document(io.BytesIO(render_summary(data, default_template_path(campaign).read_bytes())))


TOLERANCE = Mm(0.2)


def close(length, expected):
    return abs(length - expected) <= TOLERANCE


def test_a4_portrait_with_the_official_margins(summary):
    (section,) = summary.sections
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert close(section.page_width, Mm(210)) and close(section.page_height, Mm(297))
    assert close(section.top_margin, Mm(37)) and close(section.bottom_margin, Mm(35))
    assert close(section.left_margin, Mm(28)) and close(section.right_margin, Mm(26))
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"


def test_body_text_is_fangsong_16pt_with_exact_line_spacing(summary):
    normal = summary.styles["Normal"]
    assert east_asia_font(normal) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.twips == 579  # 28.95 pt
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"  # two characters
    body = [p for p in summary.paragraphs if p.text.startswith("第二批主题教育开展以来")]
    assert body and body[0].style.name == "Normal"


def test_no_theme_font_overrides_the_named_fonts(summary):
    styles = summary.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert not any(key.endswith("Theme") or key.endswith("theme") for key in fonts.attrib), fonts.attrib
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_title_is_xiaobiaosong_22pt_centred(summary):
    title = summary.paragraphs[0]
    assert title.text == "2023年甲乡第二批主题教育工作开展情况的工作总结"
    assert east_asia_font(title.style) == "方正小标宋简体"
    assert title.style.font.size == Pt(22)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert summary.paragraphs[1].text == ""  # one blank line below the title


def test_level_one_headings_are_heiti_and_run_in_headings_kaiti(summary):
    heading = next(p for p in summary.paragraphs if p.text == "一、“谋”字为先打基础")
    assert east_asia_font(heading.style) == "黑体" and heading.style.font.size == Pt(16)
    paragraph = next(p for p in summary.paragraphs if p.text.startswith("抓好部署开好局。"))
    run_in = paragraph.runs[0]
    assert run_in.text == "抓好部署开好局。" and east_asia_font(run_in.style) == "楷体_GB2312"


def test_odd_and_even_footers_hold_the_page_number_between_em_dashes(summary):
    assert summary.settings.odd_and_even_pages_header_footer
    section = summary.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == alignment
        assert paragraph.text == "— 1 —"
        kinds = [
            (child.get(qn("w:fldCharType")) if child.tag == qn("w:fldChar") else child.text)
            for run in paragraph._p.iter(qn("w:r"))
            for child in run
            if child.tag in (qn("w:t"), qn("w:fldChar"), qn("w:instrText"))
        ]
        assert kinds == ["— ", "begin", " PAGE ", "separate", "1", "end", " —"]
        for run in paragraph.runs:
            assert east_asia_font(run) == "宋体" and run.font.size == Pt(14)
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent == Pt(14)
    assert section.footer.paragraphs[0].paragraph_format.right_indent == Pt(14)


def test_signature_and_date_are_right_aligned_four_characters_in(summary):
    signature, date = summary.paragraphs[-2:]
    assert (signature.text, date.text) == ("中共甲乡委员会", "2023年12月20日")
    for paragraph in (signature, date):
        assert paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert paragraph.style.element.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"


def test_the_font_table_names_the_fallbacks(summary):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    table = parse_xml(summary.part.part_related_by(RT.FONT_TABLE).blob)
    fonts = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
    assert fonts["仿宋_GB2312"].find(qn("w:altName")).get(qn("w:val")) == "仿宋"
    assert fonts["仿宋_GB2312"].find(qn("w:charset")).get(qn("w:val")) == "86"


def _in_schema_order(element, sequence) -> bool:
    positions = [
        sequence.index(child.tag.replace(W, "w:"))
        for child in element
        if child.tag.replace(W, "w:") in sequence
    ]
    return positions == sorted(positions)


def test_property_elements_are_in_schema_order(summary, cast):
    """Word refuses a file whose property elements are out of order (LibreOffice does not mind)."""
    from taizhang.reports.docx_layout import PPR_SEQUENCE, RPR_SEQUENCE, TBL_PR_SEQUENCE
    from taizhang.reports.stats import build_stats
    from taizhang.reports.stats_files import stats_docx

    table = Document(
        io.BytesIO(stats_docx(build_stats(Campaign.objects.get(code="2023-second-batch"), cast.county)))
    )
    for document in (summary, table):
        parts = [document.element, document.styles.element]
        parts += [s.footer._element for s in document.sections] + [
            s.even_page_footer._element for s in document.sections
        ]
        for part in parts:
            for ppr in part.iter(qn("w:pPr")):
                assert _in_schema_order(ppr, PPR_SEQUENCE), [c.tag for c in ppr]
            for rpr in part.iter(qn("w:rPr")):
                assert _in_schema_order(rpr, RPR_SEQUENCE), [c.tag for c in rpr]
            for tbl_pr in part.iter(qn("w:tblPr")):
                assert _in_schema_order(tbl_pr, TBL_PR_SEQUENCE), [c.tag for c in tbl_pr]
