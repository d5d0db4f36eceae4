"""Pages of the campaign's deployment and study plans (谋): which branches passed the deployment on, each
organisation's plan against what it held, and adding to a plan (its items are deleted on the record kit's
pages)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from taizhang.core.params import campaign_param
from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, require_write, scope_for
from taizhang.core.views import run_service
from taizhang.orgs.models import Organisation

from . import selectors, services
from .choices import MeetingType
from .forms import PlannedMeetingForm
from .views import page_org, unit_report

route = Routes()


@route("deployment/")
def deployment(request):
    context = {**unit_report(request, selectors.deployment), "types": MeetingType}
    return render(request, "study/deployment.html", context)


@route("plans/")
def plan_overview(request):
    campaign = campaign_param(request, required=False)
    org, picker = page_org(request)
    rows = selectors.plan_progress(request.user, campaign=campaign, org=org) if campaign else []
    return render(
        request,
        "study/plan_overview.html",
        {"campaign": campaign, "rows": rows, "picker": picker, "org": org},
    )


@route("plans/<int:org_pk>/")
def plan_detail(request, org_pk):
    org = get_visible_or_404(Organisation, request.user, pk=org_pk)
    campaign = campaign_param(request, required=False)
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
