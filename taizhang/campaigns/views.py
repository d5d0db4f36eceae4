from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.history import history_of
from taizhang.core.routes import Routes
from taizhang.orgs.models import Organisation

from . import services
from .models import Campaign

route = Routes()


@route("")
def campaign_list(request):
    campaigns = Campaign.objects.all()
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@route("<slug:code>/")
def campaign_detail(request, code):
    # Campaigns are ordered from above and readable by every account; what is scoped is who is in them.
    campaign = get_object_or_404(Campaign.objects.prefetch_related("parts"), code=code)
    leading_group = (
        LeadingGroupMember.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("member", "organisation")
    )
    covered = Organisation.objects.visible_to(request.user).filter(campaigns=campaign)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "leading_group": leading_group,
            "covered": covered,
            "history": history_of(campaign),
        },
    )


@route("<slug:code>/make-current/")
@require_POST
def campaign_make_current(request, code):
    campaign = get_object_or_404(Campaign, code=code)
    services.campaign_make_current(actor=request.user, campaign=campaign)
    messages.success(request, f"已将“{campaign.name}”设为当前主题教育。")
    return redirect("campaigns:campaign_detail", code=campaign.code)
