"""Pages of the study area: meetings and their attendance here; the sign-in (signin_views.py), the deployment
and plans (plan_views.py) and the make-ups and coverage (coverage_views.py) beside them. Each page parses the
request, fetches through the scope (out of scope: 404; no write right: 403) and calls a selector or a
service. The delete, trash and restore pages, and a make-up's create and edit pages, are the generic ones of
core.records, driven by the declarations in study/records.py."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from taizhang.core.history import history_of
from taizhang.core.listing import filters_of, query_without_page
from taizhang.core.params import campaign_param, org_param
from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, require_some_write, require_write, scope_for
from taizhang.core.views import paginate, render_list, run_service
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation

from . import selectors, services
from .choices import AttendanceStatus
from .forms import MeetingFilterForm, MeetingForm, OrgPickForm, RosterForm
from .models import Meeting
from .signin_views import signin_context

route = Routes()


def page_org(request, *, kinds=None):
    """The organisation a page shows: ?org=<id> within the user's reading scope, else his own (None for a
    county viewer or a superuser: he picks one). Returns it with the picker form."""
    org = org_param(request, default="none") or selectors.default_org(request.user)
    form = OrgPickForm(initial={"org": org.pk if org else None}, user=request.user, kinds=kinds)
    return org, form


UNITS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def unit_report(request, compute) -> dict:
    """The context of a report on one organisation (a committee or a branch) in a campaign (deployment,
    coverage): ?campaign= and ?org= with its picker, and `compute(org=, campaign=)` once both are known."""
    campaign = campaign_param(request, required=False)
    org, picker = page_org(request, kinds=UNITS)
    report = compute(org=org, campaign=campaign) if org is not None and campaign else None
    return {"campaign": campaign, "org": org, "picker": picker, "report": report}


@route("meetings/")
def meeting_list(request):
    form = MeetingFilterForm(request.GET or None, user=request.user)
    qs = selectors.meeting_list(request.user, **filters_of(form))
    page = paginate(request, qs)
    page.object_list = selectors.with_turnout(page.object_list)
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render_list(request, "study/meeting_list.html", "study/_meeting_results.html", context)


# A meeting is saved with its attendance (a second form beside its own): its create and edit pages are the
# area's own, one page for both.


@route("meetings/new/")
def meeting_create(request):
    require_some_write(request.user)
    return _meeting_form_page(request, meeting=None)


@route("meetings/<int:pk>/edit/")
def meeting_edit(request, pk):
    meeting = get_visible_or_404(Meeting.objects.select_related("organiser"), request.user, pk=pk)
    require_write(request.user, meeting)
    return _meeting_form_page(request, meeting=meeting)


def _meeting_form_page(request, *, meeting: Meeting | None):
    """The one page that records a meeting and its attendance (new or edited): fast on a phone. A new one
    may start from ?organiser= and ?type=."""
    initial = {k: request.GET[k] for k in ("organiser", "type") if meeting is None and request.GET.get(k)}
    data, files = request.POST or None, request.FILES or None
    form = MeetingForm(data, files, instance=meeting, user=request.user, initial=initial)
    organiser = form.organiser_choice()
    roster = RosterForm(data, user=request.user, organiser=organiser, meeting=meeting)
    if request.method == "POST":
        if form.is_valid() & roster.is_valid():
            saved = run_service(request, form, lambda _: _save_meeting(request.user, meeting, form, roster))
            if saved is not None:
                messages.success(request, _saved_message(saved, "登记" if meeting is None else "保存"))
                return redirect(saved)
        for error in roster.non_field_errors():
            form.add_error(None, error)
    context = {
        "form": form,
        "roster": roster,
        "meeting": meeting,
        "organiser": organiser,
        "places": selectors.recent_places(organiser) if organiser else [],
        "speakers": selectors.speaker_suggestions(organiser) if organiser else [],
        "title": "登记会议活动" if meeting is None else f"修改：{meeting.topic}",
    }
    return render(request, "study/meeting_form.html", context)


def _save_meeting(actor, meeting: Meeting | None, form: MeetingForm, roster: RosterForm) -> Meeting:
    attendance = form.attendance(roster)
    if meeting is None:
        uploads = form.cleaned_data.get("photos") or []
        return services.meeting_create(
            actor=actor, attendance=attendance, uploads=uploads, **form.service_fields()
        )
    meeting.refresh_from_db()  # validating put the new values on it; the service applies them
    return services.meeting_update(
        actor=actor, meeting=meeting, attendance=attendance, **form.service_fields()
    )


def _saved_message(meeting: Meeting, verb: str) -> str:
    present = meeting.attendances.present().count()
    turnout = f"，出席{present}人" if present else ""
    return f"已{verb}{meeting.type}“{meeting.topic}”{turnout}。"


@route("meetings/roster/")
def meeting_roster(request):
    """The roster part of the meeting form for another organiser (htmx)."""
    require_some_write(request.user)
    organiser = None
    if request.GET.get("organiser"):
        organiser = get_visible_or_404(
            Organisation.objects.writable_by(request.user), request.user, pk=request.GET["organiser"]
        )
    context = {
        "roster": RosterForm(user=request.user, organiser=organiser),
        "organiser": organiser,
        "speakers": selectors.speaker_suggestions(organiser) if organiser else [],
    }
    return render(request, "study/_roster.html", context)


@route("meetings/<int:pk>/")
def meeting_detail(request, pk):
    meeting = get_visible_or_404(
        Meeting.objects.select_related("organiser", "speaker", "campaign"), request.user, pk=pk
    )
    can_write = scope_for(request.user).can_write(meeting.organiser_id)
    attendance = selectors.meeting_attendance(meeting)
    context = {
        "meeting": meeting,
        "attendance": attendance,
        "person_times": selectors.with_turnout([meeting])[0].person_times,
        "can_write": can_write,
        "history": history_of(meeting),
    }
    if can_write:
        context.update(signin_context(request, meeting))
        present = {row.member_id for row in attendance[AttendanceStatus.PRESENT]}
        context["unmarked"] = [
            m
            for group in selectors.roster(meeting.organiser, meeting)
            for m in group.members
            if m.pk not in present
        ]
    return render(request, "study/meeting_detail.html", context)


def home_panel(request) -> str:
    """The home page's card (StudyConfig.home_panel): recording a meeting is one tap away, with today's
    meetings and whether their sign-in is open."""
    from django.template.loader import render_to_string

    scope = scope_for(request.user)
    if scope.read is not None and not scope.read:  # an account without a role sees no records
        return ""
    today = selectors.signin_today(request.user) if scope.can_write_anything else []
    return render_to_string(
        "study/_home_panel.html", {"today": today, "can_write": scope.can_write_anything}, request=request
    )
