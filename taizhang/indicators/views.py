from django.http import Http404
from django.shortcuts import render

from taizhang.campaigns.models import Campaign
from taizhang.core.scoping import get_visible_or_404
from taizhang.core.views import paginate
from taizhang.orgs.models import Organisation

from .engine import indicators_of, records
from .selectors import figure_table


def _context(request):
    """The organisation (default: the user's own), campaign (default: current) and as-of date of the page."""
    campaign = (
        Campaign.objects.filter(code=request.GET.get("campaign")).first()
        if request.GET.get("campaign")
        else None
    )
    campaign = campaign or Campaign.current()
    if campaign is None:
        raise Http404("尚未设定当前主题教育。")
    org_id = request.GET.get("org") or request.user.organisation_id
    if org_id is None:
        org = Organisation.objects.visible_to(request.user).filter(parent__isnull=True).first()
        if org is None:
            raise Http404("没有可查看的组织。")
    else:
        org = get_visible_or_404(Organisation, request.user, pk=org_id)
    as_of = None
    if request.GET.get("as_of"):
        from .selectors import parse_date

        try:
            as_of = parse_date(request.GET["as_of"])
        except Exception:
            as_of = None
    return campaign, org, as_of


def figures(request):
    campaign, org, as_of = _context(request)
    return render(request, "indicators/figures.html", {"table": figure_table(campaign, org, as_of)})


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


def dashboard_page(request):
    from .dashboard import dashboard

    campaign, org, as_of = _context(request)
    return render(
        request, "indicators/dashboard.html", {"board": dashboard(campaign, org, as_of=as_of), "org": org}
    )
