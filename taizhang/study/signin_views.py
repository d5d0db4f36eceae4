"""Sign-in pages: the organiser's (open and close the window, show its QR code and short code, mark present
who could not sign in) and the member's own (public: members have no accounts)."""

from __future__ import annotations

from functools import wraps

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, require_write
from taizhang.orgs.models import Member

from . import selectors, services
from .choices import AttendanceMethod
from .forms import SignInCodeForm, SignInForm, SignInOpenForm
from .models import Meeting, SignIn

route = Routes()


def _qr_svg(url: str) -> str:
    """The sign-in link as an inline SVG that scales to its box (viewBox, no fixed size), with a quiet zone.
    segno draws only paths from the URL's bits: no text of ours ends up in the markup."""
    return mark_safe(
        segno.make(url, error="m").svg_inline(scale=4, border=3, dark="#000", light="#fff", omitsize=True)
    )


def signin_context(request, meeting: Meeting) -> dict:
    """The sign-in panel of a meeting (its page, the display): the sign-in, and while open its link and QR."""
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


# The organiser's side ----------------------------------------------------------------------------------


def panel_action(action):
    """A POST from a meeting's sign-in panel (organiser) as a view: `action(request, meeting)` returns what
    to tell him, or a ValidationError says why not; either way back to the panel."""

    @require_POST
    @wraps(action)
    def view(request, pk):
        meeting = get_visible_or_404(Meeting.objects.select_related("organiser"), request.user, pk=pk)
        require_write(request.user, meeting)
        try:
            messages.success(request, action(request, meeting))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(reverse("study:meeting_detail", args=[meeting.pk]) + "#signin")

    return view


@route("meetings/<int:pk>/mark/")
@panel_action
def attendance_mark(request, meeting):
    member = get_visible_or_404(Member, request.user, pk=request.POST.get("member"))
    services.attendance_mark(actor=request.user, meeting=meeting, member=member)
    return f"已登记{member.name}出席。"


@route("meetings/<int:pk>/signin/open/")
@panel_action
def signin_open(request, meeting):
    form = SignInOpenForm(request.POST)
    minutes = form.cleaned_data["minutes"] if form.is_valid() else 60
    sign_in = services.signin_open(actor=request.user, meeting=meeting, minutes=minutes)
    return f"签到已开启，签到码 {sign_in.code}。"


@route("meetings/<int:pk>/signin/close/")
@panel_action
def signin_close(request, meeting):
    services.signin_close(actor=request.user, meeting=meeting)
    return "签到已关闭。"


@route("meetings/<int:pk>/signin/")
def signin_display(request, pk):
    """The QR code and the short code, large, for a projector or a phone held up in the room."""
    meeting = get_visible_or_404(Meeting.objects.select_related("organiser"), request.user, pk=pk)
    require_write(request.user, meeting)
    context = {"meeting": meeting, **signin_context(request, meeting)}
    context["present"] = meeting.attendances.present().count()
    return render(request, "study/signin_display.html", context)


@route("signin/today/")
def signin_today(request):
    return render(request, "study/signin_today.html", {"meetings": selectors.signin_today(request.user)})


# The member's side (public: members have no accounts) -----------------------------------------------------


def _client(request) -> str:
    """The phone's address as the login throttling (django-axes) sees it, so both follow one configuration."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


@route("signin/")
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


@route("signin/<str:token>/")
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
