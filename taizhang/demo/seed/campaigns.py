"""The 2023 second-batch campaign is current, covers the townships, and each has its leading group."""

from taizhang.campaigns.models import Campaign, LeadingGroupMember

from .context import SeedContext


def _setup(ctx: SeedContext) -> None:
    campaign = Campaign.objects.get(code="2023-second-batch")
    if not campaign.is_current:
        Campaign.objects.filter(is_current=True).update(is_current=False)
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])
    campaign.organisations.add(*(t.committee for t in ctx.townships))
    LeadingGroupMember.objects.bulk_create(
        LeadingGroupMember(
            campaign=campaign, organisation=t.committee, member=member, role=role, title=title, order=order
        )
        for t in ctx.townships
        for order, (member, role, title) in enumerate(t.leaders, start=1)
    )
    ctx.campaign = campaign


def demo(ctx: SeedContext) -> None:
    _setup(ctx)


def scale(ctx: SeedContext, count: int) -> None:
    _setup(ctx)
