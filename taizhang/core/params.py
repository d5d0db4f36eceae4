"""The one reading of a page's ?campaign=, ?org= and ?as_of=, for every page that takes them.

An unknown or malformed value is refused with a Chinese message (a 400 page that names the value), never
replaced by a default behind the user's back: a figure must be for the organisation, campaign and date
the user asked for. An organisation outside the user's scope is a 404, as everywhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import BadRequest
from django.http import Http404

from .scoping import get_visible_or_404


@dataclass(frozen=True)
class PageParams:
    campaign: object | None  # campaigns.Campaign
    org: object | None  # orgs.Organisation
    as_of: datetime.date | None


def _value(request, name: str) -> str:
    params = request.POST if request.method == "POST" and name in request.POST else request.GET
    return (params.get(name) or "").strip()


def parse_as_of(value: str) -> datetime.date | None:
    """A date written 2023-12-20 (blank: none); anything else is refused with the value in the message."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"截至日期“{value[:40]}”不是有效的日期，应写成 2023-12-20 这样的格式。") from None


def campaign_param(request, *, required: bool = True):
    """?campaign=<code>, else the current campaign. An unknown code is refused, not replaced."""
    return campaign_by_code(_value(request, "campaign"), required=required)


def campaign_by_code(code: str, *, required: bool = True):
    """The campaign of this code, else (no code) the current campaign: an unknown code is refused (400),
    no current campaign is a 404 when one is required."""
    Campaign = apps.get_model("campaigns", "Campaign")
    if code:
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise BadRequest(f"没有代码为“{code[:40]}”的主题教育。")
        return campaign
    campaign = Campaign.current()
    if campaign is None and required:
        raise Http404("尚未设定当前主题教育。")
    return campaign


def org_param(request, *, default: str = "own"):
    """?org=<id> within the user's reading scope (else 404), or by default: "own" (the user's organisation,
    or the top of what he may read), or "none" (the page lets him pick)."""
    Organisation = apps.get_model("orgs", "Organisation")
    raw = _value(request, "org")
    if raw:
        if not raw.isdigit():
            raise BadRequest(f"组织编号“{raw[:40]}”无效。")
        return get_visible_or_404(Organisation, request.user, pk=int(raw))
    if default == "none":
        return None
    if request.user.organisation_id:
        return get_visible_or_404(Organisation, request.user, pk=request.user.organisation_id)
    org = Organisation.objects.visible_to(request.user).filter(parent__isnull=True).order_by("pk").first()
    if org is None:
        raise Http404("没有可查看的组织。")
    return org


def page_params(request, *, campaign_required: bool = True, org_default: str = "own") -> PageParams:
    """The campaign, organisation and as-of date a page is about (see the module's docstring)."""
    return PageParams(
        campaign=campaign_param(request, required=campaign_required),
        org=org_param(request, default=org_default),
        as_of=parse_as_of(_value(request, "as_of")),
    )
