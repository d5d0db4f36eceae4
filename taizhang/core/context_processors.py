from django.utils.functional import SimpleLazyObject

from taizhang.core.scoping import scope_for


def shell(request):
    """What the page shell needs from core: the user's scope."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": SimpleLazyObject(lambda: scope_for(user))}
