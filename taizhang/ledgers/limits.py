"""How much an uploaded workbook may hold, counted by streaming it before openpyxl parses anything.

The sizes a zip's directory declares are not believed: every member is decompressed in bounded chunks (zipfile
stops at the declared size and then fails the CRC, so a directory that lies is a damaged file) and its real
bytes are counted. Every XML part is fed, chunk by chunk, to an expat parser that keeps no tree, only counts:
the shared strings and their characters (openpyxl holds them all, as a Python list, for the whole import), the
rows of each sheet and the elements of one row (openpyxl builds a row whole), the sheets of the workbook, and
the elements of the other parts (openpyxl reads styles, workbook, theme and relations whole, as trees). The
longest stretch of an XML part without a "<" bounds any single text or tag: a cell of a gigabyte in a sheet
(<is><t>…) is refused at MAX_TEXT. A DTD (entity expansion) is refused: Office never writes one.

The check stops at the first limit passed, so refusing a file that would expand to a gigabyte reads only as far
as the limit; its own memory is a chunk and the parser's small buffers.
"""

from __future__ import annotations

import zipfile
import zlib
from xml.parsers import expat

CHUNK = 256 * 1024  # bytes decompressed at a time

# A real ledger of 40,000 meeting rows (benchmarks/upload_memory.py) holds 35 MB of sheet XML and, saved with
# shared strings, 40,000 distinct strings of 750,000 characters; one of 50,000 rows with three distinct texts
# a row, 150,000. Each limit leaves at least that headroom. At the limits openpyxl's list of shared strings
# costs ~50 MB (~250 bytes a string with 2 a character of Chinese): a request checks a file under 64 KB
# inline, and such a file can expand to 60 MB of repeated strings, so four of them at once in one server
# process still stay under 300 MB.
MAX_TOTAL = 400 * 1024 * 1024  # all members together, decompressed
MAX_SHEET = 200 * 1024 * 1024  # one sheet's XML: streamed by openpyxl, so time, not memory, is what it costs
MAX_SHARED = 100 * 1024 * 1024  # the shared strings' XML
MAX_PART = 16 * 1024 * 1024  # any other XML part (styles, workbook, theme, relations): read whole, as a tree
MAX_BINARY = 64 * 1024 * 1024  # a picture or other binary member: counted, never parsed by the import
MAX_MEMBERS = 2000  # members of the zip: a workbook of 20 sheets has about 40
MAX_SHARED_STRINGS = 200_000
MAX_SHARED_CHARS = 10_000_000
MAX_STRING_ELEMENTS = 5_000  # elements of one shared string (rich-text runs): openpyxl builds one as a tree
MAX_ROWS = 250_000  # rows of one sheet (openpyxl keeps an empty element for each row read)
MAX_ROW_ELEMENTS = 100_000  # elements of one row: Excel has at most 16,384 columns
MAX_SHEET_ELEMENTS = 500_000  # elements of a sheet outside its rows (merged cells, validations, …)
MAX_PART_ELEMENTS = 300_000  # elements of any other XML part
MAX_SHEETS = 255
MAX_TEXT = 256 * 1024  # bytes without a "<": a cell holds at most 32,767 characters (~200 KB escaped)

GARBLED = "无法读取该工作簿：文件内容已损坏或不是标准的 .xlsx，请用 Excel/WPS 打开后另存为 .xlsx 再导入。"
DAMAGED = "文件已损坏，无法读取：请用 Excel/WPS 打开后另存为 .xlsx 再导入。"
REFUSED = "远超正常台账，已拒绝导入：请检查是否选错了文件"
SPLIT = "，或把台账分成几个文件分别导入"


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


def size_text(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.0f} MB"
    return f"{max(1, count // 1024)} KB"


def check_archive(archive: zipfile.ZipFile) -> None:
    """Stream every member of the archive, refusing (FileRefused) at the first limit passed."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise FileRefused(f"工作簿中的部件超过 {MAX_MEMBERS} 个，{REFUSED}。")
    total = 0
    for info in members:
        kind = _kind(info.filename)
        limit = {"sheet": MAX_SHEET, "shared": MAX_SHARED, "binary": MAX_BINARY}.get(kind, MAX_PART)
        counter = None if kind == "binary" else _Counter(kind, info.filename)
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > limit:
                        raise FileRefused(_too_big(kind, info, size, limit))
                    if total > MAX_TOTAL:
                        raise FileRefused(f"工作簿解压后超过 {size_text(MAX_TOTAL)}，{REFUSED}{SPLIT}。")
                    if counter is not None:
                        counter.feed(chunk)
            if counter is not None:
                counter.close()
        except expat.ExpatError:
            raise FileRefused(GARBLED) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
            # a CRC that does not match (a directory that lies about sizes), a truncated or encrypted member, an
            # unknown compression method
            raise FileRefused(DAMAGED) from None


def _kind(name: str) -> str:
    lower = name.lower()
    if lower == "xl/sharedstrings.xml":
        return "shared"
    if lower.startswith("xl/worksheets/") and lower.endswith(".xml") and lower.count("/") == 2:
        return "sheet"
    if lower == "xl/workbook.xml":
        return "workbook"
    if lower.endswith((".xml", ".rels", ".vml")):
        return "part"
    return "binary"


def _too_big(kind: str, info: zipfile.ZipInfo, size: int, limit: int) -> str:
    # The declared size is shown when it is larger than what was read (the reading stopped at the limit).
    shown = size_text(max(size, info.file_size))
    if kind == "shared":
        return f"工作簿中的文字内容过多（共享字符串约 {shown}），{REFUSED}。"
    if kind == "sheet":
        return f"工作簿中的一个工作表（{_short(info.filename)}）解压后约 {shown}，超过 {size_text(limit)}，{REFUSED}{SPLIT}。"
    return f"工作簿中的部件“{_short(info.filename)}”解压后约 {shown}，超过 {size_text(limit)}，{REFUSED}。"


def _short(name: str) -> str:
    return name.rsplit("/", 1)[-1][:60]


class _Counter:
    """Counts what openpyxl would hold of one XML part, fed in chunks; raises FileRefused past a limit."""

    def __init__(self, kind: str, name: str):
        self.kind = kind
        self.name = _short(name)
        self.run = 0  # bytes since the last "<"
        self.elements = 0  # outside rows (sheet), in the current string (shared), in all (other parts)
        self.rows = 0
        self.in_row = 0  # elements of the current row; 0 outside a row
        self.strings = 0
        self.chars = 0
        self.in_text = False
        self.sheets = 0
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        if kind == "sheet":
            parser.StartElementHandler = self._sheet_start
            parser.EndElementHandler = self._sheet_end
        elif kind == "shared":
            parser.StartElementHandler = self._shared_start
            parser.EndElementHandler = self._shared_end
            parser.CharacterDataHandler = self._shared_text
        else:
            parser.StartElementHandler = self._part_start
        self.parser = parser

    def feed(self, chunk: bytes) -> None:
        self._check_runs(chunk)
        self.parser.Parse(chunk, False)

    def close(self) -> None:
        self.parser.Parse(b"", True)

    def _check_runs(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
        else:
            longest = max(self.run + first, max(map(len, chunk.split(b"<"))))
            self.run = longest if longest > MAX_TEXT else len(chunk) - chunk.rfind(b"<") - 1
        if self.run >= MAX_TEXT:
            raise FileRefused(
                f"工作簿中有一段内容（{self.name}）超过 {size_text(MAX_TEXT)}，而 Excel 一个单元格最多 32767 个字，"
                f"{REFUSED}。"
            )

    def _doctype(self, *args) -> None:
        raise FileRefused(GARBLED)

    def _sheet_start(self, name, attributes) -> None:
        if self.in_row:
            self.in_row += 1
            if self.in_row > MAX_ROW_ELEMENTS:
                raise FileRefused(
                    f"工作簿中的一个工作表（{self.name}）的一行有超过 {MAX_ROW_ELEMENTS:,} 个单元格或元素，{REFUSED}。"
                )
        elif name[name.find(":") + 1 :] == "row":
            self.in_row = 1
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise FileRefused(
                    f"工作簿中的一个工作表（{self.name}）超过 {MAX_ROWS:,} 行，{REFUSED}{SPLIT}。"
                )
        else:
            self._count_element()

    def _sheet_end(self, name) -> None:
        if self.in_row and (name == "row" or name.endswith(":row")):
            self.in_row = 0

    def _shared_start(self, name, attributes) -> None:
        local = name[name.find(":") + 1 :]
        if local == "si":
            self.strings += 1
            self.elements = 0
            if self.strings > MAX_SHARED_STRINGS:
                raise FileRefused(
                    f"工作簿中的文字内容过多（共享字符串超过 {MAX_SHARED_STRINGS:,} 条），{REFUSED}{SPLIT}。"
                )
        else:
            self.elements += 1
            if self.elements > MAX_STRING_ELEMENTS:
                raise FileRefused(f"工作簿中有一段文字的格式片段超过 {MAX_STRING_ELEMENTS:,} 个，{REFUSED}。")
            self.in_text = local == "t"

    def _shared_end(self, name) -> None:
        self.in_text = False

    def _shared_text(self, data: str) -> None:
        if self.in_text:
            self.chars += len(data)
            if self.chars > MAX_SHARED_CHARS:
                raise FileRefused(
                    f"工作簿中的文字内容过多（共享字符串超过 {MAX_SHARED_CHARS // 10000:,} 万字），{REFUSED}{SPLIT}。"
                )

    def _part_start(self, name, attributes) -> None:
        self._count_element()
        if self.kind == "workbook" and name[name.find(":") + 1 :] == "sheet":
            self.sheets += 1
            if self.sheets > MAX_SHEETS:
                raise FileRefused(f"工作簿中的工作表超过 {MAX_SHEETS} 个，{REFUSED}。")

    def _count_element(self) -> None:
        self.elements += 1
        limit = MAX_SHEET_ELEMENTS if self.kind == "sheet" else MAX_PART_ELEMENTS
        if self.elements > limit:
            raise FileRefused(f"工作簿中的部件“{self.name}”有超过 {limit:,} 个元素，{REFUSED}。")
