"""Reads of rectification, each starting from what the user may see; and the area's figures for an
organisation subtree (until the indicators engine computes them from the campaign's declarations)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from taizhang.campaigns.models import Campaign
from taizhang.core.deadlines import STATE_LABELS, today
from taizhang.core.models import Attachment
from taizhang.core.scoping import org_id_of, scope_for, subtree_ids
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation

from .choices import LEADERSHIP_KINDS, EntryKind, OwnerKind
from .models import BELOW_COMMITTEE, HealthCheck, Measure, Problem, ProgressEntry, Remedy, Talk, TalkPerson

DUE_DAYS = 7


def current_campaign() -> Campaign | None:
    return Campaign.current()


def is_admin_of(user, obj) -> bool:
    """Whether the user is a township admin over the record (may sign off, reopen, accept)."""
    scope = scope_for(user)
    return scope.is_admin and scope.can_write(org_id_of(obj))


def spans_townships(user) -> bool:
    """Whether the user sees more than his own township's records (county viewers, superusers): then lists
    name each record's township."""
    scope = scope_for(user)
    return user.is_superuser or scope.read != scope.write


# The ledger --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    owner: str = (
        ""  # "" | leadership | grassroots | team:<committee> | leader:<committee>:<member> | org:<org>
    )
    category: str = ""
    status: str = ""  # a measure status: problems with such measures, and only those measures shown
    state: str = ""  # a problem state (未制定措施 / 整改中 / 已销号)
    overdue: bool = False
    special: bool = False


def _owner_q(owner: str) -> Q:
    kind, _, rest = owner.partition(":")
    try:
        ids = [int(part) for part in rest.split(":")] if rest else []
    except ValueError:
        return Q(pk__in=[])
    if kind == "leadership":
        return Q(owner_kind__in=LEADERSHIP_KINDS)
    if kind == "grassroots":
        return Q(owner_kind=OwnerKind.ORGANISATION)
    if kind == "team" and len(ids) == 1:
        return Q(owner_kind=OwnerKind.LEADERSHIP, owner_org_id=ids[0])
    if kind == "leader" and len(ids) == 2:
        return Q(owner_kind=OwnerKind.LEADER, owner_org_id=ids[0], owner_member_id=ids[1])
    if kind == "org" and len(ids) == 1:
        return Q(owner_kind=OwnerKind.ORGANISATION, owner_org_id__in=subtree_ids(ids[0]))
    return Q(pk__in=[])


def _measure_q(filters: LedgerFilters, on: datetime.date) -> Q | None:
    """The measures the ledger shows beneath each problem (None: all of them)."""
    q = Q()
    if filters.status:
        q &= Q(status=filters.status)
    if filters.overdue:
        q &= ~Q(status__in=Measure.DONE_STATUSES) & Q(deadline__lt=on)
    return q if q else None


def problem_ledger(user, filters: LedgerFilters | None = None, *, campaign: Campaign | None = None):
    """The problems the user may see, of the campaign, in ledger order, each with its state and with its
    measures (those the filters ask for) prefetched with their responsible people: a constant number of
    queries whatever the page holds."""
    filters = filters or LedgerFilters()
    on = today()
    qs = Problem.objects.visible_to(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if filters.owner:
        qs = qs.filter(_owner_q(filters.owner))
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.special:
        qs = qs.filter(is_special=True)
    measure_q = _measure_q(filters, on)
    measures = Measure.objects.select_related("responsible_leader", "responsible_person").order_by(
        "order", "pk"
    )
    if measure_q is not None:
        measures = measures.filter(measure_q)
        qs = qs.filter(Exists(Measure.objects.filter(measure_q, problem=OuterRef("pk"))))
    qs = qs.in_state(filters.state) if filters.state else qs.with_state()
    return (
        qs.select_related("township", "owner_org", "owner_member", "lead")
        .prefetch_related(Prefetch("measures", queryset=measures, to_attr="shown_measures"))
        .order_by("township__order", "township_id", "number", "pk")
    )


def problem_timeline(problem: Problem) -> list[dict]:
    """The problem's story, oldest first: found, each measure set, and every entry of their progress logs
    (progress with photos, closing, undoing a closing with its reason). Three queries."""
    measures = list(Measure.objects.filter(problem=problem).order_by("order", "pk"))
    entries = list(
        ProgressEntry.objects.filter(measure__in=measures).select_related("author").order_by("on", "pk")
    )
    files = files_of(entries)
    by_id = {m.pk: m for m in measures}
    events = [{"on": problem.found_on, "kind": "发现问题", "text": problem.content, "files": []}]
    events += [
        {
            "on": timezone.localdate(m.created_at),
            "kind": "制定措施",
            "text": m.content,
            "measure": m,
            "files": [],
        }
        for m in measures
    ]
    events += [
        {
            "on": e.on,
            "kind": e.get_kind_display(),
            "text": e.text,
            "measure": by_id.get(e.measure_id),
            "who": e.author,
            "files": files.get(e.pk, []),
            "badge": {EntryKind.CLOSE: "ok", EntryKind.REOPEN: "bad"}.get(e.kind, ""),
        }
        for e in entries
    ]
    return sorted(events, key=lambda ev: ev["on"])


def files_of(records) -> dict[int, list[Attachment]]:
    """The live attachments of several records of one model, by record id (one query)."""
    records = list(records)
    if not records:
        return {}
    content_type = ContentType.objects.get_for_model(type(records[0]))
    out: dict[int, list[Attachment]] = {}
    for a in Attachment.objects.filter(content_type=content_type, object_id__in=[r.pk for r in records]):
        out.setdefault(a.object_id, []).append(a)
    return out


def measure_entries(measure: Measure):
    entries = list(measure.entries.select_related("author").order_by("on", "pk"))
    files = files_of(entries)
    for entry in entries:
        entry.files = files.get(entry.pk, [])
    return entries


# Deadlines ---------------------------------------------------------------------------------------------


def _deadline_measures(qs):
    return qs.select_related(
        "problem__township",
        "problem__owner_org",
        "problem__owner_member",
        "responsible_leader",
        "responsible_person",
    ).order_by("deadline", "problem__township__order", "problem__number", "pk")


def measures_overdue(user, *, campaign: Campaign | None = None):
    qs = Measure.objects.visible_to(user).overdue()
    if campaign is not None:
        qs = qs.filter(problem__campaign=campaign)
    return _deadline_measures(qs)


def measures_due(user, *, campaign: Campaign | None = None, days: int = DUE_DAYS):
    qs = Measure.objects.visible_to(user).due_within(days)
    if campaign is not None:
        qs = qs.filter(problem__campaign=campaign)
    return _deadline_measures(qs)


@dataclass
class MyMeasures:
    overdue: list = field(default_factory=list)
    due: list = field(default_factory=list)
    open: list = field(default_factory=list)
    pending: list = field(default_factory=list)  # 已完成/长期坚持 but not yet signed off (待销号)
    done: int = 0  # 已完成/长期坚持, signed off or not

    @property
    def total_open(self) -> int:
        return len(self.overdue) + len(self.due) + len(self.open)

    @property
    def groups(self) -> list[tuple[str, list]]:
        return [
            (STATE_LABELS["overdue"], self.overdue),
            (STATE_LABELS["due"], self.due),
            ("其他在办", self.open),
            ("已完成、待销号", self.pending),
        ]


def my_measures(user, *, campaign: Campaign | None = None) -> MyMeasures:
    """The open measures the user (through his member record) is responsible for, overdue first, then due
    within 7 days, then the rest; those done but not yet signed off (待销号); and how many are done. Three
    queries."""
    mine = MyMeasures()
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return mine
    qs = Measure.objects.visible_to(user).filter(
        Q(responsible_leader_id=member_id) | Q(responsible_person_id=member_id)
    )
    if campaign is not None:
        qs = qs.filter(problem__campaign=campaign)
    mine.done = qs.done().count()
    mine.pending = list(_deadline_measures(qs.done().filter(signed_off_at__isnull=True)))
    for measure in _deadline_measures(qs.open()):
        state = measure.deadline_state
        {"overdue": mine.overdue, "due": mine.due}.get(state, mine.open).append(measure)
    return mine


# Talks -------------------------------------------------------------------------------------------------


def can_read_talk(user, talk: Talk) -> bool:
    """A talk's content is for the township admins of its committee and for the talker himself."""
    scope = scope_for(user)
    if scope.is_admin and scope.can_write(talk.organisation_id):
        return True
    return bool(getattr(user, "member_id", None)) and user.member_id == talk.talker_id


def _talks(user, campaign: Campaign | None, kind: str):
    qs = Talk.objects.visible_to(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def talk_list(user, *, campaign: Campaign | None = None, kind: str = ""):
    """Talks the user may see, newest first, with their talker and persons (content is the page's to hide)."""
    return (
        _talks(user, campaign, kind)
        .select_related("talker", "organisation")
        .prefetch_related("persons")
        .order_by("-on", "-pk")
    )


def talk_person_times(user, *, campaign: Campaign | None = None, kind: str = "") -> int:
    """Persons talked to, summed over the talks the user may see (人次)."""
    return TalkPerson.objects.filter(talk__in=_talks(user, campaign, kind)).count()


# Health checks and remedies ----------------------------------------------------------------------------


@dataclass
class CoverageRow:
    org: Organisation
    township: Organisation
    checks: list = field(default_factory=list)  # of the campaign, newest first
    remedy: Remedy | None = None

    @property
    def latest(self):
        return self.checks[0] if self.checks else None


def grassroots_orgs(user):
    """The grassroots organisations (directly under a committee) the user may see, active, in tree order."""
    return (
        Organisation.objects.visible_to(user)
        .active()
        .filter(kind__in=BELOW_COMMITTEE, parent__kind=OrgKind.COMMITTEE)
        .select_related("parent")
        .order_by("parent__order", "parent_id", "order", "pk")
    )


def health_coverage(user, *, campaign: Campaign | None = None) -> list[CoverageRow]:
    """Each grassroots organisation the user may see with its health checks of the campaign and its
    remedy under way: which are checked, how they were graded, which are under remedy. Three queries."""
    orgs = list(grassroots_orgs(user))
    ids = [o.pk for o in orgs]
    checks = HealthCheck.objects.filter(organisation_id__in=ids).order_by("-checked_on", "-pk")
    remedies = Remedy.objects.filter(organisation_id__in=ids).order_by("-started_on", "-pk")
    if campaign is not None:
        checks = checks.filter(campaign=campaign)
        remedies = remedies.filter(campaign=campaign)
    rows = {o.pk: CoverageRow(org=o, township=o.parent) for o in orgs}
    for check in checks:
        rows[check.organisation_id].checks.append(check)
    for remedy in remedies:
        row = rows[remedy.organisation_id]
        if row.remedy is None:
            row.remedy = remedy
    return list(rows.values())


def check_list(user, *, campaign: Campaign | None = None):
    qs = HealthCheck.objects.visible_to(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.select_related("organisation").prefetch_related("checkers").order_by("-checked_on", "-pk")


def remedy_list(user, *, campaign: Campaign | None = None):
    qs = Remedy.objects.visible_to(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.select_related("organisation", "leader", "health_check").order_by("status", "deadline", "pk")


# Figures -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RectifyFigures:
    leadership_problems: int
    grassroots_problems: int
    leadership_measures: int
    grassroots_measures: int
    talks: int  # person-times
    health_checked: int  # distinct organisations below the committee


def figures(
    org: Organisation, *, campaign: Campaign | None = None, on: datetime.date | None = None
) -> RectifyFigures:
    """The rectify.* indicators of the domain for an organisation's subtree, as of a date (domain.md):
    leadership problems are the committee's leadership's (班子 or one of its members), grassroots problems
    an organisation's below the committee; measures are those problems'; talks count persons talked to;
    health_checked counts distinct organisations below the committee. Four queries and the subtree."""
    ids = subtree_ids(org.pk)
    problems = Problem.objects.filter(owner_org_id__in=ids)
    measures = Measure.objects.filter(problem__owner_org_id__in=ids, problem__deleted_at__isnull=True)
    talks = TalkPerson.objects.filter(talk__organisation_id__in=ids)
    checks = HealthCheck.objects.filter(organisation_id__in=ids, organisation__kind__in=BELOW_COMMITTEE)
    if campaign is not None:
        problems = problems.filter(campaign=campaign)
        measures = measures.filter(problem__campaign=campaign)
        talks = talks.filter(talk__campaign=campaign)
        checks = checks.filter(campaign=campaign)
    if on is not None:
        problems = problems.filter(found_on__lte=on)
        measures = measures.filter(problem__found_on__lte=on)
        talks = talks.filter(talk__on__lte=on)
        checks = checks.filter(checked_on__lte=on)
    leadership = Q(owner_kind__in=LEADERSHIP_KINDS)
    grassroots = Q(owner_kind=OwnerKind.ORGANISATION)
    p = problems.aggregate(
        leadership=Count("pk", filter=leadership), grassroots=Count("pk", filter=grassroots)
    )
    m = measures.aggregate(
        leadership=Count("pk", filter=Q(problem__owner_kind__in=LEADERSHIP_KINDS)),
        grassroots=Count("pk", filter=Q(problem__owner_kind=OwnerKind.ORGANISATION)),
    )
    return RectifyFigures(
        leadership_problems=p["leadership"],
        grassroots_problems=p["grassroots"],
        leadership_measures=m["leadership"],
        grassroots_measures=m["grassroots"],
        talks=talks.count(),
        health_checked=checks.values("organisation_id").distinct().count(),
    )
