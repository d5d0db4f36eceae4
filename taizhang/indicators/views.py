from django.http import Http404
from django.shortcuts import render

from taizhang.core.params import page_params
from taizhang.core.routes import Routes
from taizhang.core.views import paginate

from .engine import indicators_of, records
from .selectors import figure_table

route = Routes()


def _context(request):
    """The organisation (default: the user's own), campaign (default: current) and as-of date of the page."""
    params = page_params(request)
    return params.campaign, params.org, params.as_of


@route("")
def figures(request):
    campaign, org, as_of = _context(request)
    return render(request, "indicators/figures.html", {"table": figure_table(campaign, org, as_of)})


@route("<str:code>/", name="records")
def figure_records(request, code):
    campaign, org, as_of = _context(request)
    indicator = next((i for i in indicators_of(campaign) if i.code == code), None)
    if indicator is None:
        raise Http404("没有这个指标。")
    groups = [
        (term, paginate(request, qs, 100)) for term, qs in records(campaign, org, indicator, as_of=as_of)
    ]
    return render(
        request,
        "indicators/records.html",
        {"indicator": indicator, "groups": groups, "org": org, "campaign": campaign, "as_of": as_of},
    )


@route("dashboard/", name="dashboard")
def dashboard_page(request):
    from .dashboard import dashboard

    campaign, org, as_of = _context(request)
    return render(
        request, "indicators/dashboard.html", {"board": dashboard(campaign, org, as_of=as_of), "org": org}
    )
