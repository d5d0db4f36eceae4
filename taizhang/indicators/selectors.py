"""Reads for the indicator pages and command: which organisation, which campaign, which date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404

from taizhang.campaigns.models import Campaign
from taizhang.core.params import campaign_by_code, parse_as_of
from taizhang.orgs.models import Organisation

from .engine import Indicator, compute, indicators_of


@dataclass
class Figure:
    indicator: Indicator
    value: int


@dataclass
class FigureTable:
    campaign: Campaign
    org: Organisation
    as_of: datetime.date | None
    parts: list[tuple[str, list[Figure]]]


def figure_table(
    campaign: Campaign,
    org: Organisation,
    as_of: datetime.date | None = None,
    *,
    values: dict[str, int | None] | None = None,
    indicators: list[Indicator] | None = None,
) -> FigureTable:
    """The organisation's figures by part (`values`: already computed, e.g. with a table's rows)."""
    indicators = indicators if indicators is not None else indicators_of(campaign)
    if values is None:
        values = compute(campaign, org, as_of=as_of, indicators=indicators)
    order = [part.short for part in campaign.parts.all()]
    parts: dict[str, list[Figure]] = {short: [] for short in order}
    for indicator in indicators:
        parts.setdefault(indicator.part or "其他", []).append(Figure(indicator, values[indicator.code]))
    return FigureTable(campaign, org, as_of, [(part, figures) for part, figures in parts.items() if figures])


def find_org(name: str) -> Organisation:
    """An organisation by its name or short name, for commands; a Chinese error when none or several."""
    matches = list(Organisation.objects.filter(name=name)) or list(
        Organisation.objects.filter(short_name=name)
    )
    if not matches:
        raise ValidationError(f"没有名为“{name}”的组织。")
    if len(matches) > 1:
        raise ValidationError(f"名为“{name}”的组织有{len(matches)}个，请写全称。")
    return matches[0]


def find_campaign(code: str | None) -> Campaign:
    """The campaign of a command's --campaign, else the current one: core.params' reading, in the words of
    a command."""
    try:
        return campaign_by_code(code or "")
    except BadRequest:
        raise ValidationError(f"没有代码为“{code}”的主题教育。") from None
    except Http404:
        raise ValidationError("尚未设定当前主题教育，请用 --campaign 指定。") from None


def parse_date(value: str | None) -> datetime.date | None:
    """A command's --as-of (2023-12-20; blank: none): core.params' reading, in the words of a command."""
    try:
        return parse_as_of(value)
    except BadRequest:
        raise ValidationError(f"日期“{value}”应写成 2023-12-20 这样的格式。") from None
