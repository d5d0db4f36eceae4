"""Uploaded workbooks are measured by streaming them before openpyxl parses anything: what would expand beyond a
real ledger is refused in Chinese, whatever the zip's directory says, and refusing costs little memory.

The bombs are built here without holding what they expand to: a deflate block of repeated text, compressed once
and repeated (each block ends with a full flush, so the copies are the same bytes), written into the zip as it
is, and the member's header told its real method, CRC and size.
"""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from taizhang.ledgers import limits, reading
from taizhang.ledgers.importer import import_workbook

GB = 1024**3
HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]


def template(rows: int = 3) -> bytes:
    """A real workbook with a 会议活动 sheet whose text is in shared strings, as Excel and WPS write it (openpyxl
    writes inline strings: they are moved to xl/sharedStrings.xml here)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "会议活动"
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(
            ["2023-09-15", "甲一村党支部", "专题研讨", f"第{n + 1}次学习", "", "党员活动室", "苏平、李明", 2]
        )
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        members = {n: source.read(n) for n in source.namelist()}
    strings: list[bytes] = []

    def shared(match) -> bytes:
        strings.append(match[2])
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match[1], len(strings) - 1)

    inline = rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>'
    members["xl/worksheets/sheet1.xml"] = re.sub(inline, shared, members["xl/worksheets/sheet1.xml"])
    members["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(b"<si><t>%s</t></si>" % text for text in strings)
        + b"</sst>"
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
        b'.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_the_template_reads_back_through_its_shared_strings(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(template())
    book = reading.open_workbook(path)
    try:
        found = reading.sheet_rows(path, book, "会议活动", {"日期", "主题"})
        assert found.header_row == 1 and [r["主题"] for _, r in found.rows] == [
            "第1次学习",
            "第2次学习",
            "第3次学习",
        ]
    finally:
        reading.close_workbook(book)


Part = tuple[bytes, bytes, int, bytes]  # head, a block repeated, times, tail


def deflated(head: bytes, block: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of head + block × times + tail, compressing the block once."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    one = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)  # no reference to what came before
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    return start + one * times + end, zlib.crc32(tail, crc), len(head) + len(block) * times + len(tail)


def member_headers(data: bytes, name: str) -> tuple[int, int]:
    """Offsets of a member's local header and central directory entry."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    directory = struct.unpack("<I", data[data.rfind(b"PK\x05\x06") + 16 :][:4])[0]
    return local, data.index(name.encode(), directory) - 46


def patch(
    data: bytes, name: str, *, method: int | None = None, crc: int | None = None, size: int | None = None
):
    """The zip with one member's headers (local and central) saying another method, CRC or size."""
    out = bytearray(data)
    local, central = member_headers(data, name)
    for offset, field, value in (
        (8, 10, method and struct.pack("<H", method)),
        (14, 16, crc is not None and struct.pack("<I", crc)),
        (22, 24, size is not None and struct.pack("<I", size)),
    ):
        if value:
            out[local + offset : local + offset + len(value)] = value
            out[central + field : central + field + len(value)] = value
    return bytes(out)


def craft(path: Path, members: dict[str, Part], source: bytes | None = None) -> Path:
    """The template workbook (or `source`) with members replaced, each written as a real deflated member."""
    with zipfile.ZipFile(io.BytesIO(source or template())) as original:
        kept = {n: original.read(n) for n in original.namelist() if n not in members}
    out = io.BytesIO()
    made = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in kept.items():
            archive.writestr(name, content)
        for name, part in members.items():
            stream, crc, size = deflated(*part)
            made[name] = (crc, size)
            archive.writestr(name, stream, zipfile.ZIP_STORED)  # the stream as it is; the headers told below
    data = out.getvalue()
    for name, (crc, size) in made.items():
        data = patch(data, name, method=zipfile.ZIP_DEFLATED, crc=crc, size=size)
    path.write_bytes(data)
    return path


def shared_strings_bomb(path: Path, size: int = GB, text: str = "学习贯彻" * 250) -> Path:
    """Shared strings expanding to about `size` bytes: the template's own strings, then copies of `text`."""
    with zipfile.ZipFile(io.BytesIO(template())) as source:
        own = source.read("xl/sharedStrings.xml")
    head = own[: own.rindex(b"</sst>")]
    block = f"<si><t>{text}</t></si>".encode() * max(1, 1024 * 1024 // (len(text.encode()) + 16))
    return craft(path, {"xl/sharedStrings.xml": (head, block, max(1, size // len(block)), b"</sst>")})


def sheet_bomb(path: Path, head: str, block: str, times: int, tail: str) -> Path:
    """The template with its sheet replaced: a head opening the sheet, a block repeated, a tail closing it."""
    opening = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    return craft(
        path,
        {
            "xl/worksheets/sheet1.xml": (
                (opening + head).encode(),
                block.encode(),
                times,
                (tail + "</worksheet>").encode(),
            )
        },
    )


def refused(path: Path, said: str) -> str:
    with pytest.raises(limits.FileRefused) as caught:
        reading.check_file(path)
    message = str(caught.value)
    assert said in message, message
    assert re.search(r"[\u4e00-\u9fff]{4}", message), message
    assert not re.search(r"Error|Exception|zip|CRC|expat|None|\\x", message), message  # no Python's words
    return message


@pytest.fixture
def no_openpyxl(monkeypatch):
    """openpyxl must not be reached: the check refuses first."""

    def reached(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook the check should have refused")

    monkeypatch.setattr(reading, "load_workbook", reached)


# -- bombs ----------------------------------------------------------------------------------------------------


def test_shared_strings_expanding_to_a_gigabyte_are_refused_before_openpyxl(tmp_path, no_openpyxl):
    path = shared_strings_bomb(tmp_path / "台账.xlsx", size=GB)
    assert path.stat().st_size < 20 * 1024 * 1024
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > GB - 1024 * 1024  # an honest directory
    refused(path, "文字内容过多")


def test_many_short_shared_strings_are_refused_by_their_number(tmp_path, no_openpyxl):
    path = shared_strings_bomb(tmp_path / "台账.xlsx", size=64 * 1024 * 1024, text="甲")
    refused(path, f"共享字符串超过 {limits.MAX_SHARED_STRINGS:,} 条")


def test_the_check_reads_no_further_than_the_limit_and_holds_little_memory(tmp_path):
    path = shared_strings_bomb(tmp_path / "台账.xlsx", size=GB)
    tracemalloc.start()
    try:
        with pytest.raises(limits.FileRefused):
            reading.check_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"


def test_a_directory_that_understates_a_member_is_refused_as_damaged(tmp_path, no_openpyxl):
    """The old check believed the declared sizes (and passed this); reading stops at the declared size, where
    the CRC of what was read does not match: a damaged file, refused before openpyxl."""
    honest = shared_strings_bomb(tmp_path / "honest.xlsx", size=200 * 1024 * 1024, text="甲乙丙丁" * 50)
    lying = tmp_path / "台账.xlsx"
    lying.write_bytes(patch(honest.read_bytes(), "xl/sharedStrings.xml", size=4096))
    with zipfile.ZipFile(lying) as archive:
        assert sum(info.file_size for info in archive.infolist()) < 64 * 1024  # what the old check trusted
    refused(lying, "文件已损坏")


def test_one_gigantic_inline_string_in_a_sheet_is_refused(tmp_path, no_openpyxl):
    path = sheet_bomb(
        tmp_path / "台账.xlsx",
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
        "学" * 100_000,
        3_500,  # 1 GB in one cell
        "</t></is></c></row></sheetData>",
    )
    refused(path, "Excel 一个单元格最多 32767 个字")


def test_a_sheet_beyond_its_size_is_refused_naming_it(tmp_path, no_openpyxl):
    row = '<row><c t="inlineStr"><is><t>' + "党员活动室" * 500 + "</t></is></c></row>"
    path = sheet_bomb(tmp_path / "台账.xlsx", "<sheetData>", row * 100, 400, "</sheetData>")
    refused(path, "工作表（sheet1.xml）解压后约")


@pytest.mark.parametrize(
    "head, block, tail, said",
    [
        ("<sheetData>", "<row/>" * 10_000, "</sheetData>", f"超过 {limits.MAX_ROWS:,} 行"),
        ('<sheetData><row r="1">', "<c/>" * 10_000, "</row></sheetData>", "的一行有超过"),
        ("<mergeCells>", '<mergeCell ref="A1:A2"/>' * 10_000, "</mergeCells>", "个元素"),
    ],
    ids=["rows", "cells of one row", "merged cells"],
)
def test_a_sheet_of_countless_small_things_is_refused(tmp_path, no_openpyxl, head, block, tail, said):
    refused(sheet_bomb(tmp_path / "台账.xlsx", head, block, 1000, tail), said)


def test_many_sheets_are_refused(tmp_path, no_openpyxl):
    with zipfile.ZipFile(io.BytesIO(template())) as source:
        workbook = source.read("xl/workbook.xml")
    cut = workbook.index(b"</sheets>")
    block = b'<sheet name="s" sheetId="9" r:id="rId1"/>' * 100
    path = craft(tmp_path / "台账.xlsx", {"xl/workbook.xml": (workbook[:cut], block, 10, workbook[cut:])})
    refused(path, f"工作表超过 {limits.MAX_SHEETS} 个")


@pytest.mark.parametrize(
    "xml",
    [
        b"<sst><si><t>\xe5\xad",  # cut in the middle
        b"<sst><si><t>a</si></sst>",
        b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst><si><t>&a;</t></si></sst>',  # entity expansion
    ],
    ids=["truncated", "mismatched tags", "entities"],
)
def test_malformed_shared_strings_are_a_garbled_workbook(tmp_path, no_openpyxl, xml):
    path = craft(tmp_path / "台账.xlsx", {"xl/sharedStrings.xml": (xml, b"", 0, b"")})
    refused(path, "无法读取该工作簿：文件内容已损坏")


def test_the_import_reports_the_refusal_as_its_one_error(tmp_path, no_openpyxl):
    path = shared_strings_bomb(tmp_path / "台账.xlsx", size=GB)
    result = import_workbook(path, campaign=None)
    assert len(result.errors) == 1
    assert "文字内容过多" in str(result.errors[0])


# -- real workbooks pass --------------------------------------------------------------------------------------


def test_a_workbook_of_thousands_of_rows_passes(tmp_path):
    path = tmp_path / "台账.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "会议活动"
    sheet.append(HEADER)
    for n in range(5000):
        sheet.append(
            [
                "2023-09-15",
                "甲一村党支部",
                "专题研讨",
                f"第{n + 1}次学习：深入学习贯彻新思想",
                "苏平",
                "党员活动室",
                "苏平、李明、王芳",
                3,
            ]
        )
    sheet.merge_cells("A2:A3")
    book.save(path)
    reading.check_file(path)


def test_an_exported_ledger_passes(cast, campaign, tmp_path):
    from taizhang.ledgers.writing import write_ledgers

    path = tmp_path / "台账.xlsx"
    with open(path, "wb") as out:
        write_ledgers(out, campaign, cast.township_a)
    reading.check_file(path)
    assert import_workbook(path, campaign=campaign, dry_run=True).ok
