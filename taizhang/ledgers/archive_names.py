"""The archive's six classes, which ledger sheet goes to which, and the names of the items filed in them
(ledgers.archive describes the whole)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

DEPLOY = "部署动员类"
STUDY = "理论学习类"
RESEARCH = "调查研究类"
RECTIFY = "整改整治推动发展类"
REPORTS = "总结评估类"
OTHER = "其他类"
CLASSES = (DEPLOY, STUDY, RESEARCH, RECTIFY, REPORTS, OTHER)
FOLDERS = {name: f"{number}{name}" for number, name in enumerate(CLASSES, start=1)}
CATALOGUE = "目录.xlsx"

# Ledger sheets by class; a sheet not named here goes to 其他类.
SHEET_CLASSES = {
    "组织": OTHER,
    "党员": OTHER,
    "学习计划": DEPLOY,
    "会议活动": STUDY,
    "补学": STUDY,
    "调研走访": RESEARCH,
    "干事创业清单": RESEARCH,
    "走访企业": RESEARCH,
    "问题清单": RECTIFY,
    "谈心谈话": RECTIFY,
    "党建工作体检": RECTIFY,
    "为民办实事": RECTIFY,
    "结对共建": RECTIFY,
    "宣传": OTHER,
}

UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]+')  # what Windows refuses in a file name
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}")
STEM_LIMIT = 60  # characters of the name after the date and number


@dataclass
class Entry:
    """One item of a class: its catalogue row and how to open its content (OSError: the file is missing)."""

    date: datetime.date
    stem: str
    ext: str
    title: str
    source: str
    org: str
    order: tuple = ()
    open: Callable[[], BinaryIO] | None = None  # the file's content, opened when it is written
    size: int | None = None
    name: str = ""  # set when numbered
    missing: bool = False

    def number(self, number: int, width: int) -> str:
        """Name the item "<date>_<序号>_<name><ext>" as the `number`th of its class (`width` digits)."""
        self.name = f"{self.date.isoformat()}_{number:0{width}d}_{safe_stem(self.stem)}{self.ext}"
        return self.name


def safe_stem(text: str, limit: int = STEM_LIMIT) -> str:
    """A file name (without extension) that every system accepts: no path separators, no characters Windows
    refuses, no leading or trailing dots and spaces, at most `limit` characters."""
    text = UNSAFE.sub("_", " ".join(str(text).split())).strip(" ._")
    return text[:limit].rstrip(" ._") or "材料"


def extension_of(original_name: str, kind: str = "") -> str:
    suffix = PurePath(original_name or "").suffix
    if EXTENSION.fullmatch(suffix):
        return suffix.lower()
    return f".{kind}" if kind else ""


def book_title(text: str) -> str:
    """《text》, with titles inside it in 〈〉 as Chinese usage nests them."""
    return "《" + text.replace("《", "〈").replace("》", "〉") + "》"


def iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def source_text(kind: str, day: datetime.date | None, org: str, what: str = "") -> str:
    """A catalogue's 来源记录: "<kind>：<date> <organisation><what>", e.g. "会议活动：2023-09-15 甲一村党支部
    专题研讨《…》" (`what` brings its own leading space where it needs one)."""
    return f"{kind}：{iso(day)} {org}{what}"
