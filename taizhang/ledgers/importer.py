"""Importing a workbook: every known sheet found, in dependency order, in one transaction. Either every row
of every sheet is right and all of it is written, or nothing is and every error is listed (sheet, Excel row,
column, value, what is wrong). Checking writes nothing: the writes are planned (plan.py) and, unless there is an
error or this is a dry run (the upload page's preview), made in one short transaction at the end.
"""

from __future__ import annotations

import logging
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from django.db import IntegrityError, transaction

from taizhang.core.cleaning import (
    DATE_RULES,
    Refused,
    check_text,
    excel_error,
    has_odd_digits,
    normalise_text,
)
from taizhang.core.db import refresh_statistics
from taizhang.core.scoping import EVERYTHING, Scope, planned_organisations

from . import values as v
from .context import ImportContext, ImportError_
from .plan import apply
from .reading import MAX_COLUMNS, FileRefused, close_workbook, is_error, is_formula, open_workbook, sheet_rows
from .spec import Column, Row, Sheet, all_sheets, find_sheet
from .writing_template import is_example

MAX_ERRORS = 5000  # beyond this, checking stops
SHOWN_ERRORS = 200  # the list shows this many and says how many more there are
BULK = 1000  # rows: an import this large refreshes the planner's statistics (core.db)
WRITING = "写入"  # the progress of the write, once every row is checked
ATTEMPTS = 3  # plans of one import, when others' writes keep making its write fail
CONFLICT = "导入时其他用户正在修改相同的记录，本次导入未写入任何记录：请稍后重新导入。"
BROKEN = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError)  # a file garbled inside

log = logging.getLogger(__name__)


@dataclass
class SheetResult:
    name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0


@dataclass
class ImportResult:
    sheets: list[SheetResult] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False
    write_seconds: float = 0.0  # the write transaction's length: how long others' writes may have waited

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[str, int, int], None]  # (sheet, rows done, rows in the sheet or 0)


def import_workbook(
    path: str | Path,
    *,
    campaign,
    actor=None,
    scope: Scope | None = None,
    township=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    filename: str = "",
) -> ImportResult:
    """Check the workbook and, unless dry_run or it has errors, write it. The write is planned from the
    database as it was while checking; when someone else's write in the meantime makes it fail (the same
    meeting added twice), it is planned again from the database as it is now."""
    for _attempt in range(ATTEMPTS):
        try:
            return _open_and_import(path, campaign, actor, scope, township, dry_run, progress, filename)
        except IntegrityError:
            log.warning("An import's write met a concurrent change; planned again", exc_info=True)
    return ImportResult(errors=[ImportError_("", None, "", "", CONFLICT)])


def _open_and_import(path, campaign, actor, scope, township, dry_run, progress, filename) -> ImportResult:
    result = ImportResult()
    try:
        workbook = open_workbook(path)
    except FileRefused as exc:
        result.errors.append(ImportError_("", None, "", "", str(exc)))
        return result
    try:
        return _import(workbook, path, result, campaign, actor, scope, township, dry_run, progress, filename)
    except BROKEN:  # read-only openpyxl reads each sheet's XML as the rows are asked for
        log.warning("A garbled workbook was refused", exc_info=True)
        return ImportResult(
            errors=[
                ImportError_(
                    "", None, "", "", "工作簿内容已损坏，无法读取：请用 Excel/WPS 打开后另存为 .xlsx 再导入。"
                )
            ]
        )
    finally:
        close_workbook(workbook)


def _import(workbook, path, result, campaign, actor, scope, township, dry_run, progress, filename):
    """Check the workbook's known sheets, in dependency order, into a plan of writes (plan.py), filling
    `result`; unless there is an error or this is a dry run, apply the plan in one short transaction. A large
    import that was written refreshes the planner's statistics afterwards."""
    found = _find_sheets(workbook, result)
    reason = f"导入台账{('：' + filename) if filename else ''}"
    ctx = ImportContext(
        campaign=campaign,
        scope=scope or EVERYTHING,
        actor=actor,
        default_township=township,
        reason=reason,
    )
    ctx.errors = result.errors
    with planned_organisations(ctx.plan.new_organisations):
        for sheet, title in found:
            if sheet.order > 20:
                ctx.run_later()  # the secretaries of 组织, once the members are in
            if _import_sheet(sheet, title, path, workbook, ctx, result, progress):
                break
        ctx.run_later()
    _finish_errors(workbook, found, result)
    if result.errors or dry_run:
        return result
    if progress:
        progress(WRITING, 0, 0)
    started = time.monotonic()
    with transaction.atomic():
        apply(ctx.plan)
    result.written, result.write_seconds = True, time.monotonic() - started
    if sum(s.rows for s in result.sheets) >= BULK:
        refresh_statistics()
    return result


def _find_sheets(workbook, result: ImportResult) -> list[tuple[Sheet, str]]:
    """The workbook's known sheets with their titles, in dependency order. An unknown sheet is an error in
    `result`, unless it is blank (then a notice); a workbook with no known sheet and no other error is one too."""
    found: list[tuple[Sheet, str]] = []
    for title in workbook.sheetnames:
        sheet = find_sheet(title)
        if sheet is None:
            if _is_empty(workbook[title]):
                result.notices.append(f"空白工作表“{title}”已忽略。")
            else:
                names = "、".join(s.name for s in all_sheets())
                result.errors.append(
                    ImportError_(title, None, "", "", f"不认识的工作表，工作表名应为{names}之一")
                )
            continue
        found.append((sheet, title))
    if not found and not result.errors:
        result.errors.append(ImportError_("", None, "", "", "工作簿中没有可导入的台账工作表。"))
    found.sort(key=lambda pair: pair[0].order)
    return found


def _import_sheet(
    sheet: Sheet, title: str, path, workbook, ctx: ImportContext, result: ImportResult, progress
) -> bool:
    """Check and load one sheet (its header, then its rows), adding its SheetResult to `result`. A sheet
    without a usable header only adds errors. True when the errors are now too many and checking must stop."""
    ctx.sheet = sheet
    before = len(ctx.errors)
    rows = sheet_rows(path, workbook, title, sheet.required)
    if rows is None:
        missing = "、".join(c.name for c in sheet.columns if c.name in sheet.required)
        ctx.error(None, "", f"没有找到表头行（应含{missing}），或工作表为空")
        return False
    if not _header_ok(sheet, rows, ctx):
        return False
    total = max((workbook[title].max_row or 0) - rows.header_row, 0)
    stats = SheetResult(sheet.name)
    _load_rows(sheet, rows, ctx, result, stats, total, progress)
    if stats.rows == 0:  # a template's sheet left blank: nothing to do (all of them blank: an error below)
        result.notices.append(f"工作表“{sheet.name}”表头下没有数据，已跳过。")
    if progress:
        progress(sheet.name, stats.rows, total)
    counts = ctx.counts[sheet.name]
    stats.created, stats.updated, stats.unchanged = (
        counts["created"],
        counts["updated"],
        counts["unchanged"],
    )
    stats.refused = len({e.row for e in ctx.errors[before:]})
    result.sheets.append(stats)
    if sheet.order <= 30:  # organisations and members: the later sheets name them
        ctx.refresh()
    if len(ctx.errors) > MAX_ERRORS:
        result.notices.append(f"错误超过{MAX_ERRORS}处，已停止检查；请先改正列出的错误。")
        return True
    return False


def _load_rows(
    sheet: Sheet,
    rows,
    ctx: ImportContext,
    result: ImportResult,
    stats: SheetResult,
    total: int,
    progress,
) -> None:
    """Parse a sheet's data rows (skipping the template's example row, with a notice) and load the good ones
    in chunks of `sheet.chunk` (all at once when it has none), counting the rows in `stats` and reporting
    progress after each chunk. Stops early once the errors are too many."""
    present = frozenset(name for name in rows.columns if name)
    chunk: list[Row] = []
    for number, raw in rows.rows:
        if is_example(sheet, raw):
            result.notices.append(f"工作表“{sheet.name}”第{number}行是模板中的示例，已跳过。")
            continue
        row = _parse(sheet, number, raw, ctx, present)
        stats.rows += 1
        if row is not None:
            chunk.append(row)
        if sheet.chunk and len(chunk) >= sheet.chunk:
            sheet.load(chunk, ctx)
            chunk = []
            if progress:
                progress(sheet.name, stats.rows, total)
        if len(ctx.errors) > MAX_ERRORS:
            break
    if chunk:
        sheet.load(chunk, ctx)


def _finish_errors(workbook, found: list[tuple[Sheet, str]], result: ImportResult) -> None:
    """Complete `result.errors` once the sheets are checked: an error when the known sheets hold no data row
    at all, then the errors in the workbook's sheet order and by row, cut to SHOWN_ERRORS with a last line
    saying how many more there are."""
    if found and not result.errors and not any(s.rows for s in result.sheets):
        result.errors.append(ImportError_("", None, "", "", "工作簿中没有数据行：请在表头下填写后再导入。"))
    position = {title: n for n, title in enumerate(workbook.sheetnames)}
    names = {sheet.name: title for sheet, title in found}
    result.errors.sort(key=lambda e: (position.get(names.get(e.sheet, e.sheet), -1), e.row or 0))
    if len(result.errors) > SHOWN_ERRORS:
        hidden = len(result.errors) - SHOWN_ERRORS
        del result.errors[SHOWN_ERRORS:]
        more = f"另有{hidden}条错误未列出；请先改正以上错误，再导入检查。"
        result.errors.append(ImportError_("", None, "", "", more))


def _is_empty(worksheet) -> bool:
    for row in worksheet.iter_rows(values_only=True):
        if any(value is not None and str(value).strip() for value in row):
            return False
    return True


PARSERS = {
    "date": v.parse_date,
    "month": v.parse_month,
    "int": v.parse_int,
    "mobile": v.parse_mobile,
    "yes_no": v.parse_yes_no,
}


def _header_ok(sheet: Sheet, rows, ctx: ImportContext) -> bool:
    """Refuse a header that names one of the sheet's columns twice (naming both), or has hundreds of columns."""
    ok = True
    known = {c.name for c in sheet.columns}
    for name, letters in rows.duplicates.items():
        if name in known:
            ctx.error(
                rows.header_row,
                name,
                f"表头中{'、'.join(letters)}列都是“{name}”，无法确定用哪一列：请删去或改名其中一列",
            )
            ok = False
    if rows.named > MAX_COLUMNS:
        ctx.error(rows.header_row, "", f"表头有{rows.named}列，超过{MAX_COLUMNS}列，不像台账：请删去多余的列")
        ok = False
    return ok


def _parse(sheet: Sheet, number: int, raw: dict, ctx: ImportContext, present: frozenset[str]) -> Row | None:
    """A row with its PARSED columns turned into values; None (and errors) when any cell is wrong. Every cell
    is normalised first (core.cleaning), and refused when it is a formula or an Excel error value (#REF!, …),
    holds control characters or is longer than its column allows."""
    values, ok = {}, True
    for column in sheet.columns:
        value = raw.get(column.name)
        if is_formula(value):
            ctx.error(number, column.name, "单元格是公式，请复制后“选择性粘贴为数值”再导入", value)
            ok = False
            continue
        if is_error(value):
            ctx.error(number, column.name, excel_error(column.name, value), value)
            ok = False
            continue
        try:
            value = _clean(column, value)
        except Refused as exc:
            ctx.error(number, column.name, str(exc), value)
            ok = False
            continue
        if v.is_blank(value):
            if column.required:
                ctx.error(number, column.name, "必填项，不能为空")
                ok = False
            values[column.name] = "" if column.kind in ("text",) else None
            continue
        try:
            values[column.name] = _parse_value(column, value)
        except Refused as exc:
            ctx.error(number, column.name, str(exc), value)
            ok = False
        except (ValueError, TypeError, OverflowError):  # not ours: its text is not for the user
            ctx.error(number, column.name, "无法识别这个值，请检查", value)
            ok = False
    return Row(number, values, present) if ok else None


def _clean(column: Column, value):
    """A cell through the one normaliser; Refused for an Excel error value, control characters, over-long text
    (never cut) and, in a count, digits that are not plain digits (², ①)."""
    if not isinstance(value, str):
        return value
    if column.kind == "int" and has_odd_digits(value):
        return value  # not normalised: parse_count refuses the ² that NFKC would make a 2
    cleaned = normalise_text(value)
    # An Excel error value comes as an error cell (is_error); a text cell "#N/A" (written '#N/A) is text.
    check_text(cleaned, label=column.name, limit=column.text_limit, excel_errors=False)
    return cleaned


def _parse_value(column: Column, value):
    if column.kind == "choice":
        return v.parse_choice(value, column.choices)
    if column.rule:  # a date bounded by its meaning first: its message says more than 1900-2100
        day = v.parse_date(value, bounded=False)
        DATE_RULES[column.rule](day, label=column.name)
        return v.bounded_date(day)
    parser = PARSERS.get(column.kind)
    if parser:
        return parser(value)
    return v.text(value)  # names and organisations: resolved by the sheet through the context
