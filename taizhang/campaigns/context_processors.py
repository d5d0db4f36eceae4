from django.utils.functional import SimpleLazyObject

from .models import Campaign


def _current():
    return Campaign.objects.filter(is_current=True).prefetch_related("parts").first()


def current_campaign(request):
    """What the page shell needs from campaigns: the current campaign with its parts (for its menu)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_campaign": SimpleLazyObject(_current)}
