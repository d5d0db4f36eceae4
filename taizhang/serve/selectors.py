"""Reads of the serve area, each starting from what the user may see, in a constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Sum, Value, When

from taizhang.core.deadlines import today
from taizhang.core.scoping import subtree_ids
from taizhang.orgs.models import Organisation

from .choices import GROUP_ORDER, OVERDUE_GROUP, PUBLICITY_UNITS, PublicityKind
from .models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost

# Figures ---------------------------------------------------------------------------------------------


def figures(org: Organisation, as_of: datetime.date | None = None) -> dict[str, int]:
    """serve.service_projects_done, publicity.billboards and publicity.banners for org's subtree (as of a
    date: a project counts from its completion date, a publicity item from its date). Stands in for the
    indicators engine: two queries."""
    ids = subtree_ids(org.pk)
    done = ServiceProject.objects.filter(organisation_id__in=ids).done()
    publicity = PublicityItem.objects.filter(organisation_id__in=ids)
    if as_of is not None:
        done = done.filter(completed_on__lte=as_of)
        publicity = publicity.filter(date__lte=as_of)
    sums = publicity.aggregate(
        billboards=Sum("quantity", filter=Q(kind=PublicityKind.BILLBOARD), default=0),
        banners=Sum("quantity", filter=Q(kind=PublicityKind.BANNER), default=0),
    )
    return {
        "serve.service_projects_done": done.count(),
        "publicity.billboards": sums["billboards"],
        "publicity.banners": sums["banners"],
    }


# Examples for the work summary (reports.examples) ------------------------------------------------------


def project_examples(campaign, root: Organisation, as_of: datetime.date | None) -> list[str]:
    """The names of the service projects of root's subtree done in the campaign, earliest first."""
    return list(ServiceProject.objects.done_under(root, campaign, as_of).values_list("name", flat=True))


def partner_examples(campaign, root: Organisation, as_of: datetime.date | None) -> list[str]:
    """The outside units root's subtree is paired with, the most active first (one query)."""
    partnerships = Partnership.objects.filter(organisation_id__in=subtree_ids(root.pk))
    if as_of is not None:
        partnerships = partnerships.filter(Q(signed_on__isnull=True) | Q(signed_on__lte=as_of))
    rows = partnerships.annotate(
        n=Count("activities", filter=Q(activities__deleted_at__isnull=True))
    ).order_by("-n", "signed_on", "pk")
    return list(dict.fromkeys(p.partner for p in rows))


# Service projects ------------------------------------------------------------------------------------


def _open_overdue(on: datetime.date) -> Q:
    return ~Q(status__in=ServiceProject.DONE_STATUSES) & Q(planned_on__lt=on)


def project_list(
    user,
    *,
    state: str = "",
    status: str = "",
    handling: str = "",
    q: str = "",
    on: datetime.date | None = None,
):
    """Grouped for the list: overdue projects first (whatever their status), then 推进中, 未开始 and 已完成;
    within a group by planned date. Each row carries `group` (its heading) for the template's regroup."""
    on = on or today()
    qs = (
        ServiceProject.objects.visible_to(user)
        .select_related("township", "organisation", "leader")
        .in_state(state, on)
    )
    if status:
        qs = qs.filter(status=status)
    if handling:
        qs = qs.filter(handling=handling)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(category__contains=q) | Q(unit__contains=q))
    overdue = _open_overdue(on)
    rank = Case(
        When(overdue, then=Value(0)),
        *(When(status=s, then=Value(i)) for i, s in enumerate(GROUP_ORDER) if i),
        default=Value(len(GROUP_ORDER)),
        output_field=IntegerField(),
    )
    group = Case(When(overdue, then=Value(OVERDUE_GROUP)), default=F("status"), output_field=CharField())
    return qs.annotate(group_rank=rank, group=group).order_by(
        "group_rank", F("planned_on").asc(nulls_last=True), "township_id", "serial", "pk"
    )


def project_summary(user, on: datetime.date | None = None) -> dict[str, int]:
    """Counts for the head of the list: one query."""
    return ServiceProject.objects.visible_to(user).summary(on)


# Partnerships, vanguard posts, publicity -------------------------------------------------------------


def partnership_list(user):
    return (
        Partnership.objects.visible_to(user)
        .select_related("organisation")
        .annotate(activity_count=Count("activities", filter=Q(activities__deleted_at__isnull=True)))
        .order_by("organisation__order", "organisation_id", "partner", "pk")
    )


def activities_of(partnership: Partnership):
    return JointActivity.objects.filter(partnership=partnership).order_by("-date", "-pk")


def post_list(user, *, kind: str = ""):
    qs = VanguardPost.objects.visible_to(user).select_related("organisation").prefetch_related("members")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "organisation__order", "organisation_id", "name", "pk")


def publicity_list(user, *, kind: str = "", q: str = ""):
    qs = PublicityItem.objects.visible_to(user).select_related("organisation", "township")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(content__contains=q)
    return qs.order_by("-date", "-pk")


def publicity_totals(user) -> list[tuple[str, int, int, str]]:
    """(kind, items, sum of quantities, unit) for each kind, in the kinds' order: one query."""
    rows = {
        kind: (n, total)
        for kind, n, total in PublicityItem.objects.visible_to(user)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"), total=Sum("quantity"))
        .values_list("kind", "n", "total")
    }
    return [
        (kind.label, *rows.get(kind.value, (0, 0)), PUBLICITY_UNITS[kind.value]) for kind in PublicityKind
    ]


# Trash -----------------------------------------------------------------------------------------------
