"""Reads for the report pages and command: which organisation, campaign and date; which template."""

from __future__ import annotations

import datetime
from pathlib import Path

from taizhang.campaigns.models import Campaign
from taizhang.core.params import page_params
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation

from .models import SummaryTemplate

DATA_DIR = Path(__file__).resolve().parent / "data"
GENERIC_TEMPLATE = DATA_DIR / "summary-generic.docx"


def page_context(request) -> tuple[Campaign, Organisation, datetime.date | None]:
    """The organisation (?org=, default the user's own; 404 out of scope), the campaign (?campaign=, default
    the current one) and the as-of date (?as_of=, default none: every record) of a report page: the one
    reading of core.params, which refuses an unknown value with a Chinese message."""
    params = page_params(request)
    return params.campaign, params.org, params.as_of


def township_of(org: Organisation) -> Organisation | None:
    """The committee whose template a summary of org uses: org itself, or the committee above it (None for a
    county)."""
    if org.kind == OrgKind.COMMITTEE:
        return org
    if org.kind == OrgKind.COUNTY:
        return None
    return org.township()


def default_template_path(campaign: Campaign) -> Path:
    """The template shipped for the campaign (data/summary-<code>.docx), or the generic one."""
    own = DATA_DIR / f"summary-{campaign.code}.docx"
    return own if own.exists() else GENERIC_TEMPLATE


def current_upload(committee: Organisation | None, campaign: Campaign) -> SummaryTemplate | None:
    if committee is None:
        return None
    return SummaryTemplate.objects.filter(organisation=committee, campaign=campaign).first()


def template_for(org: Organisation, campaign: Campaign) -> tuple[bytes, SummaryTemplate | None]:
    """The template a summary of org uses: its township's own upload, else the one shipped with the project."""
    upload = current_upload(township_of(org), campaign)
    if upload is not None:
        with upload.file.open("rb") as f:
            return f.read(), upload
    return default_template_path(campaign).read_bytes(), None


def template_versions(committee: Organisation, campaign: Campaign):
    """Every upload of the township for the campaign, newest first, withdrawn ones included."""
    return (
        SummaryTemplate.all_objects.filter(organisation=committee, campaign=campaign)
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


def report_orgs(user, org: Organisation):
    """The organisations a report page offers to switch to: org, the organisation above it if visible, and the
    active organisations directly under it."""
    choices = list(
        Organisation.objects.visible_to(user)
        .filter(parent=org, retired_at__isnull=True)
        .order_by("order", "pk")
    )
    above = Organisation.objects.visible_to(user).filter(pk=org.parent_id).first() if org.parent_id else None
    return ([above] if above else []) + [org] + choices
