"""Reads of the study area: lists start from what the user may see; the figures are computed for an
organisation subtree the caller has already checked the user may see. The coverage (coverage_selectors.py)
and the deployment and plans (plan_selectors.py) have modules of their own; their reads are importable from
here as well."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from taizhang.core.scoping import scope_for, subtree_ids
from taizhang.orgs.choices import MemberCategory, OrgKind
from taizhang.orgs.models import Member, Organisation

from .choices import AttendanceStatus, MeetingType
from .coverage_selectors import Coverage, coverage, missed_required  # noqa: F401 (re-exported)
from .models import Attendance, MakeUp, Meeting, SignIn
from .plan_selectors import campaign_months, deployment, plan_of, plan_progress  # noqa: F401 (re-exported)

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
