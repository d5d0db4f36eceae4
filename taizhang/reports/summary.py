"""The work summary (工作总结), computed: what the summary of an organisation's subtree says, as plain data.

Rendering (the Word template, reports/docx_template.py) only formats this. Every figure comes from the
indicator engine; an indicator the campaign declares without saying yet what it counts has the value None
(not computed), which a template treats like zero: its sentence is left out.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from taizhang.core.dates import cn_date
from taizhang.indicators.engine import compute, indicators_of
from taizhang.orgs.choices import OrgKind

from . import examples as example_lists

CN_DIGITS = "零一二三四五六七八九"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (the numbers of level-1 headings)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{CN_DIGITS[tens] if tens > 1 else ''}十{CN_DIGITS[ones] if ones else ''}"


def place_name(org) -> str:
    """The place an organisation stands for: 甲乡党委 → 甲乡, XX县委 → XX县; other kinds keep their name."""
    name = org.name
    if org.kind == OrgKind.COMMITTEE and name.endswith("党委") and len(name) > 2:
        return name[:-2]
    if org.kind == OrgKind.COUNTY and name.endswith("委") and len(name) > 1:
        return name[:-1]
    return name


def signature_name(org) -> str:
    """The issuing organisation at the end of the summary: 中共甲乡委员会 for a committee or a county."""
    if org.kind in (OrgKind.COMMITTEE, OrgKind.COUNTY):
        return f"中共{place_name(org)}委员会"
    return org.name


def campaign_short_name(campaign) -> str:
    """学习贯彻…主题教育（第二批） → 第二批主题教育; a campaign with a `short_name` keeps it."""
    short = getattr(campaign, "short_name", "")
    if short:
        return short
    match = re.fullmatch(r".*?(主题教育|学习教育)（(.+)）", campaign.name)
    if match:
        return f"{match.group(2)}{match.group(1)}"
    return campaign.name


@dataclass(frozen=True)
class Declared:
    """An indicator as the campaign declares it (whether or not the engine can compute it yet)."""

    code: str
    label: str
    unit: str
    part: str


def declared_indicators(campaign) -> list[Declared]:
    return [
        Declared(d["code"], d.get("label", d["code"]), d.get("unit", ""), d.get("part", ""))
        for d in campaign.indicators
        if isinstance(d, dict) and d.get("code")
    ]


@dataclass(frozen=True)
class FigureLine:
    code: str
    label: str
    unit: str
    part: str
    value: int | None  # None: declared, not computed yet

    @property
    def stated(self) -> bool:
        """Whether a summary states it: computed and not zero."""
        return bool(self.value)


@dataclass
class PartSummary:
    number: int
    ordinal: str  # 一
    short: str  # 谋
    name: str  # “谋”字为先打基础
    heading: str  # 一、“谋”字为先打基础
    description: str  # what the part's work is (from the campaign file)
    figures: list[FigureLine] = field(default_factory=list)  # the part's stated figures, in declared order


@dataclass
class SummaryData:
    campaign: object
    org: object
    as_of: datetime.date | None
    date: datetime.date  # the summary's date: the as-of date, or today
    year: int
    place: str
    campaign_short: str
    title: str
    signature: str
    figures: dict[str, FigureLine]
    parts: list[PartSummary]
    examples: dict[str, list[str]]

    @property
    def date_text(self) -> str:
        return cn_date(self.date)


def build_summary(campaign, org, *, as_of: datetime.date | None = None, today=None) -> SummaryData:
    """Everything the summary of org's subtree says: computed figures by code and by part, and examples."""
    computable = indicators_of(campaign)
    values = compute(campaign, org, as_of=as_of, indicators=computable)
    figures = {
        d.code: FigureLine(d.code, d.label, d.unit, d.part, values.get(d.code))
        for d in declared_indicators(campaign)
    }
    parts = []
    for number, part in enumerate(campaign.parts.all(), start=1):
        ordinal = cn_ordinal(number)
        parts.append(
            PartSummary(
                number=number,
                ordinal=ordinal,
                short=part.short,
                name=part.name,
                heading=f"{ordinal}、{part.name}",
                description=part.description,
                figures=[f for f in figures.values() if f.part == part.short and f.stated],
            )
        )
    date = as_of or today or timezone.localdate()
    place = place_name(org)
    short = campaign_short_name(campaign)
    return SummaryData(
        campaign=campaign,
        org=org,
        as_of=as_of,
        date=date,
        year=campaign.start_date.year,
        place=place,
        campaign_short=short,
        title=f"{campaign.start_date.year}年{place}{short}工作开展情况的工作总结",
        signature=signature_name(org),
        figures=figures,
        parts=parts,
        examples=example_lists.collect(campaign, org, as_of),
    )
