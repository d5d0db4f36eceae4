"""Reading workbooks as they come from townships: read-only and streaming (a 50,000-row sheet is never held
whole), after checking that the file is an Excel workbook and would not expand to gigabytes.

A sheet's header row is the first row holding all of its required column names; title rows, 填报单位 lines
and blank rows above it are skipped. Vertically merged cells (one problem over the rows of its measures)
are read as if each row held the value. The table ends at a row beginning with 填表人, 填表说明, 备注 or 审核.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries

from taizhang.core.cleaning import normalise_text

from .limits import FileRefused, check_archive

MAX_COLUMNS = 200  # named columns in a header row: a ledger has about ten
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls (or .et, .doc) file
FOOTER = re.compile(r"^(填表人|填表说明|备注|审核|制表人|说明)")


def normalise_header(value) -> str:
    """A header cell as a column name: no spaces or line breaks, no required marks (*), no unit in brackets
    ("参加人数（人）")."""
    if value is None:
        return ""
    name = re.sub(r"\s+", "", normalise_text(str(value))).replace("*", "").replace("＊", "")
    return re.sub(r"[（(][^）)]*[）)]$", "", name)


def check_file(path) -> None:
    """Refuse what is not an .xlsx workbook, or would expand beyond reason, before openpyxl touches it: every
    path that parses an upload (the request for a small file, the worker for others) opens it through
    open_workbook, which calls this first."""
    with open(path, "rb") as handle:
        start = handle.read(8)
    if not start:
        raise FileRefused("文件是空的（0字节），请重新选择要导入的 Excel 工作簿。")
    if start == OLE_MAGIC:
        raise FileRefused(
            "文件不是 Excel 工作簿（.xlsx），而是旧版 .xls 或 WPS 格式：请在 Excel/WPS 中“另存为”.xlsx 后再导入。"
        )
    if not zipfile.is_zipfile(path):
        if start.startswith(b"PK"):
            raise FileRefused(
                "文件不是 Excel 工作簿，或已损坏、不完整（可能没有上传完整）：请用 Excel/WPS 重新保存为 .xlsx 后再导入。"
            )
        raise FileRefused(
            "文件不是 Excel 工作簿（.xlsx）。若是 .xls 或 WPS 格式，请在 Excel/WPS 中“另存为”.xlsx 后再导入。"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise FileRefused("文件不是 Excel 工作簿（.xlsx），请用 Excel/WPS 另存为 .xlsx 后再导入。")
            check_archive(archive)  # real sizes and contents, streamed (limits.py)
    except zipfile.BadZipFile:
        raise FileRefused("文件已损坏，无法读取。") from None


@dataclass
class SheetRows:
    """The rows of one sheet below its header: (Excel row number, {column name: value})."""

    title: str
    header_row: int
    columns: list[str]
    rows: Iterator[tuple[int, dict[str, object]]]

    @property
    def duplicates(self) -> dict[str, list[str]]:
        """Column names the header holds more than once, with the column letters that hold them (the row
        would otherwise take the last one silently)."""
        letters: dict[str, list[str]] = {}
        for i, name in enumerate(self.columns):
            if name:
                letters.setdefault(name, []).append(get_column_letter(i + 1))
        return {name: found for name, found in letters.items() if len(found) > 1}

    @property
    def named(self) -> int:
        return sum(1 for name in self.columns if name)


def open_workbook(path):
    check_file(path)
    # openpyxl refuses a path whose name does not end in .xlsx (a workbook saved as 台账.xls): by content,
    # through an open file, closed with the workbook (close_workbook).
    source = path if str(path).lower().endswith((".xlsx", ".xlsm")) else open(path, "rb")  # noqa: SIM115
    try:
        # Not data_only: a formula must be seen as a formula (and refused), not as its cached result.
        workbook = load_workbook(source, read_only=True, data_only=False)
        workbook.taizhang_source = source
        return workbook
    except Exception:  # openpyxl raises many kinds for a malformed file; none of their text is for the user
        if source is not path:
            source.close()
        raise FileRefused(
            "无法读取该工作簿：文件内容已损坏或不是标准的 .xlsx，请用 Excel/WPS 打开后另存为 .xlsx 再导入。"
        ) from None


def close_workbook(workbook) -> None:
    workbook.close()
    source = getattr(workbook, "taizhang_source", None)
    if source is not None and hasattr(source, "close"):
        source.close()


def merged_ranges(path, sheet_title: str, workbook) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet (min_col, min_row, max_col, max_row), read from the sheet's XML by
    streaming: read-only openpyxl does not give them."""
    worksheet = workbook[sheet_title]
    member = getattr(worksheet, "_worksheet_path", None) or getattr(worksheet, "worksheet_path", None)
    if not member:
        return []
    ranges = []
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as stream:
        for _event, element in iterparse(stream):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                ref = element.get("ref")
                if ref and ":" in ref:
                    ranges.append(range_boundaries(ref))
            if tag in ("row", "c", "v", "f", "mergeCell"):
                element.clear()
    return ranges


def find_header(rows, required: set[str], limit: int = 30):
    """(row number, [column names by position]) of the first of the first `limit` rows holding every
    required column name; None when there is none."""
    for number, values in rows:
        names = [normalise_header(v) for v in values]
        if required <= set(names):
            return number, names
        if number >= limit:
            return None
    return None


def sheet_rows(path, workbook, title: str, required: set[str]) -> SheetRows | None:
    """The data rows of a sheet; None when no header row with the required columns is found."""
    worksheet = workbook[title]
    # Vertical merges only, by their first row: a row looks up its own, not every range of the sheet (a sheet
    # may hold hundreds of thousands: rows × ranges would take hours).
    merged: dict[int, list[tuple[int, int, int, int]]] = {}
    for found in merged_ranges(path, title, workbook):
        if found[3] > found[1]:
            merged.setdefault(found[1], []).append(found)
    stream = ((n, [_value(c) for c in row]) for n, row in enumerate(worksheet.iter_rows(), start=1))
    found = find_header(stream, required)
    if found is None:
        return None
    header_row, names = found

    def rows():
        fill: dict[tuple[int, int], object] = {}  # (row, column index) -> the merged range's value
        for number, values in stream:
            values = list(values)
            for col in range(len(values)):
                if (number, col) in fill and (values[col] is None or values[col] == ""):
                    values[col] = fill.pop((number, col))
            for min_col, min_row, max_col, max_row in merged.get(number, ()):
                for col in range(min_col - 1, min(max_col, len(values))):
                    for below in range(min_row + 1, max_row + 1):
                        fill[(below, col)] = values[col]
            cells = [v for v in values if v is not None and str(v).strip() != ""]
            if not cells:
                continue  # a blank row inside the table
            if isinstance(cells[0], str) and FOOTER.match(cells[0].strip()):
                break
            yield number, {name: values[i] for i, name in enumerate(names) if name and i < len(values)}

    return SheetRows(title, header_row, names, rows())


class Formula(str):
    """A cell holding a formula (refused: a ledger holds values, and a formula's result is not in the file
    reliably)."""


class ErrorValue(str):
    """A cell holding an Excel error value (#REF!, #VALUE!, #N/A, …): refused in every column."""


def _value(cell):
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if kind == "f" and value is not None:
        return Formula(value)
    if kind == "e" and value is not None:
        return ErrorValue(value)
    return value


def is_formula(value) -> bool:
    return isinstance(value, Formula)


def is_error(value) -> bool:
    return isinstance(value, ErrorValue)
