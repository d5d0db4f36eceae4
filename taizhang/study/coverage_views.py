"""Pages of make-up study and coverage (人人学、不漏学、不掉队): who still misses a required meeting, and the
make-ups recorded for them. A make-up's create and edit pages are the record kit's (study/records.py)."""

from __future__ import annotations

from django.shortcuts import render

from taizhang.core.listing import query_without_page
from taizhang.core.params import campaign_param
from taizhang.core.records import record_create
from taizhang.core.routes import Routes
from taizhang.core.scoping import require_some_write, scope_for
from taizhang.core.views import paginate
from taizhang.orgs.models import Member

from . import selectors
from .records import MAKEUP
from .views import page_org, unit_report

route = Routes()


@route("coverage/")
def coverage(request):
    context = unit_report(request, selectors.coverage)
    org = context["org"]
    context["can_write"] = org is not None and scope_for(request.user).can_write(org.pk)
    return render(request, "study/coverage.html", context)


@route("makeups/")
def makeup_list(request):
    campaign = campaign_param(request, required=False)
    org, picker = page_org(request)
    page = paginate(request, selectors.makeup_list(request.user, org=org, campaign=campaign))
    return render(
        request,
        "study/makeup_list.html",
        {
            "page": page,
            "campaign": campaign,
            "picker": picker,
            "org": org,
            "query": query_without_page(request),
        },
    )


@route("makeups/new/")
def makeup_create(request):
    """A make-up is for one member: first pick him (the coverage page's links name him already), then the
    record kit's create page."""
    if request.POST.get("member") or request.GET.get("member"):
        return record_create(request, kind=MAKEUP)
    require_some_write(request.user)
    members = (
        Member.objects.writable_by(request.user)
        .select_related("organisation")
        .order_by("organisation__order", "organisation_id", "name")[:500]
    )
    campaign = campaign_param(request, required=False)
    return render(request, "study/makeup_pick.html", {"members": members, "campaign": campaign})
