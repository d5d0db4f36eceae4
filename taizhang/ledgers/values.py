"""Cell values as clerks write them, turned into Python values; each parser raises ValueError with a Chinese
message that says what is wrong (the caller adds sheet, row and column)."""

from __future__ import annotations

import datetime
import re

# 、 ， , ； ; and line breaks separate names in 参加人员, 谈话对象, 检查人.
NAME_SEPARATORS = re.compile(r"\s*[、，,；;\n\r]+\s*")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
MOBILE = re.compile(r"^1\d{10}$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def text(value) -> str:
    """A cell as text: stripped, numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def is_blank(value) -> bool:
    return text(value) == ""


def parse_date(value) -> datetime.date:
    """An Excel date, or text in any of 2023-09-15, 2023/9/15, 2023.9.15, 2023年9月15日 (leading zeros
    optional), or an Excel serial number that came through as a number."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # 1954..2119 as an Excel serial
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError("不是日期")
    raw = text(value)
    match = DATE_TEXT.match(raw)
    if not match:
        raise ValueError("不是日期，请写成 2023-09-15 或 2023年9月15日")
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError("日期不存在") from None


def parse_month(value) -> datetime.date:
    """A month (its first day): 2023-09, 2023/9, 2023年9月, or any date in it."""
    if isinstance(value, datetime.date | datetime.datetime):
        return parse_date(value).replace(day=1)
    match = MONTH_TEXT.match(text(value))
    if match:
        year, month = (int(g) for g in match.groups())
        if 1 <= month <= 12:
            return datetime.date(year, month, 1)
        raise ValueError("月份不存在")
    try:
        return parse_date(value).replace(day=1)
    except ValueError:
        raise ValueError("不是月份，请写成 2023-09 或 2023年9月") from None


def parse_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError("不是整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = text(value).removesuffix("人").removesuffix("个").removesuffix("条").strip()
        if not raw.isdigit():
            raise ValueError("不是整数")
        number = int(raw)
    if number < 0:
        raise ValueError("不能为负数")
    return number


MASKED_MOBILE = re.compile(r"^1\d{2}\*{4}\d{4}$")


def parse_mobile(value) -> str:
    """An 11-digit mobile; a masked one (138****1111, as a non-admin's export shows it) is "not stated": ""."""
    raw = text(value).replace(" ", "").replace("-", "")
    if MASKED_MOBILE.match(raw):
        return ""
    if not MOBILE.match(raw):
        raise ValueError("不是11位手机号码")
    return raw


def parse_choice(value, choices: tuple[str, ...]) -> str:
    raw = text(value).replace(" ", "")
    if raw not in choices:
        raise ValueError(f"应为{'、'.join(choices)}之一")
    return raw


def parse_yes_no(value) -> bool:
    raw = text(value)
    if raw in ("是", "已解决", "Y", "y", "1", "True", "TRUE"):
        return True
    if raw in ("否", "未解决", "N", "n", "0", "False", "FALSE"):
        return False
    raise ValueError("应为“是”或“否”")


def split_names(value) -> list[str]:
    return [name for name in NAME_SEPARATORS.split(text(value)) if name]
