"""Reads of the study area: lists start from what the user may see; the figures and the coverage are computed
for an organisation subtree the caller has already checked the user may see."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from taizhang.core.scoping import scope_for, subtree_ids
from taizhang.orgs.choices import MemberCategory, OrgKind
from taizhang.orgs.models import Member, Organisation

from .choices import DEPLOYMENT_TYPES, AttendanceStatus, CoverageState, MeetingType
from .models import Attendance, MakeUp, Meeting, PlannedMeeting, SignIn

BELOW_COMMITTEE = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)

# Meetings --------------------------------------------------------------------------------------------


def meeting_list(
    user,
    *,
    org: Organisation | None = None,
    campaign=None,
    type: str = "",
    month: datetime.date | None = None,
):
    qs = Meeting.objects.visible_to(user).select_related("organiser", "speaker")
    if org is not None:
        qs = qs.filter(organiser_id__in=subtree_ids(org.pk))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if type:
        qs = qs.filter(type=type)
    if month is not None:
        qs = qs.in_month(month)
    return qs.order_by("-date", "-pk")


@dataclass
class Turnout:
    present: int = 0
    leave: int = 0
    absent: int = 0

    @property
    def named(self) -> int:
        return self.present + self.leave + self.absent


def with_turnout(meetings) -> list[Meeting]:
    """The meetings (a page), each with `.turnout` and `.person_times`: one query for the whole page."""
    meetings = list(meetings)
    rows = (
        Attendance.all_objects.filter(meeting__in=[m.pk for m in meetings])
        .order_by()
        .values_list("meeting_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, Turnout] = defaultdict(Turnout)
    for meeting_id, status, n in rows:
        turnout = counts[meeting_id]
        if status == AttendanceStatus.PRESENT:
            turnout.present = n
        elif status == AttendanceStatus.LEAVE:
            turnout.leave = n
        else:
            turnout.absent = n
    for m in meetings:
        m.turnout = counts[m.pk]
        m.person_times = m.turnout.present if m.turnout.named else (m.head_count or 0)
    return meetings


def meeting_attendance(meeting: Meeting) -> dict[str, list[Attendance]]:
    """The meeting's named attendance by status (出席, 请假, 缺席), members in their organisation's order."""
    rows = (
        Attendance.all_objects.filter(meeting=meeting)
        .select_related("member__organisation")
        .order_by("member__organisation__order", "member__organisation_id", "member__name", "pk")
    )
    grouped: dict[str, list[Attendance]] = {s.value: [] for s in AttendanceStatus}
    for row in rows:
        grouped[row.status].append(row)
    return grouped


@dataclass
class RosterGroup:
    org: Organisation
    members: list[Member]


def roster(organiser: Organisation, meeting: Meeting | None = None) -> list[RosterGroup]:
    """Who can be on a meeting's list: the members of the organiser and of the organisations under it, in
    tree order, and anyone already on the meeting's list."""
    orgs = list(
        Organisation.objects.descendants(organiser, include_self=True).order_siblings_by("order", "name")
    )
    query = Q(organisation__in=[o.pk for o in orgs])
    if meeting is not None and meeting.pk:
        query |= Q(pk__in=Attendance.all_objects.filter(meeting=meeting).values("member_id"))
    members = Member.objects.filter(query).select_related("organisation").order_by("name", "pk")
    by_org: dict[int, list[Member]] = defaultdict(list)
    for member in members:
        by_org[member.organisation_id].append(member)
    groups = [RosterGroup(o, by_org.pop(o.pk)) for o in orgs if o.pk in by_org]
    groups += [RosterGroup(ms[0].organisation, ms) for ms in by_org.values()]  # moved away since
    return groups


def recent_places(organiser: Organisation, limit: int = 8) -> list[str]:
    """Places the organiser met at lately, offered in the place field."""
    places = (
        Meeting.objects.filter(organiser=organiser)
        .exclude(place="")
        .order_by("-date")
        .values_list("place", flat=True)[:50]
    )
    return list(dict.fromkeys(places))[:limit]


def speaker_suggestions(organiser: Organisation) -> list[str]:
    """Names offered in the speaker field: the secretaries of the organiser and of the organisations above it
    up to the committee, then the organiser's own members."""
    above = list(
        organiser.ancestors(include_self=True).exclude(kind=OrgKind.COUNTY).select_related("secretary")
    )
    names = [o.secretary.name for o in reversed(above) if o.secretary_id]
    names += list(Member.objects.filter(organisation=organiser).values_list("name", flat=True)[:60])
    return list(dict.fromkeys(names))


def signin_today(user) -> list[Meeting]:
    """The meetings of today the user may open sign-in on, and any whose sign-in is still open."""
    now = timezone.now()
    open_ids = SignIn.objects.filter(closes_at__gt=now, closed_at__isnull=True).values("meeting_id")
    return list(
        Meeting.objects.writable_by(user)
        .filter(Q(date=timezone.localdate()) | Q(pk__in=open_ids))
        .select_related("organiser", "sign_in")
        .order_by("organiser__order", "pk")[:50]
    )


# Coverage (人人学、不漏学、不掉队) ---------------------------------------------------------------------------


@dataclass
class Required:
    meeting: Meeting
    state: str  # CoverageState
    makeup_id: int | None = None


@dataclass
class MemberCoverage:
    member: Member
    items: list[Required] = field(default_factory=list)

    @property
    def attended(self) -> int:
        return sum(1 for i in self.items if i.state == CoverageState.ATTENDED)

    @property
    def made_up(self) -> int:
        return sum(1 for i in self.items if i.state == CoverageState.MADE_UP)

    @property
    def missing(self) -> list[Meeting]:
        return [i.meeting for i in self.items if i.state == CoverageState.MISSING]

    @property
    def covered(self) -> bool:
        return not self.missing


FIRST_IN_LINE = (MemberCategory.RETIRED, MemberCategory.MOBILE)


@dataclass
class Coverage:
    rows: list[MemberCoverage]

    @property
    def uncovered(self) -> list[MemberCoverage]:
        """Members still missing something: retired and mobile members first."""
        rows = [r for r in self.rows if not r.covered]
        return sorted(rows, key=lambda r: r.member.category not in FIRST_IN_LINE)

    def covered_count(self, category: str | None = None) -> int:
        return sum(1 for r in self.rows if r.covered and (category is None or r.member.category == category))

    def count(self, category: str | None = None) -> int:
        return sum(1 for r in self.rows if category is None or r.member.category == category)

    @property
    def by_category(self) -> list[tuple[str, int, int]]:
        return [(c.label, self.covered_count(c), self.count(c)) for c in MemberCategory if self.count(c)]

    @property
    def by_org(self) -> list[tuple[Organisation, int, int, int]]:
        """(organisation, members, covered, not covered) for each organisation with members, in tree order."""
        totals: dict[int, list] = {}
        for row in self.rows:
            entry = totals.setdefault(row.member.organisation_id, [row.member.organisation, 0, 0, 0])
            entry[1] += 1
            entry[2 if row.covered else 3] += 1
        return [tuple(entry) for entry in totals.values()]


def coverage(*, org: Organisation, campaign, as_of: datetime.date | None = None) -> Coverage:
    """Each member of org's subtree with each of his required meetings (those of the campaign organised by his
    own organisation, of a required type, with attendance recorded by name): attended, made up or missing.
    Five queries whatever the size of the subtree."""
    org_ids = subtree_ids(org.pk)
    members = list(
        Member.objects.filter(organisation__in=org_ids)
        .select_related("organisation")
        .order_by("organisation__order", "organisation_id", "name", "pk")
    )
    if campaign is None:
        return Coverage([MemberCoverage(m) for m in members])
    meetings = Meeting.objects.required_in(campaign).filter(organiser__in=org_ids)
    if as_of is not None:
        meetings = meetings.filter(date__lte=as_of)
    meetings = list(meetings.order_by("date", "pk"))
    ids = [m.pk for m in meetings]
    present = set(
        Attendance.all_objects.filter(meeting__in=ids, status=AttendanceStatus.PRESENT).values_list(
            "meeting_id", "member_id"
        )
    )
    makeups = MakeUp.objects.filter(meeting__in=ids)
    if as_of is not None:
        makeups = makeups.filter(date__lte=as_of)
    made_up = {(mt, mb): pk for mt, mb, pk in makeups.values_list("meeting_id", "member_id", "pk")}
    by_org: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_org[meeting.organiser_id].append(meeting)
    rows = []
    for member in members:
        row = MemberCoverage(member)
        for meeting in by_org.get(member.organisation_id, ()):
            key = (meeting.pk, member.pk)
            if key in present:
                row.items.append(Required(meeting, CoverageState.ATTENDED))
            elif key in made_up:
                row.items.append(Required(meeting, CoverageState.MADE_UP, made_up[key]))
            else:
                row.items.append(Required(meeting, CoverageState.MISSING))
        rows.append(row)
    return Coverage(rows)


def missed_required(member: Member, campaign, *, keep: Meeting | None = None) -> list[Meeting]:
    """The member's required meetings he neither attended nor made up (and `keep`, the one being edited)."""
    if campaign is None:
        return []
    present = Attendance.all_objects.filter(member=member, status=AttendanceStatus.PRESENT).values(
        "meeting_id"
    )
    made_up = MakeUp.objects.filter(member=member).values("meeting_id")
    qs = (
        Meeting.objects.required_in(campaign)
        .filter(organiser_id=member.organisation_id)
        .exclude(pk__in=present)
        .exclude(pk__in=made_up)
    )
    if keep is not None:
        qs = Meeting.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=keep.pk))
    return list(qs.order_by("date", "pk"))


# Figures (until the indicators engine computes them from the campaign file) ---------------------------


def _secretaries_of(root: Organisation):
    committee = root.township() or root
    return Organisation.objects.filter(pk__in=subtree_ids(committee.pk), secretary__isnull=False).values(
        "secretary_id"
    )


def study_figures(*, org: Organisation, campaign, as_of: datetime.date | None = None) -> dict[str, int]:
    """The study and deployment figures of domain.md for org's subtree in a campaign:

    study.central_group: 中心组学习 organised by the committee; study.seminars: 专题研讨 organised below the
    committee; study.lectures: 专题党课 whose speaker is a secretary (of the committee or an organisation
    below it); study.training_person_times: present named attendees of 培训, or the head count where no
    names; deploy.branch_meetings: distinct branches that held a 党员大会; study.retired_covered and
    study.mobile_covered: retired / mobile members who are covered."""
    org_ids = subtree_ids(org.pk)
    meetings = Meeting.objects.filter(organiser__in=org_ids, campaign=campaign)
    if as_of is not None:
        meetings = meetings.filter(date__lte=as_of)
    named = Exists(Attendance.all_objects.filter(meeting=OuterRef("pk")))
    figures = meetings.aggregate(
        central_group=Count(
            "pk", filter=Q(type=MeetingType.CENTRAL_GROUP, organiser__kind=OrgKind.COMMITTEE)
        ),
        seminars=Count("pk", filter=Q(type=MeetingType.SEMINAR, organiser__kind__in=BELOW_COMMITTEE)),
        lectures=Count("pk", filter=Q(type=MeetingType.LECTURE, speaker__in=Subquery(_secretaries_of(org)))),
        branch_meetings=Count(
            "organiser",
            distinct=True,
            filter=Q(type=MeetingType.MEMBERS_MEETING, organiser__kind=OrgKind.BRANCH),
        ),
        training_head_count=Sum("head_count", filter=Q(type=MeetingType.TRAINING) & ~Q(named)),
    )
    trained = Attendance.all_objects.filter(
        meeting__in=meetings.filter(type=MeetingType.TRAINING), status=AttendanceStatus.PRESENT
    ).count()
    report = coverage(org=org, campaign=campaign, as_of=as_of)
    return {
        "study.central_group": figures["central_group"],
        "study.seminars": figures["seminars"],
        "study.lectures": figures["lectures"],
        "study.training_person_times": trained + (figures["training_head_count"] or 0),
        "deploy.branch_meetings": figures["branch_meetings"],
        "study.retired_covered": report.covered_count(MemberCategory.RETIRED),
        "study.mobile_covered": report.covered_count(MemberCategory.MOBILE),
    }


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


# Make-up study and the recycle bin ---------------------------------------------------------------------


def makeup_list(user, *, org: Organisation | None = None, campaign=None):
    qs = MakeUp.objects.visible_to(user).select_related("member__organisation", "meeting")
    if org is not None:
        qs = qs.filter(meeting__organiser__in=subtree_ids(org.pk))
    if campaign is not None:
        qs = qs.filter(meeting__campaign=campaign)
    return qs.order_by("-date", "-pk")


def default_org(user) -> Organisation | None:
    """The organisation a page opens on: the user's own (for a county viewer or root: none, he picks)."""
    org = getattr(user, "organisation", None)
    if org is None or org.kind == OrgKind.COUNTY or not scope_for(user).can_read(org.pk):
        return None
    return org


# Examples for the work summary (reports/examples.py) ------------------------------------------------------

NOTABLE_TYPES = (
    MeetingType.LECTURE,
    MeetingType.SEMINAR,
    MeetingType.FIELD_TEACHING,
    MeetingType.CENTRAL_GROUP,
)


def notable_topics(
    campaign, root: Organisation, as_of: datetime.date | None = None, limit: int = 6
) -> list[str]:
    """The topics of the campaign's lectures, seminars, field teaching and central-group studies in root's
    subtree, the most often held first (a topic several branches took up is the most notable): one query."""
    meetings = Meeting.objects.filter(
        campaign=campaign, organiser__in=subtree_ids(root.pk), type__in=NOTABLE_TYPES
    )
    if as_of is not None:
        meetings = meetings.filter(date__lte=as_of)
    rows = meetings.order_by().values("topic").annotate(n=Count("pk")).order_by("-n", "topic")[:limit]
    return [row["topic"].strip('“”"《》 ').rstrip("。；;") for row in rows]
