"""The pages of health checks (党建工作体检): which organisations are checked, a check's page; and of the
remedy (软弱涣散党组织整顿) a weak grade starts: its list, page, progress and acceptance. Create, edit and
delete are the record kit's (records.py)."""

from __future__ import annotations

import functools

from django.shortcuts import render

from taizhang.core.history import history_of
from taizhang.core.records import record_edit
from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, may_write, require_admin, require_write, scope_for
from taizhang.core.views import paginate

from . import selectors, services
from .choices import Grade, RemedyStatus
from .forms_checks import AcceptForm
from .models_checks import HealthCheck, Remedy
from .records import REMEDY
from .views_base import progress_page, step_page

route = Routes()


@route("checks/")
def check_list(request):
    """Which grassroots organisations have been health-checked, with their latest grade; every check below."""
    campaign = selectors.current_campaign()
    rows = selectors.health_coverage(request.user, campaign=campaign)
    return render(
        request,
        "rectify/check_list.html",
        {
            "rows": rows,
            "checked": sum(1 for row in rows if row.checks),
            "page": paginate(request, selectors.check_list(request.user, campaign=campaign)),
            "query": "",
            "can_write": scope_for(request.user).is_admin,
            "show_township": selectors.spans_townships(request.user),
        },
    )


def _check_or_404(request, pk):
    return get_visible_or_404(
        HealthCheck.objects.select_related("organisation").prefetch_related("checkers"), request.user, pk=pk
    )


@route("checks/<int:pk>/")
def check_detail(request, pk):
    check = _check_or_404(request, pk)
    remedies = list(check.remedies.select_related("leader"))
    accepted = Remedy.objects.filter(acceptance_check=check).first()
    can_write = may_write(request.user, check)
    return render(
        request,
        "rectify/check_detail.html",
        {
            "check": check,
            "remedies": remedies,
            "accepted_remedy": accepted,
            "can_write": can_write,
            "can_remedy": can_write
            and check.grade == Grade.WEAK
            and not any(r.status == RemedyStatus.ACTIVE for r in remedies),
            "history": history_of(check),
        },
    )


# Remedies ----------------------------------------------------------------------------------------------


@route("remedies/")
def remedy_list(request):
    remedies = selectors.remedy_list(request.user, campaign=selectors.current_campaign())
    return render(request, "rectify/remedy_list.html", {"page": paginate(request, remedies), "query": ""})


def _remedy_or_404(request, pk):
    return get_visible_or_404(
        Remedy.objects.select_related(
            "organisation", "leader", "health_check", "acceptance_check", "campaign"
        ),
        request.user,
        pk=pk,
    )


@route("remedies/<int:pk>/")
def remedy_detail(request, pk):
    remedy = _remedy_or_404(request, pk)
    entries = list(remedy.entries.select_related("author").order_by("on", "pk"))
    files = selectors.files_of(entries)
    for entry in entries:
        entry.files = files.get(entry.pk, [])
    active = remedy.status == RemedyStatus.ACTIVE
    admin = selectors.is_admin_of(request.user, remedy)
    return render(
        request,
        "rectify/remedy_detail.html",
        {
            "remedy": remedy,
            "entries": entries,
            "can_progress": active and may_write(request.user, remedy),
            "can_admin": admin,
            "can_accept": active and admin,
            "history": history_of(remedy),
        },
    )


@route("remedies/<int:pk>/edit/")
def remedy_edit(request, pk):
    """The record kit's edit page, for a township admin only: the organisation's secretary records the
    remedy's progress and material, but its plan, leader and time limit are the township's."""
    require_admin(request.user, _remedy_or_404(request, pk).organisation_id)
    return record_edit(request, kind=REMEDY, pk=pk)


@route("remedies/<int:pk>/progress/")
def remedy_progress(request, pk):
    remedy = _remedy_or_404(request, pk)
    require_write(request.user, remedy)
    add = functools.partial(services.remedy_progress_add, remedy=remedy)
    return progress_page(request, remedy, add, work="整顿", subtitle=str(remedy))


@route("remedies/<int:pk>/accept/")
def remedy_accept(request, pk):
    remedy = _remedy_or_404(request, pk)
    require_admin(request.user, remedy.organisation_id)
    form = AcceptForm(request.POST or None, remedy=remedy)
    return step_page(
        request,
        form,
        lambda data: services.remedy_accept(actor=request.user, remedy=remedy, **data),
        record=remedy,
    )
