from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import resolve


class LoginRequiredMiddleware:
    """Every page needs a login except those marked public (login itself, static files, health check)."""

    PUBLIC_URL_NAMES = {"login", "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not self._is_public(request):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)

    def _is_public(self, request) -> bool:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Exception:
            return False
        return match.url_name in self.PUBLIC_URL_NAMES or getattr(match.func, "public", False)
