"""Reads of the research area, each starting from what the user may see, in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When

from taizhang.core.scoping import subtree_ids
from taizhang.orgs.models import Member, Organisation

from .models import ActionItem, Enterprise, EnterpriseIssue, EnterpriseVisit, ResearchTopic, ResearchVisit

# Figures ---------------------------------------------------------------------------------------------


def figures(org: Organisation, as_of: datetime.date | None = None) -> dict[str, int]:
    """research.visits, research.action_items and research.action_items_done for org's subtree (as of a
    date: a visit counts from its date, an item collected from its 提出日期, a done item from its completion
    date). Stands in for the indicators engine: three queries."""
    ids = subtree_ids(org.pk)
    visits = ResearchVisit.objects.filter(organisation_id__in=ids)
    if as_of is not None:
        visits = visits.filter(date__lte=as_of)
    collected = Q()
    done = Q(status__in=ActionItem.DONE_STATUSES)
    if as_of is not None:
        collected = Q(raised_on__isnull=True) | Q(raised_on__lte=as_of)
        done &= Q(completed_on__lte=as_of)
    items = ActionItem.objects.filter(organisation_id__in=ids).aggregate(
        collected=Count("pk", filter=collected), done=Count("pk", filter=done)
    )
    return {
        "research.visits": visits.count(),
        "research.action_items": items["collected"],
        "research.action_items_done": items["done"],
    }


# Examples for the work summary (reports.examples) ------------------------------------------------------


def _short(text: str) -> str:
    """A few words: the text up to its first comma or full stop."""
    for stop in "，,。；;":
        text = text.split(stop)[0]
    return text.strip()


def topic_examples(campaign, root: Organisation, as_of: datetime.date | None) -> list[str]:
    """The research topics of root's subtree, the most visited first (one query)."""
    topics = (
        ResearchTopic.objects.filter(organisation_id__in=subtree_ids(root.pk))
        .annotate(n=Count("visits", filter=Q(visits__deleted_at__isnull=True)))
        .order_by("-n", "created_at")
    )
    return [t.title for t in topics]


def done_item_examples(campaign, root: Organisation, as_of: datetime.date | None) -> list[str]:
    """The action items of root's subtree done in the campaign, the earliest done first (one query)."""
    return [_short(i.content) for i in ActionItem.objects.done_under(root, campaign, as_of)]


# Topics and visits -----------------------------------------------------------------------------------


def topic_list(user):
    return (
        ResearchTopic.objects.visible_to(user)
        .select_related("leader", "organisation")
        .annotate(
            visit_count=Count("visits", filter=Q(visits__deleted_at__isnull=True), distinct=True),
            item_count=Count("action_items", filter=Q(action_items__deleted_at__isnull=True), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def visit_list(user, *, topic: ResearchTopic | None = None, place_kind: str = "", q: str = ""):
    qs = ResearchVisit.objects.visible_to(user).select_related("topic", "leader", "organisation")
    if topic is not None:
        qs = qs.filter(topic=topic)
    if place_kind:
        qs = qs.filter(place_kind=place_kind)
    if q:
        qs = qs.filter(Q(place__contains=q) | Q(findings__contains=q))
    return qs.order_by("-date", "-pk")


@dataclass
class Finding:
    number: int
    text: str
    item: ActionItem | None


def visit_findings(user, visit: ResearchVisit) -> list[Finding]:
    """The visit's findings, each with the action item made from it (if the user may see it)."""
    made = {
        item.content.strip(): item
        for item in ActionItem.objects.visible_to(user).filter(source_visit=visit).order_by("serial")
    }
    return [Finding(n, text, made.get(text)) for n, text in enumerate(visit.finding_lines, start=1)]


# Action items ----------------------------------------------------------------------------------------


def action_item_list(
    user, *, state: str = "", status: str = "", q: str = "", on: datetime.date | None = None
):
    """Open items first, earliest deadline first (so overdue ones lead), then done ones by number."""
    qs = (
        ActionItem.objects.visible_to(user)
        .select_related("township", "organisation", "leader", "source_topic")
        .in_state(state, on)
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(content__contains=q) | Q(unit__contains=q) | Q(result__contains=q))
    done_last = Case(
        When(status__in=ActionItem.DONE_STATUSES, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return qs.order_by(done_last, F("deadline").asc(nulls_last=True), "township_id", "serial", "pk")


def action_item_summary(user, on: datetime.date | None = None) -> dict[str, int]:
    """Counts for the head of the list: one query."""
    return ActionItem.objects.visible_to(user).summary(on)


# Enterprises -----------------------------------------------------------------------------------------

ALIVE_VISIT = Q(visits__deleted_at__isnull=True)
OPEN_ISSUE = Q(
    visits__deleted_at__isnull=True,
    visits__issues__deleted_at__isnull=True,
    visits__issues__resolved=False,
)


def enterprise_list(user, *, q: str = ""):
    qs = Enterprise.objects.visible_to(user).select_related("organisation", "liaison")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(industry__contains=q))
    return qs.annotate(
        visit_count=Count("visits", filter=ALIVE_VISIT, distinct=True),
        last_visit=Max("visits__date", filter=ALIVE_VISIT),
        open_issues=Count("visits__issues", filter=OPEN_ISSUE, distinct=True),
    ).order_by("organisation__order", "organisation_id", "-is_key", "name", "pk")


def enterprise_visit_list(user, *, enterprise: Enterprise | None = None, q: str = ""):
    qs = (
        EnterpriseVisit.objects.visible_to(user)
        .select_related("enterprise", "cadre", "organisation")
        .prefetch_related("issues")
    )
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    if q:
        qs = qs.filter(Q(enterprise__name__contains=q) | Q(cadre__name__contains=q))
    return qs.order_by("-date", "-pk")


def open_issues(user, *, enterprise: Enterprise | None = None):
    qs = EnterpriseIssue.objects.visible_to(user).filter(resolved=False, visit__deleted_at__isnull=True)
    if enterprise is not None:
        qs = qs.filter(visit__enterprise=enterprise)
    return qs.select_related("visit__enterprise", "visit__cadre").order_by("visit__date", "pk")


@dataclass
class CadreMonth:
    cadre: Member
    visits: list[EnterpriseVisit] = field(default_factory=list)
    assigned: list[Enterprise] = field(default_factory=list)  # enterprises he is the liaison of
    not_visited: list[Enterprise] = field(default_factory=list)  # of those, not visited by him this month


@dataclass
class EnterpriseMonth:
    enterprise: Enterprise
    visits: list[EnterpriseVisit] = field(default_factory=list)
    open_issues: list[EnterpriseIssue] = field(default_factory=list)


@dataclass
class MonthView:
    month: datetime.date  # its first day
    cadres: list[CadreMonth]
    enterprises: list[EnterpriseMonth]
    latest_visit: datetime.date | None

    @property
    def cadres_without_visit(self) -> list[CadreMonth]:
        return [c for c in self.cadres if not c.visits]

    @property
    def enterprises_without_visit(self) -> list[EnterpriseMonth]:
        return [e for e in self.enterprises if not e.visits]

    @property
    def earlier_visit(self) -> datetime.date | None:
        """The latest visit, when this month has none yet and it lies before: worth a link."""
        if self.latest_visit is None or self.latest_visit >= self.month:
            return None
        return self.latest_visit

    @property
    def previous(self) -> datetime.date:
        return (self.month - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.month + datetime.timedelta(days=32)).replace(day=1)


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def enterprise_month(user, month: datetime.date, *, township: Organisation | None = None) -> MonthView:
    """The monthly visit rule for one month: which cadre visited which enterprise and who has not (a cadre
    is each enterprise's liaison, and anyone who visited), and each enterprise's open issues. Four queries.
    """
    start = month_start(month)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    enterprises = Enterprise.objects.visible_to(user).select_related("liaison", "organisation")
    visits = EnterpriseVisit.objects.visible_to(user).filter(date__gte=start, date__lt=end)
    issues = open_issues(user)
    if township is not None:
        enterprises = enterprises.filter(organisation=township)
        visits = visits.filter(organisation=township)
        issues = issues.filter(visit__organisation=township)
    enterprises = list(enterprises.order_by("organisation__order", "organisation_id", "-is_key", "name"))
    visits = list(visits.select_related("cadre", "enterprise").order_by("date", "pk"))
    latest = (
        EnterpriseVisit.objects.visible_to(user).filter(organisation=township)
        if township is not None
        else EnterpriseVisit.objects.visible_to(user)
    ).aggregate(latest=Max("date"))["latest"]

    rows = {e.pk: EnterpriseMonth(e) for e in enterprises}
    cadres: dict[int, CadreMonth] = {}
    for enterprise in enterprises:
        if enterprise.liaison_id:
            cadres.setdefault(enterprise.liaison_id, CadreMonth(enterprise.liaison)).assigned.append(
                enterprise
            )
    for visit in visits:
        cadres.setdefault(visit.cadre_id, CadreMonth(visit.cadre)).visits.append(visit)
        if visit.enterprise_id in rows:
            rows[visit.enterprise_id].visits.append(visit)
    for cadre in cadres.values():
        visited = {v.enterprise_id for v in cadre.visits}
        cadre.not_visited = [e for e in cadre.assigned if e.pk not in visited]
    for issue in issues:
        if issue.visit.enterprise_id in rows:
            rows[issue.visit.enterprise_id].open_issues.append(issue)
    ordered = sorted(cadres.values(), key=lambda c: (bool(c.visits), not c.not_visited, c.cadre.name))
    return MonthView(start, ordered, list(rows.values()), latest)


# Trash -----------------------------------------------------------------------------------------------
