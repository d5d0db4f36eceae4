"""Coverage (人人学、不漏学、不掉队): whether each member attended or made up each meeting he was required to
attend, computed for an organisation subtree the caller has already checked the user may see."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from taizhang.core.scoping import subtree_ids
from taizhang.orgs.choices import MemberCategory
from taizhang.orgs.models import Member, Organisation

from .choices import AttendanceStatus, CoverageState
from .models import Attendance, MakeUp, Meeting


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
