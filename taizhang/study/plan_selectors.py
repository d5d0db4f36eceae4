"""Reads of the campaign's deployment and study plans (谋): which branches passed the deployment on, and each
organisation's plan against what it held."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth

from taizhang.core.scoping import subtree_ids
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation

from .choices import DEPLOYMENT_TYPES, MeetingType
from .models import Meeting, PlannedMeeting

# Deployment (谋) --------------------------------------------------------------------------------------


@dataclass
class Deployment:
    meetings: list[Meeting]  # the mobilisation and deployment meetings above the branches
    held: list[tuple[Organisation, Meeting]]  # branches and their first 党员大会
    not_held: list[Organisation]

    @property
    def branches(self) -> int:
        return len(self.held) + len(self.not_held)


def deployment(*, org: Organisation, campaign) -> Deployment:
    """Which branches of org's subtree have held a 党员大会 in the campaign (passing on the deployment)."""
    org_ids = subtree_ids(org.pk)
    branches = list(
        Organisation.objects.filter(pk__in=org_ids, kind=OrgKind.BRANCH)
        .active()
        .with_tree_fields()
        .order_siblings_by("order", "name")
    )
    meetings = list(
        Meeting.objects.filter(organiser__in=org_ids, campaign=campaign, type__in=DEPLOYMENT_TYPES)
        .select_related("organiser")
        .order_by("date", "pk")
    )
    first: dict[int, Meeting] = {}
    for m in meetings:
        if m.type == MeetingType.MEMBERS_MEETING:
            first.setdefault(m.organiser_id, m)
    return Deployment(
        meetings=[m for m in meetings if m.organiser.kind != OrgKind.BRANCH],
        held=[(b, first[b.pk]) for b in branches if b.pk in first],
        not_held=[b for b in branches if b.pk not in first],
    )


# Study plans -----------------------------------------------------------------------------------------


def campaign_months(campaign) -> list[datetime.date]:
    months, month = [], campaign.start_date.replace(day=1)
    while month <= campaign.end_date:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _held(org_ids, campaign) -> dict[tuple[int, datetime.date, str], int]:
    rows = (
        Meeting.objects.filter(
            organiser__in=org_ids, date__gte=campaign.start_date.replace(day=1), date__lte=campaign.end_date
        )
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("organiser_id", "month", "type")
        .annotate(n=Count("pk"))
    )
    return {(org_id, _as_date(month), type_): n for org_id, month, type_, n in rows}


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


@dataclass
class PlanRow:
    org: Organisation
    depth: int
    planned: int = 0
    done: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


def plan_progress(user, *, campaign, org: Organisation | None = None) -> list[PlanRow]:
    """Plan against done for each visible organisation (of org's subtree): a planned item is done when a
    meeting of its type organised by its organisation falls in its month. Three queries."""
    orgs = Organisation.objects.visible_to(user).active().exclude(kind=OrgKind.COUNTY)
    if org is not None:
        orgs = orgs.filter(pk__in=subtree_ids(org.pk))
    orgs = list(orgs.with_tree_fields().order_siblings_by("order", "name"))
    ids = [o.pk for o in orgs]
    planned = (
        PlannedMeeting.objects.filter(organisation__in=ids, campaign=campaign)
        .order_by()
        .values_list("organisation_id", "month", "type")
        .annotate(n=Count("pk"))
    )
    held = _held(ids, campaign)
    top = min((o.tree_depth for o in orgs), default=0)
    rows = {o.pk: PlanRow(o, o.tree_depth - top) for o in orgs}
    for org_id, month, type_, n in planned:
        row = rows[org_id]
        row.planned += n
        row.done += min(n, held.get((org_id, month, type_), 0))
    return list(rows.values())


@dataclass
class PlanMonth:
    month: datetime.date
    items: list[tuple[PlannedMeeting, bool]]
    held: list[tuple[str, int]]  # meetings of the month by type


def plan_of(org: Organisation, campaign) -> list[PlanMonth]:
    """An organisation's plan month by month, each item with whether it is done, beside what was held."""
    items = PlannedMeeting.objects.filter(organisation=org, campaign=campaign).order_by("month", "type", "pk")
    held = _held([org.pk], campaign)
    used: dict[tuple, int] = defaultdict(int)
    months = {m: PlanMonth(m, [], []) for m in campaign_months(campaign)}
    for item in items:
        key = (org.pk, item.month, item.type)
        done = used[key] < held.get(key, 0)
        used[key] += 1
        months.setdefault(item.month, PlanMonth(item.month, [], [])).items.append((item, done))
    for (_, month, type_), n in sorted(held.items(), key=lambda kv: kv[0][2]):
        if month in months:
            months[month].held.append((type_, n))
    return [months[m] for m in sorted(months)]
