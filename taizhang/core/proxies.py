"""The address a request comes from, as the login lockout (django-axes) must see it behind a reverse proxy.

Behind nginx every request arrives from the proxy's own address: were that the client's, the lockout by user
name and address would lock a user out for everyone at the first five wrong passwords typed anywhere. The
proxy tells the client's address in X-Forwarded-For; that header is believed only from the proxies named in
TAIZHANG_TRUSTED_PROXIES, since anyone else can write it.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: the last one X-Forwarded-For names when a trusted proxy sent the request (the
    address that proxy saw; the ones before it are the client's own claims), else the connection's."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in settings.TRUSTED_PROXIES and forwarded.strip():
        return forwarded.split(",")[-1].strip() or remote
    return remote
