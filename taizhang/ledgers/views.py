"""Ledger pages: download the ledgers (all, or one sheet) and the blank template; upload a workbook, see what
it would create, update and refuse, confirm, and watch a large file's progress (jobs.py: the job behind the pages).
A county's export and an archive are built as jobs (downloads.py, core.downloads); a branch's come back at once.

Downloads are for anyone who may read the organisation (its subtree, scoped like every page); uploads for
anyone who may write somewhere (a township admin, or a branch secretary, whose rows of other branches are
refused by the importer's scope check).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.core import downloads
from taizhang.core.params import page_params
from taizhang.core.routes import Routes
from taizhang.core.scoping import require_admin, require_some_write, scope_for
from taizhang.core.views import private_download
from taizhang.core.workers import worker_running
from taizhang.reports.selectors import page_context, report_orgs, township_of

from . import jobs
from .forms import UploadForm
from .spec import all_sheets, find_sheet

route = Routes()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@route("")
def index(request):
    campaign, org, _as_of = page_context(request)
    scope = scope_for(request.user)
    return render(
        request,
        "ledgers/index.html",
        {
            "campaign": campaign,
            "org": org,
            "orgs": report_orgs(request.user, org),
            "sheets": all_sheets(),
            "can_upload": scope.can_write_anything,
            "can_archive": scope.is_admin and scope.can_write(org.pk),
            "form": UploadForm(),
        },
    )


@route("export.xlsx")
def export(request):
    page = page_params(request)
    names = request.GET.getlist("sheet")
    if any(find_sheet(name) is None for name in names):
        raise Http404("没有这个台账。")
    label = names[0] if len(names) == 1 else "台账"
    return downloads.respond(request, "ledgers.export", page, title=f"{page.org.name}{label}", sheets=names)


@route("template.xlsx")
def template(request):
    from .writing import write_template

    names = request.GET.getlist("sheet")
    if any(find_sheet(name) is None for name in names):
        raise Http404("没有这个台账。")
    out = io.BytesIO()
    write_template(out, sheets=names or None)
    label = names[0] if len(names) == 1 else "台账"
    return private_download(out.getvalue(), f"{label}模板.xlsx", XLSX)


@route("archive.zip")
def archive(request):
    """The campaign's material filed in the six classes, as a .zip: for the township office (its admins)."""
    page = page_params(request)
    require_admin(request.user, page.org.pk)
    return downloads.respond(request, "ledgers.archive", page)


@route("import/")
@require_POST
def upload(request):
    require_some_write(request.user)
    campaign, org, _as_of = page_context(request)
    back = f"{reverse('ledgers:index')}?org={org.pk}&campaign={campaign.code}"
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(back)
    # Rows that name no organisation go to the user's own township (or the one chosen on the page).
    township = township_of(org) if org.kind != "county" else None
    try:
        job = jobs.start(form.cleaned_data["file"], user=request.user, campaign=campaign, township=township)
    except jobs.Busy as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return redirect("ledgers:job", job_id=job.token.hex)


def _job_for(request, job_id: str):
    job = jobs.find(request.user, job_id)
    if job is None:
        raise Http404(jobs.GONE)
    return job


@route("import/<str:job_id>/")
def job(request, job_id: str):
    job = _job_for(request, job_id)
    template_name = "ledgers/_job.html" if request.htmx else "ledgers/job.html"
    context = {"job": job, "job_id": job.token.hex, "running": job.running}
    if job.waiting:
        context["no_worker"] = not worker_running()
    return render(request, template_name, context)


@route("import/<str:job_id>/confirm/")
@require_POST
def confirm(request, job_id: str):
    require_some_write(request.user)
    job = _job_for(request, job_id)
    if job.status != jobs.Status.CHECKED:
        raise PermissionDenied("这个文件尚未通过检查，不能导入。")
    try:
        jobs.confirm(job)
    except jobs.Busy as exc:
        messages.error(request, str(exc))
    return redirect("ledgers:job", job_id=job.token.hex)
