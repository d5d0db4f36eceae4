"""Test-only URLs (pytest.mark.urls): views that fail the way a busy or broken database does."""

import io

from django.db import OperationalError
from django.http import FileResponse, HttpResponse
from django.urls import include, path

from taizhang.urls import handler500  # noqa: F401  (the handler under test)

calls = {"save": 0}


def locked(request):
    raise OperationalError("database is locked")


def save_once_busy(request):
    """Busy on the first POST, then saves: as when an import's write lock is released."""
    calls["save"] += 1
    if calls["save"] == 1:
        raise OperationalError("database is locked")
    return HttpResponse("saved " + "|".join(f"{k}={v}" for k, v in sorted(request.POST.items())))


def broken(request):
    raise OperationalError("no such table: study_meeting")


def download(request):
    return FileResponse(io.BytesIO(b"name,mobile\n"), as_attachment=True, filename="list.csv")


download.public = True  # no login: the Cache-Control comes from being a download, not from the user

urlpatterns = [
    path("test/locked/", locked),
    path("test/save/", save_once_busy),
    path("test/broken/", broken),
    path("test/download/", download),
    path("", include("taizhang.urls")),
]
