"""Large downloads as jobs: a county's report, an archive, a big ledger export is built by `taizhang worker`,
not within the web request; a small one (a branch secretary's) still comes back at once.

An app registers a builder by name in its own downloads.py (found like admin.py):

    @downloads.register("reports.stats_xlsx", label="统计表")
    def stats_xlsx(user, params, out, progress):
        page = downloads.page(params, user)      # the campaign, organisation and date, in *user's* scope
        ...                                       # write the file to `out`, call progress("……") now and then
        return downloads.Built("XX统计表.xlsx", XLSX)

and its view answers with `downloads.respond(request, "reports.stats_xlsx", page_params(request))`: the file
itself when the request is small (organisations in scope × the builder's weight ≤ DOWNLOAD_INLINE_ORGS, 100:
a township's reports), else a redirect to the job's page (“正在生成，完成后可下载”), which polls (htmx) until
the file can be fetched. The same request again while its job runs goes to that job.

A job is a row (models.DownloadJob: owner, builder, parameters, status, progress, file, error) and its file
under var/downloads/<token>/ (0700 folder, 0600 file: reports hold names and mobiles). Only its owner sees its
page and its file (another user gets a 404); the builder runs with the owner's scope, never trusting the stored
parameters for access. A builder's exception fails the job with a Chinese message (Refused: its own message;
anything else: a general one, the traceback in the log). A job whose worker died is marked failed when it is
next read or when a worker starts (core.workers.worker_started); finished jobs and their files are forgotten
after JOB_KEEP_HOURS (24) by the worker's housekeeping and at each new job. That heart, lease and cleanup are
those of every kind of job (core.jobkinds, KIND below); the pages are in core.download_views.

Settings (read as core.workers.setting does): DOWNLOAD_INLINE_ORGS (100), DOWNLOAD_BEAT_SECONDS (2),
JOB_LEASE_SECONDS (120), JOB_KEEP_HOURS (24).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import task

from . import workers
from .jobkinds import HOST, JobKind
from .models import DownloadJob
from .params import PageParams, campaign_by_code, parse_as_of
from .scoping import get_visible_or_404, subtree_ids
from .views import private_download

log = logging.getLogger(__name__)
Status = DownloadJob.Status
INLINE_ORGS = 100  # a township (some 40 organisations) at once; a county's or a city's as a job
BEAT_SECONDS = 2
STARTED = "正在生成，完成后可下载。"
FAILED = "生成文件时出错。请稍后重试；如仍出错，请联系系统管理员。"
NOT_ALLOWED = "您已无权查看所选组织的材料，或所选的组织、主题教育已不存在，未生成文件。"
CUT_OFF = "生成中断（服务器或后台任务程序重启），请重新下载。"
GONE = "没有这个下载，或已过期（生成的文件保留一天）。"
KIND = JobKind(
    DownloadJob,
    "downloads",
    label="Download job",
    cut_off={"status": Status.FAILED, "error": CUT_OFF},
    beat_setting="DOWNLOAD_BEAT_SECONDS",
    beat_default=BEAT_SECONDS,
    discard_cut_off_files=True,  # a file half written
)
KIND.connect()  # the worker reaps cut-off builds as it starts and forgets old files in its housekeeping
root, folder = KIND.root, KIND.folder

Progress = Callable[[str], None]  # a line saying where the build stands (the job's page shows the latest)


@dataclass(frozen=True)
class Built:
    """What a builder wrote: the file's name as the user gets it, and its type."""

    filename: str
    content_type: str


class Refused(Exception):
    """A builder cannot make the file, for a reason the user can act on: its message (Chinese) is shown."""


@dataclass(frozen=True)
class Builder:
    name: str
    label: str  # what is built, after the organisation's name: 甲乡党委 + 工作总结
    build: Callable[[object, dict, BinaryIO, Progress], Built]  # (user, params, out, progress)
    weight: int  # how much heavier than a statistics table, per organisation


_builders: dict[str, Builder] = {}


def register(name: str, *, label: str, weight: int = 1):
    """Register a builder under `name` (see the module's docstring)."""

    def decorate(build):
        _builders[name] = Builder(name, label, build, weight)
        return build

    return decorate


def builder(name: str) -> Builder | None:
    if name not in _builders:
        autodiscover_modules("downloads")
    return _builders.get(name)


# Parameters: what the job stores, and what its builder reads back in the owner's scope -------------------


def ask(page: PageParams, **extra) -> dict:
    """A page's campaign, organisation and date as a job's parameters (JSON)."""
    return {
        "campaign": page.campaign.code,
        "org": page.org.pk,
        "as_of": page.as_of.isoformat() if page.as_of else "",
        **extra,
    }


def page(params: dict, user) -> PageParams:
    """The parameters read back for `user`: an organisation outside his scope (now) is a 404."""
    Organisation = apps.get_model("orgs", "Organisation")
    return PageParams(
        campaign=campaign_by_code(params.get("campaign") or ""),
        org=get_visible_or_404(Organisation, user, pk=params.get("org")),
        as_of=parse_as_of(params.get("as_of") or ""),
    )


# The view's answer ---------------------------------------------------------------------------------------


def respond(request, kind: str, page: PageParams, *, title: str = "", **extra):
    """The file, built now if the request is small, else a redirect to its job's page (the running one of
    the same request, or a new one). Refused propagates from a small build: the view says why."""
    entry = builder(kind)
    params = ask(page, **extra)
    size = len(subtree_ids(page.org.pk)) * entry.weight
    if size <= workers.setting("DOWNLOAD_INLINE_ORGS", INLINE_ORGS):
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it (and so deletes it) when sent
        try:
            built = entry.build(request.user, params, handle, lambda text: None)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return private_download(handle, built.filename, built.content_type)
    job = submit(request.user, kind, params, title=title or f"{page.org.name}{entry.label}")
    messages.info(request, STARTED)
    return redirect("downloads:job", token=job.token.hex)


def submit(user, kind: str, params: dict, *, title: str) -> DownloadJob:
    """The user's running job of this request, else a new one on the queue."""
    KIND.sweep()
    for job in DownloadJob.objects.filter(owner=user, kind=kind, status__in=DownloadJob.RUNNING):
        if job.params == params and not KIND.cut_off_now(job):
            return job
    job = DownloadJob.objects.create(owner=user, kind=kind, params=params, title=title[:255])
    result = build_job.enqueue(job.pk)
    DownloadJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return job


# The job -------------------------------------------------------------------------------------------------


def file(job: DownloadJob) -> Path:
    return folder(job) / "file"


@task()
def build_job(job_id: int) -> str:
    """The queued build of a download (run by `taizhang worker`)."""
    return run(job_id)


def run(job_id: int) -> str:
    """Build the job's file with its owner's scope, keeping its row up to date; returns the final status."""
    now = timezone.now()
    taken = DownloadJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, beat_at=now, host=HOST, pid=os.getpid(), progress="正在生成……"
    )
    if not taken:
        return "skipped"  # forgotten, or marked failed before a worker took it
    job = DownloadJob.objects.select_related("owner").get(pk=job_id)
    heart = KIND.heart(job.pk, text="正在生成……")
    final = {"status": Status.FAILED, "error": CUT_OFF}
    try:
        entry = builder(job.kind)
        if entry is None:
            raise LookupError(f"no download builder named {job.kind!r}")
        root().mkdir(mode=0o700, exist_ok=True)  # var/ is there (settings); mkdir's parents ignore mode
        folder(job).mkdir(mode=0o700)
        descriptor = os.open(file(job), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w+b") as out:
            built = entry.build(job.owner, job.params, out, heart.progress)
        final = {
            "status": Status.DONE,
            "filename": built.filename[:255],
            "content_type": built.content_type[:100],
            "size": file(job).stat().st_size,
            "error": "",
        }
    except Refused as exc:
        final = {"status": Status.FAILED, "error": str(exc)[:500]}
    except (Http404, PermissionDenied, BadRequest):
        final = {"status": Status.FAILED, "error": NOT_ALLOWED}
    except Exception:  # never leave a page polling forever; the exception's text is for the log only
        log.exception("Download job %s (%s) failed", job.pk, job.kind)
        final = {"status": Status.FAILED, "error": FAILED}
    finally:  # also when the worker is stopped in the middle (SystemExit): the job is not left running
        heart.stop()
        if final["status"] != Status.DONE:
            shutil.rmtree(folder(job), ignore_errors=True)
        DownloadJob.objects.filter(pk=job.pk).update(
            **final, progress="", beat_at=None, finished_at=timezone.now()
        )
    return final["status"]
