import pytest

from taizhang.campaigns.models import Campaign


@pytest.fixture
def campaign(db):
    """The shipped campaign, made current (its period: 2023-09 to 2024-01)."""
    campaign = Campaign.objects.get(code="2023-second-batch")
    Campaign.objects.update(is_current=False)
    Campaign.objects.filter(pk=campaign.pk).update(is_current=True)
    campaign.refresh_from_db()
    return campaign
