from django.core.exceptions import PermissionDenied
from django.db import transaction

from taizhang.core.history import stamp

from .models import Campaign


@transaction.atomic
def campaign_make_current(*, actor, campaign: Campaign) -> Campaign:
    """Make a campaign the current one (system administrators only: campaigns are ordered from above)."""
    if not actor.is_superuser:
        raise PermissionDenied("只有系统管理员可以切换当前主题教育。")
    for other in Campaign.objects.filter(is_current=True).exclude(pk=campaign.pk):
        other.is_current = False
        stamp(other, actor, "不再是当前主题教育")
        other.save(update_fields=["is_current"])
    campaign.is_current = True
    stamp(campaign, actor, "设为当前主题教育")
    campaign.save(update_fields=["is_current"])
    return campaign
