from django.utils.functional import SimpleLazyObject

from taizhang.core.scoping import scope_for


def _current_campaign():
    from taizhang.campaigns.models import Campaign

    return Campaign.objects.filter(is_current=True).prefetch_related("parts").first()


def shell(request):
    """What the page shell needs: the current campaign with its parts, and the user's scope."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "scope": SimpleLazyObject(lambda: scope_for(user)),
        "current_campaign": SimpleLazyObject(_current_campaign),
    }
