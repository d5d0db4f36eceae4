"""The pages of rectification: the ledger, problems and measures with their steps (progress, 销号, reopening,
claiming), deadlines and the user's own measures. Talks' pages are in views_talks, health checks' and
remedies' in views_checks; create, edit and delete are the record kit's (records.py). Each page fetches
what it shows through visible_to / get_visible_or_404 (out of scope: 404), checks the right to write before
showing a form (403), and writes only through services."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.history import history_of
from taizhang.core.listing import query_without_page
from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, may_write, org_id_of, require_admin, require_write
from taizhang.core.views import paginate, render_list

from . import selectors, services
from .choices import MeasureStatus
from .forms import CloseForm, LedgerFilterForm, ReopenForm
from .models import Measure, Problem
from .views_base import progress_page, step_page

route = Routes()

LEDGER_PAGE = 20


# The ledger and problems -------------------------------------------------------------------------------


@route("")
def problem_list(request):
    """The rectification ledger: each problem once, its measures beneath, as on paper."""
    campaign = selectors.current_campaign()
    form = LedgerFilterForm(request.GET or None, user=request.user, campaign=campaign)
    problems = selectors.problem_ledger(request.user, form.filters(), campaign=campaign)
    context = {
        "form": form,
        "page": paginate(request, problems, LEDGER_PAGE),
        "query": query_without_page(request),
        "campaign": campaign,
        "show_township": selectors.spans_townships(request.user),
    }
    return render_list(request, "rectify/problem_list.html", "rectify/_ledger.html", context)


@route("problems/<int:pk>/")
def problem_detail(request, pk):
    problem = get_visible_or_404(
        Problem.objects.select_related("township", "owner_org", "owner_member", "lead", "campaign"),
        request.user,
        pk=pk,
    )
    measures = list(
        problem.measures.select_related("responsible_leader", "responsible_person").order_by("order", "pk")
    )
    problem.n_measures = len(measures)
    problem.n_open = sum(1 for m in measures if not m.is_done)
    return render(
        request,
        "rectify/problem_detail.html",
        {
            "problem": problem,
            "measures": measures,
            "timeline": selectors.problem_timeline(problem),
            "can_write": may_write(request.user, problem),
            "history": history_of(problem),
        },
    )


# Measures ----------------------------------------------------------------------------------------------


def _measure_or_404(request, pk):
    return get_visible_or_404(
        Measure.objects.select_related(
            "problem__township",
            "problem__owner_org",
            "problem__owner_member",
            "problem__campaign",
            "responsible_leader",
            "responsible_person",
        ),
        request.user,
        pk=pk,
    )


def _can_claim(user, measure) -> bool:
    member_id = getattr(user, "member_id", None)
    if not (measure.is_claimable and member_id and may_write(user, measure)):
        return False
    problem = measure.problem
    return LeadingGroupMember.objects.filter(
        campaign_id=problem.campaign_id, organisation_id=problem.township_id, member_id=member_id
    ).exists()


@route("measures/<int:pk>/")
def measure_detail(request, pk):
    measure = _measure_or_404(request, pk)
    can_write = may_write(request.user, measure)
    is_admin = selectors.is_admin_of(request.user, measure)
    return render(
        request,
        "rectify/measure_detail.html",
        {
            "measure": measure,
            "problem": measure.problem,
            "entries": selectors.measure_entries(measure),
            "can_write": can_write,
            "can_progress": can_write and measure.status != MeasureStatus.DONE,
            "can_close": is_admin and not measure.is_signed_off,
            "can_reopen": is_admin and measure.is_done,
            "can_claim": _can_claim(request.user, measure),
            "history": history_of(measure),
        },
    )


@route("measures/<int:pk>/progress/")
def measure_progress(request, pk):
    measure = _measure_or_404(request, pk)
    require_write(request.user, measure)
    add = functools.partial(services.progress_add, measure=measure)
    return progress_page(request, measure, add, work="整改", subtitle=measure.content)


def _admin_measure(request, pk) -> Measure:
    """The measure of a step that only a township admin of its scope takes (销号, 撤销销号)."""
    measure = _measure_or_404(request, pk)
    require_write(request.user, measure)
    require_admin(request.user, org_id_of(measure))
    return measure


def _measure_step(request, form, measure: Measure, service):
    """The page of a step on a measure, taken by `service(actor=, measure=, **cleaned_data)`."""

    def take(data):
        return service(actor=request.user, measure=measure, **data)

    return step_page(request, form, take, record=measure, subtitle=measure.content)


@route("measures/<int:pk>/close/")
def measure_close(request, pk):
    """销号: the township admin signs a measure off, with its 完成情况 and evidence."""
    measure = _admin_measure(request, pk)
    form = CloseForm(request.POST or None, request.FILES or None, measure=measure)
    return _measure_step(request, form, measure, services.measure_sign_off)


@route("measures/<int:pk>/reopen/")
def measure_reopen(request, pk):
    """撤销销号: the township admin takes a sign-off or a done status back, with the reason."""
    measure = _admin_measure(request, pk)
    return _measure_step(request, ReopenForm(request.POST or None), measure, services.measure_reopen)


@route("measures/<int:pk>/claim/")
def measure_claim(request, pk):
    measure = _measure_or_404(request, pk)
    require_write(request.user, measure)
    error = ""
    if request.method == "POST":
        try:
            services.measure_claim(actor=request.user, measure=measure)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, "已认领，您是这项措施的责任领导。")
            return redirect(measure.get_absolute_url())
    return render(
        request,
        "rectify/confirm.html",
        {
            "title": "认领专项整改措施",
            "text": f"认领“{measure.content}”，由您担任责任领导？",
            "button": "认领",
            "back": measure.get_absolute_url(),
            "error": error,
        },
    )


# Deadlines ---------------------------------------------------------------------------------------------


@route("deadlines/")
def deadlines(request):
    """Measures overdue, or due within 7 days, of what the user may see (a township's, or the county's)."""
    show = "due" if request.GET.get("show") == "due" else "overdue"
    campaign = selectors.current_campaign()
    overdue = selectors.measures_overdue(request.user, campaign=campaign)
    due = selectors.measures_due(request.user, campaign=campaign)
    context = {
        "show": show,
        "page": paginate(request, overdue if show == "overdue" else due),
        "counts": {"overdue": overdue.count(), "due": due.count()},
        "query": f"show={show}",
        "show_township": selectors.spans_townships(request.user),
    }
    return render_list(request, "rectify/deadlines.html", "rectify/_measure_rows.html", context)


def home_panel(request) -> str:
    """The home page's panel (AppConfig.home_panel): the user's own measures overdue or due within the week,
    and those done but not yet signed off (已完成、待销号), or nothing for a user who has none of these."""
    from django.template.loader import render_to_string

    if not getattr(request.user, "member_id", None):
        return ""
    mine = selectors.my_measures(request.user, campaign=selectors.current_campaign())
    if not (mine.overdue or mine.due or mine.pending):
        return ""
    return render_to_string("rectify/_home_panel.html", {"mine": mine}, request=request)


@route("mine/")
def mine(request):
    """The measures the user is responsible for (as 责任领导 or 责任人): overdue, due soon, the rest."""
    return render(
        request,
        "rectify/mine.html",
        {"mine": selectors.my_measures(request.user, campaign=selectors.current_campaign())},
    )
