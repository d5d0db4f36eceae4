"""The documents the archive writes itself: a meeting's minutes (.docx) and each class's catalogue, 目录.xlsx
(ledgers.archive describes them)."""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .archive_names import Entry
from .writing_cells import BORDER, FONT, HEADER_FILL, page_layout

CATALOGUE_HEADER = ("序号", "文件名", "材料名称", "日期", "来源记录", "组织")
CATALOGUE_WIDTHS = (6, 44, 36, 12, 64, 22)  # Excel units: a Chinese character is about 2


def blank_document() -> bytes:
    """An empty document in the official layout (reports.docx_layout), to open once per minutes: setting up
    the styles costs six times as much as opening the result."""
    from taizhang.reports import docx_layout as layout

    out = io.BytesIO()
    layout.new_document().save(out)
    return out.getvalue()


def minutes_docx(
    meeting, *, present: int | None = None, named: int | None = None, blank: bytes | None = None
) -> bytes:
    """A meeting's minutes as a Word document in the official layout: a title, the meeting's particulars
    (date, organiser, type, topic, place, speaker, attendance), then its text paragraph by paragraph.
    `blank`: blank_document(), when many are written."""
    from docx import Document
    from docx.shared import Pt

    from taizhang.reports import docx_layout as layout
    from taizhang.study.models import cn

    document = Document(io.BytesIO(blank)) if blank else layout.new_document()
    layout.title(document, f"{meeting.organiser.name}{meeting.type}会议记录")
    particulars = [
        ("时间", cn(meeting.date)),
        ("组织", meeting.organiser.name),
        ("类型", meeting.type),
        ("主题", meeting.topic),
        ("地点", meeting.place),
        ("主讲人", meeting.speaker_display),
    ]
    if named:
        particulars.append(("参加人员", f"应到{named}人，实到{present or 0}人"))
    elif meeting.head_count:
        particulars.append(("参加人员", f"{meeting.head_count}人"))
    for label, value in particulars:
        if value:
            # No named run style: python-docx takes about a millisecond to look a style name up, which a
            # county's hundreds of minutes feel; a bold label is how minutes set it off anyway.
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}：").bold = True
            paragraph.add_run(value)
            paragraph.paragraph_format.first_line_indent = Pt(0)
    layout.heading1(document, "会议内容")
    for line in meeting.minutes.splitlines():
        if line.strip():
            layout.body(document, line.strip())
    document.core_properties.title = f"{meeting.organiser.name}{meeting.type}会议记录"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def row_height(values) -> float:
    """Points for a catalogue row whose wrapped text takes the most lines (no spreadsheet program fits the
    height of a row written by openpyxl by itself)."""
    from taizhang.reports.stats_files import text_width

    lines = max(
        math.ceil(text_width(value) / (width - 1.5)) if isinstance(value, str) else 1
        for value, width in zip(values, CATALOGUE_WIDTHS, strict=True)
    )
    return 16.0 * max(lines, 1) + 4


def catalogue_xlsx(title: str, entries: list[Entry]) -> bytes:
    """The catalogue of one class: a title row, the header (frozen, repeated on every printed page), one row
    per item; A4 landscape fitted to the page width."""
    book = Workbook()
    ws = book.active
    ws.title = "目录"
    width = len(CATALOGUE_HEADER)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    head = ws.cell(1, 1)
    head.font = Font(name=FONT, size=16, bold=True)
    head.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    ws.append(list(CATALOGUE_HEADER))
    for cell in ws[2]:
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 22
    body = Font(name=FONT, size=11)
    left = Alignment(vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, entry in enumerate(entries, start=1):
        name = entry.name if not entry.missing else f"（文件缺失）{entry.name}"
        values = [number, name, entry.title, entry.date, entry.source, entry.org]
        ws.append(values)
        ws.row_dimensions[ws.max_row].height = row_height(values)
        for index, cell in enumerate(ws[ws.max_row], start=1):
            cell.font = body
            cell.border = BORDER
            cell.alignment = centre if index in (1, 4) else left
            if index == 4:
                cell.number_format = "yyyy-mm-dd"
    page_layout(ws, CATALOGUE_WIDTHS, header_row=2)
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
