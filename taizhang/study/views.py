"""Pages of the study area. Each parses the request, fetches through the scope (out of scope: 404; no write
right: 403) and calls a selector or a service. The delete, trash and restore pages of meetings, make-ups and
plan items are the generic ones of core.records, driven by the declarations in study/records.py."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from taizhang.core.history import history_of
from taizhang.core.params import campaign_param, org_param
from taizhang.core.scoping import (
    get_visible_or_404,
    require_some_write,
    require_write,
    scope_for,
)
from taizhang.core.views import paginate, render_list, run_service, service_form
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Member, Organisation

from . import selectors, services
from .choices import AttendanceMethod, AttendanceStatus, MeetingType
from .forms import (
    MakeUpForm,
    MeetingFilterForm,
    MeetingForm,
    Mode,
    OrgPickForm,
    PlannedMeetingForm,
    RosterForm,
    SignInCodeForm,
    SignInForm,
    SignInOpenForm,
)
from .models import MakeUp, Meeting, SignIn
from .records import coverage_url


def _campaign(request):
    """The campaign a page is about: ?campaign=<code>, else the current one (core.params)."""
    return campaign_param(request, required=False)


def _org_param(request, *, kinds=None):
    """The organisation a page shows: ?org=<id> within the user's reading scope, else his own (None for a
    county viewer or a superuser: he picks one). Returns it with the picker form."""
    org = org_param(request, default="none") or selectors.default_org(request.user)
    form = OrgPickForm(initial={"org": org.pk if org else None}, user=request.user, kinds=kinds)
    return org, form


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Meetings --------------------------------------------------------------------------------------------


def meeting_list(request):
    form = MeetingFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.meeting_list(
        request.user,
        org=filters.get("org"),
        campaign=filters.get("campaign"),
        type=filters.get("type") or "",
        month=filters.get("month"),
    )
    page = paginate(request, qs)
    page.object_list = selectors.with_turnout(page.object_list)
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render_list(request, "study/meeting_list.html", "study/_meeting_results.html", context)


def _attendance(form: MeetingForm, roster: RosterForm):
    mode = form.cleaned_data["mode"]
    if mode == Mode.NAMES:
        return roster.entries()
    if mode == Mode.COUNT:
        return {}
    return None


def _saved_message(meeting: Meeting, verb: str) -> str:
    present = meeting.attendances.present().count()
    turnout = f"，出席{present}人" if present else ""
    return f"已{verb}{meeting.type}“{meeting.topic}”{turnout}。"


def _meeting_form_page(request, *, meeting: Meeting | None):
    """The one page that records a meeting and its attendance (new or edited): fast on a phone."""
    initial = {}
    if meeting is None:
        initial = {k: request.GET.get(k) for k in ("organiser", "type") if request.GET.get(k)}
    else:
        has_names = meeting.attendances.exists()
        initial["mode"] = (
            Mode.NAMES if has_names else Mode.COUNT if meeting.head_count is not None else Mode.LATER
        )
    form = MeetingForm(
        request.POST or None, request.FILES or None, instance=meeting, user=request.user, initial=initial
    )
    organiser = form.organiser_choice()
    groups = [] if request.method == "POST" or organiser is None else selectors.roster(organiser, meeting)
    roster = RosterForm(
        request.POST or None,
        user=request.user,
        groups=groups,
        organiser=organiser,
        meeting=meeting,
        pretick=meeting is None and organiser is not None and organiser.kind == OrgKind.BRANCH,
    )
    if request.method == "POST":
        valid = form.is_valid() & roster.is_valid()
        if valid:
            if meeting is not None:
                meeting.refresh_from_db()  # validating put the new values on it; the service applies them

            def save(_):
                data = form.service_fields()
                if meeting is None:
                    return services.meeting_create(
                        actor=request.user,
                        attendance=_attendance(form, roster),
                        uploads=form.cleaned_data.get("photos") or [],
                        **data,
                    )
                return services.meeting_update(
                    actor=request.user, meeting=meeting, attendance=_attendance(form, roster), **data
                )

            saved = run_service(request, form, save)
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


def meeting_create(request):
    require_some_write(request.user)
    return _meeting_form_page(request, meeting=None)


def meeting_edit(request, pk):
    meeting = get_visible_or_404(Meeting.objects.select_related("organiser"), request.user, pk=pk)
    require_write(request.user, meeting)
    return _meeting_form_page(request, meeting=meeting)


def meeting_roster(request):
    """The roster part of the meeting form for another organiser (htmx)."""
    require_some_write(request.user)
    organiser = None
    if request.GET.get("organiser"):
        organiser = get_visible_or_404(
            Organisation.objects.writable_by(request.user), request.user, pk=request.GET["organiser"]
        )
    roster = RosterForm(
        user=request.user,
        groups=selectors.roster(organiser) if organiser else [],
        organiser=organiser,
        pretick=organiser is not None and organiser.kind == OrgKind.BRANCH,
    )
    return render(
        request,
        "study/_roster.html",
        {
            "roster": roster,
            "organiser": organiser,
            "speakers": selectors.speaker_suggestions(organiser) if organiser else [],
        },
    )


def _qr_svg(url: str) -> str:
    """The sign-in link as an inline SVG that scales to its box (viewBox, no fixed size), with a quiet zone.
    segno draws only paths from the URL's bits: no text of ours ends up in the markup."""
    return mark_safe(
        segno.make(url, error="m").svg_inline(scale=4, border=3, dark="#000", light="#fff", omitsize=True)
    )


def _signin_context(request, meeting: Meeting) -> dict:
    sign_in = SignIn.objects.filter(meeting=meeting).first()
    context = {"sign_in": sign_in, "open_form": SignInOpenForm()}
    if sign_in is not None and sign_in.is_open:
        url = request.build_absolute_uri(reverse("study:signin_page", args=[sign_in.token]))
        context.update(
            signin_url=url,
            qr=_qr_svg(url),
            code_url=request.build_absolute_uri(reverse("study:signin_code")),
        )
    return context


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
        context.update(_signin_context(request, meeting))
        present = {row.member_id for row in attendance[AttendanceStatus.PRESENT]}
        context["unmarked"] = [
            m
            for group in selectors.roster(meeting.organiser, meeting)
            for m in group.members
            if m.pk not in present
        ]
    return render(request, "study/meeting_detail.html", context)


@require_POST
def attendance_mark(request, pk):
    meeting = get_visible_or_404(Meeting.objects.select_related("organiser"), request.user, pk=pk)
    require_write(request.user, meeting)
    member = get_visible_or_404(Member, request.user, pk=request.POST.get("member"))
    try:
        services.attendance_mark(actor=request.user, meeting=meeting, member=member)
        messages.success(request, f"已登记{member.name}出席。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("study:meeting_detail", args=[meeting.pk]) + "#signin")


# Sign-in, the organiser's side -----------------------------------------------------------------------


@require_POST
def signin_open(request, pk):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    require_write(request.user, meeting)
    form = SignInOpenForm(request.POST)
    try:
        minutes = form.cleaned_data["minutes"] if form.is_valid() else 60
        sign_in = services.signin_open(actor=request.user, meeting=meeting, minutes=minutes)
        messages.success(request, f"签到已开启，签到码 {sign_in.code}。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("study:meeting_detail", args=[meeting.pk]) + "#signin")


@require_POST
def signin_close(request, pk):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    require_write(request.user, meeting)
    try:
        services.signin_close(actor=request.user, meeting=meeting)
        messages.success(request, "签到已关闭。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("study:meeting_detail", args=[meeting.pk]) + "#signin")


def signin_display(request, pk):
    """The QR code and the short code, large, for a projector or a phone held up in the room."""
    meeting = get_visible_or_404(Meeting.objects.select_related("organiser"), request.user, pk=pk)
    require_write(request.user, meeting)
    context = {"meeting": meeting, **_signin_context(request, meeting)}
    context["present"] = meeting.attendances.present().count()
    return render(request, "study/signin_display.html", context)


def signin_today(request):
    return render(request, "study/signin_today.html", {"meetings": selectors.signin_today(request.user)})


# Sign-in, the member's side (public: members have no accounts) -------------------------------------------


def _client(request) -> str:
    """The phone's address as the login throttling (django-axes) sees it, so both follow one configuration."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def signin_code(request):
    """A member types the 6-digit code shown in the room."""
    form = SignInCodeForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            sign_in = services.signin_by_code(form.cleaned_data["code"], client=_client(request))
        except services.SignInRefused as exc:
            error, status = exc.message, exc.status
        else:
            return redirect(reverse("study:signin_page", args=[sign_in.token]) + "?via=code")
    return render(request, "study/signin_code.html", {"form": form, "error": error}, status=status)


signin_code.public = True


def signin_page(request, token):
    """A member picks his name and confirms with the last 4 digits of his mobile."""
    try:
        sign_in = services.signin_by_token(token)
        services.signin_require_open(sign_in)
    except services.SignInRefused as exc:
        return render(request, "study/signin_page.html", {"refused": exc.message}, status=exc.status)
    via = request.POST.get("via") or request.GET.get("via")
    method = AttendanceMethod.CODE if via == "code" else AttendanceMethod.QR
    candidates = services.signin_candidates(sign_in)
    form = SignInForm(request.POST or None, candidates=candidates)
    context = {
        "sign_in": sign_in,
        "meeting": sign_in.meeting,
        "form": form,
        "via": via or "",
        "many": len(candidates) > 40,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            row, changed = services.attendance_sign_in(
                sign_in=sign_in,
                member_id=form.cleaned_data["member"],
                digits=form.cleaned_data["digits"],
                method=method,
                client=_client(request),
            )
        except services.SignInRefused as exc:
            context["error"], status = exc.message, exc.status
        else:
            context.update(done=row, changed=changed)
    return render(request, "study/signin_page.html", context, status=status)


signin_page.public = True


# Deployment, plans, make-up study, coverage ------------------------------------------------------------


def deployment(request):
    campaign = _campaign(request)
    org, picker = _org_param(request, kinds=(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH))
    data = selectors.deployment(org=org, campaign=campaign) if org is not None and campaign else None
    return render(
        request,
        "study/deployment.html",
        {"campaign": campaign, "org": org, "picker": picker, "data": data, "types": MeetingType},
    )


def plan_overview(request):
    campaign = _campaign(request)
    org, picker = _org_param(request)
    rows = selectors.plan_progress(request.user, campaign=campaign, org=org) if campaign else []
    return render(
        request,
        "study/plan_overview.html",
        {"campaign": campaign, "rows": rows, "picker": picker, "org": org},
    )


def plan_detail(request, org_pk):
    org = get_visible_or_404(Organisation, request.user, pk=org_pk)
    campaign = _campaign(request)
    if campaign is None:
        raise Http404("尚未设定当前主题教育。")
    months = selectors.campaign_months(campaign)
    form = PlannedMeetingForm(request.POST or None, months=months)
    if request.method == "POST":
        require_write(request.user, org)
        if form.is_valid():
            item = run_service(
                request,
                form,
                lambda data: services.planned_meeting_create(
                    actor=request.user, organisation=org, campaign=campaign, **data
                ),
                success_message="已加入学习计划。",
            )
            if item is not None:
                return redirect(request.get_full_path())
    return render(
        request,
        "study/plan_detail.html",
        {
            "org": org,
            "campaign": campaign,
            "months": selectors.plan_of(org, campaign),
            "form": form,
            "can_write": scope_for(request.user).can_write(org.pk),
        },
    )


def makeup_list(request):
    campaign = _campaign(request)
    org, picker = _org_param(request)
    page = paginate(request, selectors.makeup_list(request.user, org=org, campaign=campaign))
    return render(
        request,
        "study/makeup_list.html",
        {
            "page": page,
            "campaign": campaign,
            "picker": picker,
            "org": org,
            "query": _query_without_page(request),
        },
    )


def makeup_create(request):
    require_some_write(request.user)
    campaign = _campaign(request)
    member_id = request.POST.get("member") or request.GET.get("member")
    if not member_id:
        members = (
            Member.objects.writable_by(request.user)
            .select_related("organisation")
            .order_by("organisation__order", "organisation_id", "name")[:500]
        )
        return render(request, "study/makeup_pick.html", {"members": members, "campaign": campaign})
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    require_write(request.user, member)
    meetings = selectors.missed_required(member, campaign)
    form = MakeUpForm(
        request.POST or None,
        member=member,
        meetings=meetings,
        initial={"meeting": request.GET.get("meeting")},
    )
    return service_form(
        request,
        form,
        lambda data: services.makeup_create(actor=request.user, **data),
        template="study/makeup_form.html",
        message=f"已登记{member.name}的补学。",
        success=lambda makeup: coverage_url(member, makeup.meeting.campaign),
        context={
            "member": member,
            "meetings": meetings,
            "campaign": campaign,
            "title": f"登记补学：{member.name}",
        },
    )


def makeup_edit(request, pk):
    makeup = get_visible_or_404(
        MakeUp.objects.select_related("member__organisation", "meeting__campaign"), request.user, pk=pk
    )
    require_write(request.user, makeup)
    meetings = selectors.missed_required(makeup.member, makeup.meeting.campaign, keep=makeup.meeting)
    form = MakeUpForm(request.POST or None, instance=makeup, member=makeup.member, meetings=meetings)
    return service_form(
        request,
        form,
        lambda data: services.makeup_update(actor=request.user, makeup=makeup, **data),
        template="study/makeup_form.html",
        message="已保存。",
        instance=makeup,
        success=lambda m: coverage_url(m.member, m.meeting.campaign),
        context={
            "member": makeup.member,
            "meetings": meetings,
            "makeup": makeup,
            "history": history_of(makeup),
            "title": f"修改补学：{makeup.member.name}",
        },
    )


def coverage(request):
    campaign = _campaign(request)
    org, picker = _org_param(request, kinds=(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH))
    report = selectors.coverage(org=org, campaign=campaign) if org is not None and campaign else None
    return render(
        request,
        "study/coverage.html",
        {
            "campaign": campaign,
            "org": org,
            "picker": picker,
            "report": report,
            "can_write": org is not None and scope_for(request.user).can_write(org.pk),
        },
    )


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
