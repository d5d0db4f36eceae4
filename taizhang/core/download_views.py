"""The pages of the downloads built as jobs (core.downloads): the user's list, a job's page (polled by htmx
while it runs) and its file, each for its owner only (another user's job, like a forgotten one, is a 404)."""

from django.http import Http404
from django.shortcuts import redirect, render

from . import workers
from .downloads import GONE, KIND, file
from .models import DownloadJob
from .routes import Routes
from .views import private_download

route = Routes()  # included at downloads/ in taizhang/urls.py, namespace "downloads"


def find(user, token: str) -> DownloadJob:
    """The user's own job (a dead one marked failed first), else 404."""
    job = KIND.own(user, token)
    if job is None:
        raise Http404(GONE)
    return job


@route("", name="mine")
def my_downloads(request):
    jobs = DownloadJob.objects.filter(owner=request.user).order_by("-created_at")[:50]
    return render(request, "core/downloads/mine.html", {"jobs": jobs})


@route("<str:token>/")
def job(request, token: str):
    job = find(request.user, token)
    context = {"job": job}
    if job.waiting:
        context["no_worker"] = not workers.worker_running()
    return render(request, "core/downloads/_job.html" if request.htmx else "core/downloads/job.html", context)


@route("<str:token>/file")
def download(request, token: str):
    job = find(request.user, token)
    if job.status != DownloadJob.Status.DONE:
        return redirect("downloads:job", token=job.token.hex)
    try:
        handle = file(job).open("rb")
    except FileNotFoundError:
        raise Http404(GONE) from None
    return private_download(handle, job.filename, job.content_type)
