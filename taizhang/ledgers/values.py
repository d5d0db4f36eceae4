"""Cell values as clerks write them, turned into Python values; each parser raises Refused (a ValueError) with a
Chinese message that says what is wrong (the caller adds sheet, row and column). Text goes through the one
input normaliser (core.cleaning) first: full-width and other digits, invisible characters, odd spaces."""

from __future__ import annotations

import datetime
import re

from taizhang.core.cleaning import (
    Refused,
    is_mobile,
    normalise_mobile,
    normalise_number_text,
    normalise_text,
    parse_count,
)
from taizhang.orgs import fields as member_names

DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EARLIEST = datetime.date(1900, 1, 1)  # Excel keeps no date before it; a ledger has none
LATEST = datetime.date(2100, 12, 31)


def text(value) -> str:
    """A cell as text: normalised (core.cleaning), numbers without a trailing .0, dates in ISO form. Excel's
    day 0 (a date before 1900 written by a program) comes as the time 00:00:00: shown as the date it was."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time) and value == datetime.time():
        return "1899-12-31"
    return normalise_text(str(value))


def is_blank(value) -> bool:
    return text(value) == ""


def parse_date(value, *, bounded: bool = True) -> datetime.date:
    """An Excel date, or text in any of 2023-09-15, 2023/9/15, 2023.9.15, 2023年9月15日 (leading zeros
    optional), or an Excel serial number that came through as a number."""
    day = _parse_date(value)
    return bounded_date(day) if bounded else day


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, datetime.time):
        raise Refused("不是日期：单元格是时间，或是 Excel 不能保存的1900年以前的日期")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # 1954..2119 as an Excel serial
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise Refused("不是日期（单元格是数字），请写成 2023-09-15 或 2023年9月15日")
    raw = normalise_number_text(text(value))
    match = DATE_TEXT.match(raw)
    if not match:
        raise Refused("不是日期，请写成 2023-09-15 或 2023年9月15日")
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise Refused("日期不存在") from None


def bounded_date(day: datetime.date) -> datetime.date:
    if not EARLIEST <= day <= LATEST:
        raise Refused("日期应在1900年至2100年之间，请检查是否填错了年份")
    return day


def parse_month(value) -> datetime.date:
    """A month (its first day): 2023-09, 2023/9, 2023年9月, or any date in it."""
    if isinstance(value, datetime.date | datetime.datetime):
        return parse_date(value).replace(day=1)
    match = MONTH_TEXT.match(normalise_number_text(text(value)))
    if match:
        year, month = (int(g) for g in match.groups())
        if 1 <= month <= 12:
            return bounded_date(datetime.date(year, month, 1))
        raise Refused("月份不存在")
    try:
        return parse_date(value).replace(day=1)
    except ValueError:
        raise Refused("不是月份，请写成 2023-09 或 2023年9月") from None


def parse_int(value) -> int:
    """A count: a whole number ≥ 0 (core.cleaning.parse_count)."""
    return parse_count(value)


MASKED_MOBILE = re.compile(r"^1\d{2}\*{4}\d{4}$")


def parse_mobile(value) -> str:
    """An 11-digit mobile; a masked one (138****1111, as a non-admin's export shows it) is "not stated": ""."""
    raw = normalise_mobile(value)
    if MASKED_MOBILE.match(raw):
        return ""
    if not is_mobile(raw):
        raise Refused("不是11位手机号码（以1开头，第二位为3至9）")
    return raw


def parse_choice(value, choices: tuple[str, ...]) -> str:
    raw = text(value).replace(" ", "")
    if raw not in choices:
        raise Refused(f"应为{'、'.join(choices)}之一")
    return raw


def parse_yes_no(value) -> bool:
    raw = text(value)
    if raw in ("是", "已解决", "Y", "y", "1", "True", "TRUE"):
        return True
    if raw in ("否", "未解决", "N", "n", "0", "False", "FALSE"):
        return False
    raise Refused("应为“是”或“否”")


def split_names(value) -> list[str]:
    """The names a cell lists (参加人员, 谈话对象, 检查人), separated as in the forms (orgs.fields)."""
    return member_names.split_names(text(value))
