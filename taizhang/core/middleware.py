import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
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


class SessionIdleMiddleware:
    """A signed-in session ends SESSION_COOKIE_AGE (TAIZHANG_SESSION_IDLE_MINUTES) after the last request.

    Rather than saving the session on every request (SESSION_SAVE_EVERY_REQUEST: a database write for every
    page, each waiting for SQLite's write lock while an import runs), the expiry is moved forward at most
    once every REFRESH_SECONDS: a session may end up to that much before the idle time is up."""

    REFRESH_SECONDS = 60
    SEEN_KEY = "_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            if now - session.get(self.SEEN_KEY, 0) >= self.REFRESH_SECONDS:
                session[self.SEEN_KEY] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return response


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every page a signed-in user sees and on every download: they
    show names and mobiles, which neither the browser's cache nor a proxy may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.streaming or response.has_header("Content-Disposition"):
            # Whatever the view asked for (an attachment's max-age=3600): kept nowhere, not even for an hour.
            response["Cache-Control"] = "private, no-store"
        return response


class MethodNotAllowedPageMiddleware:
    """A page opened the wrong way (a bookmarked or typed address of a form's target: GET /ledgers/import/)
    gets a Chinese page saying what to do, not require_POST's empty 405 answer, which shows a blank page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.headers.get("HX-Request"):
            return response
        page = TemplateResponse(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page.render()
