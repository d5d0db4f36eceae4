"""Clean input, in one place, for forms and imports alike.

Text is normalised before it is validated or stored: Unicode NFKC (full-width letters and digits become
ASCII), other decimal digits (Arabic-Indic, Devanagari, …) become ASCII digits, invisible characters
(zero-width spaces and joiners, the byte-order mark, bidi controls) are removed, no-break and ideographic
spaces become plain spaces, and the ends are trimmed. What normalising cannot make right is refused with a
Chinese message: control characters, Excel error values (#REF!, #VALUE!, …), text longer than its field,
dates outside what they can mean, counts that are not whole numbers ≥ 0.

Django-free: the rules raise `Refused` (a ValueError whose message is ours, in Chinese); the form mixin
(core.forms.CleanInput), the models' clean() and the ledger importer turn it into their own kind of error.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# A text field without max_length (问题描述, 会议记录, …) takes at most this many characters.
TEXT_LIMIT = 5000
MAX_COUNT = 1_000_000  # a count (参加人数, 数量) beyond this is a typing error, not a count
PARTY_FOUNDED = datetime.date(1921, 7, 1)
MEETING_AHEAD_DAYS = 365  # a meeting dated further ahead is a typing error, not a plan
DEADLINE_YEARS = 10

EXCEL_ERRORS = frozenset(
    {"#REF!", "#VALUE!", "#N/A", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)

# Removed: zero-width space/non-joiner/joiner, word joiner, BOM / zero-width no-break space, bidi marks,
# embeddings, overrides and isolates, soft hyphen.
INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x061C, 0x00AD]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
# Made plain spaces: no-break, ideographic and the other Unicode spaces NFKC leaves (or makes) odd.
SPACES = dict.fromkeys([0x00A0, 0x3000, 0x2007, 0x202F, 0x205F, 0x1680, *range(0x2000, 0x200B)], " ")
LINE_BREAKS = {0x2028: "\n", 0x2029: "\n", 0x0085: "\n"}
TRANSLATE = {**INVISIBLE, **SPACES, **LINE_BREAKS}


class Refused(ValueError):
    """A value that cleaning cannot make right; the message says why, in Chinese, for the user."""


@lru_cache(maxsize=8192)
def _compatible(c: str) -> str:
    """One character after NFC, as NFKC would make it where that is a plain letter, digit or ideograph:
    full-width Ａ１ → A1, Arabic-Indic and other decimal digits → 0-9, a Kangxi radical or compatibility
    ideograph → the ideograph. Punctuation and symbols stay as typed (，：（）……①²㎡ are Chinese text, and
    NFKC would make them , : ( ) ...... 1 2 m2)."""
    if c.isascii():
        return c
    category = unicodedata.category(c)
    if category == "Nd":
        return str(unicodedata.decimal(c))
    compatible = unicodedata.normalize("NFKC", c)
    if compatible == c:
        return c
    if category in ("Lu", "Ll", "Lt", "Lm", "Lo") and all(x.isascii() and x.isalnum() for x in compatible):
        return compatible
    if category in ("Lo", "So") and all("CJK" in unicodedata.name(x, "") for x in compatible):
        return compatible  # a Kangxi radical or compatibility ideograph: a look-alike of the ideograph
    return c


def normalise_text(value):
    """A string as it is to be stored: NFC, and NFKC for letters, digits and ideographs (so full-width and
    other digits become ASCII digits); no invisible characters (zero-width, BOM, bidi controls); no-break,
    ideographic and other spaces made plain spaces; trimmed. Anything that is not a string is returned as
    it is."""
    if not isinstance(value, str):
        return value
    if value.isascii():
        return value.strip()
    value = unicodedata.normalize("NFC", value.translate(TRANSLATE))
    return "".join(_compatible(c) for c in value).strip()


def normalise_number_text(value) -> str:
    """Text that holds a number, a date or a mobile: normalise_text, and full-width punctuation as ASCII
    (２０２３／９／１５ → 2023/9/15, ＋86 → +86)."""
    value = normalise_text("" if value is None else str(value))
    return value.translate(FULLWIDTH_PUNCTUATION)


FULLWIDTH_PUNCTUATION = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {
    0x2212: "-",
    0x2014: "-",
    0x2013: "-",
}


def has_odd_digits(value) -> bool:
    """Whether a text holds digits that are not plain decimal digits (superscripts ², circled ①, …): such a
    count is refused rather than read as the digit NFKC would make of it."""
    return isinstance(value, str) and any(
        unicodedata.category(c) == "No" or (unicodedata.digit(c, None) is not None and not c.isdecimal())
        for c in value
    )


# -- refusals ----------------------------------------------------------------------------------------------


def is_excel_error(value) -> bool:
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def control_characters(value: str, *, multiline: bool = True) -> list[str]:
    """The control characters left in a text (\\n, \\r and \\t are allowed in multi-line text), as U+XXXX."""
    allowed = "\n\r\t" if multiline else ""
    found = []
    for c in value:
        if c not in allowed and unicodedata.category(c) in ("Cc", "Cs"):
            code = f"U+{ord(c):04X}"
            if code not in found:
                found.append(code)
    return found


def check_text(
    value: str,
    *,
    label: str = "",
    limit: int | None = TEXT_LIMIT,
    multiline: bool = True,
    excel_errors: bool = True,
) -> str:
    """A normalised text, or Refused: an Excel error value (unless the caller knows it from the cell's type),
    a control character, longer than `limit`."""
    what = label or "内容"
    if excel_errors and is_excel_error(value):
        raise Refused(excel_error(what, value))
    controls = control_characters(value, multiline=multiline)
    if controls:
        raise Refused(f"{what}含有不可见的控制字符（{'、'.join(controls[:3])}），请删除后重新填写")
    if limit and len(value) > limit:
        raise Refused(too_long(label, limit, len(value)))
    return value


def excel_error(label: str, value: str) -> str:
    return f"{label or '内容'}是 Excel 错误值“{value.strip()}”，请改正原表中的公式或数据后再填写"


def too_long(label: str, limit: int, length: int) -> str:
    return f"{label or '内容'}最多{limit}个字，现有{length}个字，请删减后再填写（不会自动截断）"


def limit_of(model, field_name: str) -> int:
    """The length limit of a model's text field: its max_length, or TEXT_LIMIT for a TextField."""
    return model._meta.get_field(field_name).max_length or TEXT_LIMIT


def shown(value, limit: int = 30) -> str:
    """A value as an error message quotes it: control characters as �, long text cut with … (the message
    says its full length)."""
    text = "".join("�" if unicodedata.category(c) in ("Cc", "Cs") else c for c in str(value))
    return text if len(text) <= limit else f"{text[:limit]}…"


# -- numbers and mobiles ------------------------------------------------------------------------------------

COUNT_SUFFIXES = ("人次", "人", "个", "条", "次", "处", "幅", "篇", "块", "张")


def parse_count(value) -> int:
    """A count: a whole number ≥ 0 (an Excel number, or text with an optional unit such as 人). Booleans,
    decimals, superscripts, negatives and absurdly large numbers are refused."""
    if isinstance(value, bool):
        raise Refused("不是整数：不能是 TRUE/FALSE（是/否）")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Refused("不是整数")
        if not value.is_integer():
            raise Refused("不是整数：不能有小数")
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        raw = str(value)
        if has_odd_digits(raw):
            raise Refused("不是整数：不能含上标、下标或带圈数字等特殊数字")
        raw = normalise_number_text(raw).replace(",", "").replace(" ", "")
        for suffix in COUNT_SUFFIXES:
            raw = raw.removesuffix(suffix)
        raw = re.sub(r"\.0+$", "", raw)
        if re.fullmatch(r"-\d+", raw):
            raise Refused("不能为负数")
        if re.fullmatch(r"\d+\.\d+", raw):
            raise Refused("不是整数：不能有小数")
        if not re.fullmatch(r"\d+", raw, re.ASCII):
            raise Refused("不是整数")
        if len(raw) > 12:
            raise Refused(f"数值过大（不能超过{MAX_COUNT}）")
        number = int(raw)
    if number < 0:
        raise Refused("不能为负数")
    if number > MAX_COUNT:
        raise Refused(f"数值过大（不能超过{MAX_COUNT}）")
    return number


MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
MOBILE_MESSAGE = "手机号码应为11位中国大陆手机号（以1开头，第二位为3至9）。"


def normalise_mobile(value) -> str:
    """A mobile as written (number or text, full-width or other digits, spaces, hyphens, +86 or 0086 in
    front) as its 11 ASCII digits; anything else unchanged, for is_mobile to refuse."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = re.sub(r"[\s\-()]", "", normalise_number_text(value))
    for prefix in ("+86", "0086"):
        if raw.startswith(prefix) and len(raw) == len(prefix) + 11:
            raw = raw[len(prefix) :]
    if raw.startswith("86") and len(raw) == 13:
        raw = raw[2:]
    return raw


def is_mobile(value: str) -> bool:
    return bool(MOBILE.fullmatch(value or ""))


def check_mobile(value: str) -> str:
    if value and not is_mobile(value):
        raise Refused(f"“{shown(value)}”不是有效的手机号码：{MOBILE_MESSAGE}")
    return value


# -- dates by what they mean ---------------------------------------------------------------------------------


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _today(today: datetime.date | None) -> datetime.date:
    if today is not None:
        return today
    try:
        from django.utils import timezone

        return timezone.localdate()
    except Exception:  # outside Django (settings not configured)
        return datetime.date.today()


@dataclass(frozen=True)
class DateRule:
    """A bound on a date by what it means, called as rule(day, *, label=…, today=None): an empty date passes
    (whether one is required is the field's business); a date before `earliest` or after `latest(today)` is
    refused with its message, where {label} is the field's name, {day} the date and {latest} the bound."""

    label: str  # the field's name when the caller does not give one
    latest: Callable[[datetime.date], datetime.date]
    too_late: str
    earliest: datetime.date | None = None
    too_early: str = ""

    def __call__(
        self, day: datetime.date | None, *, label: str | None = None, today: datetime.date | None = None
    ) -> None:
        if day is None:
            return
        label = self.label if label is None else label
        if self.earliest and day < self.earliest:
            raise Refused(self.too_early.format(label=label, day=cn_date(day)))
        latest = self.latest(_today(today))
        if day > latest:
            raise Refused(self.too_late.format(label=label, day=cn_date(day), latest=cn_date(latest)))


def _ten_years_on(today: datetime.date) -> datetime.date:
    return today.replace(year=today.year + DEADLINE_YEARS, day=28 if today.month == 2 else today.day)


# 入党时间: not before the party was founded (1921-07-01), not in the future.
check_join_date = DateRule(
    label="入党时间",
    earliest=PARTY_FOUNDED,
    too_early="{label}{day}早于建党日期（1921年7月1日），请检查",
    latest=lambda today: today,
    too_late="{label}{day}晚于今天（{latest}），请检查",
)
# A meeting: not more than a year ahead (further is a typing error, not a plan).
check_meeting_date = DateRule(
    label="日期",
    latest=lambda today: today + datetime.timedelta(days=MEETING_AHEAD_DAYS),
    too_late="{label}不能晚于一年以后（{latest}），请检查是否填错了年份。",
)
# A deadline: within ten years from today.
check_deadline = DateRule(
    label="时限",
    latest=_ten_years_on,
    too_late="{label}{day}超过十年以后（{latest}），请检查是否填错了年份",
)

DATE_RULES = {"join": check_join_date, "meeting": check_meeting_date, "deadline": check_deadline}


# -- file names --------------------------------------------------------------------------------------------


def safe_filename(name: str, *, default: str = "上传的文件") -> str:
    """An uploaded file's name as it may be shown and stored: no folders (../), no invisible or bidi
    characters (an RTL override would show "xslx.exe" as "exe.xlsx"), no control characters, at most 120
    characters."""
    name = normalise_text(str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    name = name.strip().lstrip(".").strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[:110]}{dot}{ext[:8]}" if dot and len(ext) <= 8 else name[:120]
    return name or default
