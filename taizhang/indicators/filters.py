"""The small vocabulary of named filters that indicator declarations may use.

In a declaration's `where`, a key is a field path of the counted model ("organiser", "speaker",
"problem__owner_org", or "self" for the record itself) and a value is either a literal (equality; a list
means "one of"; null means empty) or the name of one of these filters, applied at that path. A filter must
not join through a multi-valued relation (use Exists), so that several figures of one model can share one
query without multiplying rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import DateField, Func, Q

from taizhang.orgs.choices import OrgKind

FILTERS: dict[str, Callable[..., Q]] = {}
BELOW_COMMITTEE = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def named_filter(name: str):
    """Register fn(path, *, campaign, as_of) -> Q under a name declarations can use."""

    def register(fn: Callable[..., Q]):
        FILTERS[name] = fn
        return fn

    return register


def at(path: str, lookup: str) -> str:
    return f"{path}__{lookup}" if path else lookup


def lookup_filter(name: str, doc: str, **lookups) -> Callable[..., Q]:
    """Register a named filter that is only field lookups at the path (kind, parent__kind, …)."""

    def lookup(path: str, **context) -> Q:
        return Q(**{at(path, field): value for field, value in lookups.items()})

    lookup.__name__ = lookup.__qualname__ = name
    lookup.__doc__ = doc
    return named_filter(name)(lookup)


committee = lookup_filter(
    "committee",
    "An organisation that is a township committee (乡党委).",
    kind=OrgKind.COMMITTEE,
)
below_committee = lookup_filter(
    "below_committee",
    "Any organisation under a committee: grassroots organisations and the branches inside them.",
    kind__in=BELOW_COMMITTEE,
)
grassroots = lookup_filter(
    "grassroots",
    "A grassroots organisation: a general branch or branch directly under the committee.",
    kind__in=BELOW_COMMITTEE,
    parent__kind=OrgKind.COMMITTEE,
)
branch = lookup_filter("branch", "A branch (支部).", kind=OrgKind.BRANCH)
active = lookup_filter("active", "An organisation that has not been retired.", retired_at__isnull=True)


@named_filter("secretary")
def secretary(path: str, **context) -> Q:
    """A member who is the recorded secretary of a township committee or of an organisation below one (not of
    the county)."""
    from django.db.models import Exists, OuterRef

    from taizhang.orgs.models import Organisation

    return Q(
        Exists(
            Organisation.objects.filter(
                secretary_id=OuterRef(at(path, "pk") if path else "pk"),
                kind__in=(OrgKind.COMMITTEE, *BELOW_COMMITTEE),
            )
        )
    )


# Study (学): attendance by name, coverage ------------------------------------------------------------


@named_filter("no_names")
def no_names(path: str, **context) -> Q:
    """A meeting recorded with a head count only, no attendance by name (it counts in person-times only)."""
    from django.db.models import Exists, OuterRef

    from taizhang.study.models import Attendance

    return ~Q(Exists(Attendance.objects.filter(meeting=OuterRef(at(path, "pk") if path else "pk"))))


@named_filter("covered")
def covered(path: str, *, campaign, as_of=None, **context) -> Q:
    """A member each of whose required meetings (the campaign's meetings of his own organisation, of a
    required type, attendance recorded by name) he attended or made up; a member with none is covered.

    Evaluated once per member and meeting, so the cheap tests come first (his own attendance and make-up, by
    index) and whether the meeting has attendance by name at all only for a meeting he seems to have missed;
    the meeting is already known to be alive, so attendance and make-ups are read without joining it again."""
    from django.db.models import Exists, OuterRef

    from taizhang.study.choices import AttendanceStatus
    from taizhang.study.models import Attendance, MakeUp, Meeting

    member = OuterRef(OuterRef(at(path, "pk") if path else "pk"))
    # Meeting.objects.required_in(campaign), with its "named" test moved last.
    required = Meeting.objects.filter(
        organiser_id=OuterRef(at(path, "organisation_id") if path else "organisation_id")
    ).of_required_type(campaign)
    made_up = MakeUp.all_objects.filter(meeting=OuterRef("pk"), member=member, deleted_at__isnull=True)
    if as_of is not None:
        required = required.filter(date__lte=as_of)
        made_up = made_up.filter(date__lte=as_of)
    attended = Attendance.all_objects.filter(
        meeting=OuterRef("pk"), member=member, status=AttendanceStatus.PRESENT
    )
    named = Attendance.all_objects.filter(meeting=OuterRef("pk"))
    return ~Q(Exists(required.filter(~Exists(attended), ~Exists(made_up), Exists(named))))


class NextMonth(Func):
    """The first day of the month after a month's first day, computed by the database (Django's own date
    arithmetic on SQLite calls back into Python for every row). SQLite and PostgreSQL, the two supported."""

    output_field = DateField()
    template = "CAST((%(expressions)s + interval '1 month') AS date)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '+1 month')", **extra)


@named_filter("plan_done")
def plan_done(path: str, **context) -> Q:
    """A planned meeting (study plan item) for which the organisation held a meeting of that type in that
    month (a plan item's month is the month's first day)."""
    from django.db.models import Exists, OuterRef

    from taizhang.study.models import Meeting

    ref = (lambda name: at(path, name)) if path else (lambda name: name)
    held = Meeting.objects.filter(
        organiser_id=OuterRef(ref("organisation_id")),
        type=OuterRef(ref("type")),
        date__gte=OuterRef(ref("month")),
        date__lt=NextMonth(OuterRef(ref("month"))),
    )
    return Q(Exists(held))


# Deadlines (改, 研, 建): open and overdue, derived from the data and the date --------------------------


@named_filter("overdue")
def overdue(path: str, *, as_of=None, model=None, **context) -> Q:
    """A record with a deadline that is not done and whose deadline has passed (as of the figure's date, or
    today). Applies to the record itself (`self: overdue`) of a model with DONE_STATUSES and a deadline."""
    from taizhang.core.deadlines import today

    deadline = getattr(model, "deadline_field", "deadline")
    return ~Q(**{at(path, "status__in"): model.DONE_STATUSES}) & Q(
        **{at(path, f"{deadline}__lt"): as_of or today()}
    )


@named_filter("open_problem")
def open_problem(path: str, **context) -> Q:
    """A problem not yet closed: it has no measure yet, or a measure neither done nor ongoing (长期坚持)."""
    from django.db.models import Exists, OuterRef

    from taizhang.rectify.models import Measure

    measures = Measure.objects.filter(problem=OuterRef(at(path, "pk") if path else "pk"))
    return ~Q(Exists(measures)) | Q(Exists(measures.exclude(status__in=Measure.DONE_STATUSES)))
