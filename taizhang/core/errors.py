"""The 500 handler, which answers a request the busy database could not serve with the 503 page.

Both pages stand alone (no base.html, no context processors): they are shown when the database fails, so
they read nothing from it."""

from __future__ import annotations

import sys

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader

from .busy import database_busy

RETRY_AFTER_SECONDS = 10
NOT_RESENT = ("csrfmiddlewaretoken", "password")  # a fresh token is put in; passwords are typed again


def server_error(request):
    """handler500: Django calls it inside the `except` of the request's exception."""
    if database_busy(sys.exc_info()[1]):
        return busy(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def busy(request) -> HttpResponse:
    """The 503 page. For a POST it carries what was typed as hidden fields, with a fresh CSRF token, under a
    重新提交 button: nothing typed is lost. Files and passwords are not carried (the page says so)."""
    context = {
        "path": request.get_full_path(),
        "post": request.method == "POST",
        "retry": RETRY_AFTER_SECONDS,
    }
    if context["post"]:
        context.update(resent_fields(request))
        context["csrf_token"] = get_token(request)
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def resent_fields(request) -> dict:
    try:
        data, files = request.POST, request.FILES
    except Exception:  # a body that cannot be read again: the page then only offers to go back
        return {"fields": [], "unreadable": True}
    fields = [
        (name, value)
        for name, values in data.lists()
        if not any(word in name.lower() for word in NOT_RESENT)
        for value in values
    ]
    dropped_password = any("password" in name.lower() for name in data)
    return {"fields": fields, "files_dropped": bool(files), "password_dropped": dropped_password}


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: Django's own page is in English with an inline style the policy blocks."""
    message = "页面已过期，或提交来自其他网站。请返回上一页，刷新后重新提交。"
    return render(request, "403.html", {"message": message}, status=403)
