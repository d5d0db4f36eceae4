"""Report pages: the summary and statistics downloads, the township's summary template, the figure check.

Every page works on an organisation the user may see (?org=, default his own; out of scope is a 404), in a
campaign (?campaign=, default the current one), as of a date (?as_of=, default every record). Views only
parse and call: computing is in summary.py, stats.py and check.py, writing in docx_template.py and
stats_files.py, storing templates in services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from taizhang.campaigns.models import Campaign
from taizhang.core import downloads
from taizhang.core.params import page_params
from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, require_admin, scope_for
from taizhang.core.views import apply_validation_error, private_download
from taizhang.indicators.engine import indicators_of
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation

from . import check as figure_check
from .docx_template import TEXT_NAMES
from .examples import known_names
from .forms import CheckForm, TemplateUploadForm
from .models import SummaryTemplate
from .selectors import (
    current_upload,
    default_template_path,
    page_context,
    report_orgs,
    template_versions,
    township_of,
)
from .services import summary_template_upload, summary_template_withdraw
from .summary import declared_indicators

route = Routes()

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _query(campaign, org, as_of=None) -> str:
    params = {"org": org.pk, "campaign": campaign.code}
    if as_of:
        params["as_of"] = as_of.isoformat()
    return urlencode(params)


@route("")
def index(request):
    campaign, org, as_of = page_context(request)
    committee = township_of(org)
    upload = current_upload(committee, campaign)
    return render(
        request,
        "reports/index.html",
        {
            "campaign": campaign,
            "org": org,
            "as_of": as_of,
            "query": _query(campaign, org, as_of),
            "orgs": report_orgs(request.user, org),
            "upload": upload,
            "committee": committee,
            "rows_are": "乡镇" if org.kind == OrgKind.COUNTY else "基层党组织",
        },
    )


@route("summary.docx", name="summary")
def summary_docx(request):
    page = page_params(request)
    try:
        return downloads.respond(request, "reports.summary", page)
    except downloads.Refused as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('reports:index')}?{_query(page.campaign, page.org, page.as_of)}")


@route("stats.xlsx")
def stats_xlsx(request):
    return downloads.respond(request, "reports.stats_xlsx", page_params(request))


@route("stats.docx")
def stats_docx(request):
    return downloads.respond(request, "reports.stats_docx", page_params(request))


# The township's summary template ---------------------------------------------------------------------


def _template_context(request, campaign, committee, form=None) -> dict:
    scope = scope_for(request.user)
    return {
        "campaign": campaign,
        "committee": committee,
        "upload": current_upload(committee, campaign),
        "versions": template_versions(committee, campaign),
        "can_manage": scope.is_admin and scope.can_write(committee.pk),
        "form": form or TemplateUploadForm(),
        "indicators": declared_indicators(campaign),
        "computable": {i.code for i in indicators_of(campaign)},
        "text_names": TEXT_NAMES,
        "examples": known_names(),
    }


@route("template/", name="template")
def template_page(request):
    campaign, org, _as_of = page_context(request)
    committee = township_of(org)
    if committee is None or not scope_for(request.user).can_read(committee.pk):
        townships = Organisation.objects.visible_to(request.user).filter(
            kind=OrgKind.COMMITTEE, retired_at__isnull=True
        )
        return render(
            request,
            "reports/template_choose.html",
            {"campaign": campaign, "org": org, "townships": townships},
        )
    return render(request, "reports/template.html", _template_context(request, campaign, committee))


def _committee_or_404(request, org_pk: int) -> Organisation:
    committee = get_visible_or_404(Organisation, request.user, pk=org_pk)
    if committee.kind != OrgKind.COMMITTEE:
        raise Http404("工作总结模板属于乡党委。")
    return committee


def _campaign_of(request) -> Campaign:
    code = request.POST.get("campaign") or request.GET.get("campaign")
    campaign = Campaign.objects.filter(code=code).first() if code else Campaign.current()
    if campaign is None:
        raise Http404("尚未设定当前主题教育。")
    return campaign


def _template_change(request, org_pk: int) -> tuple[Organisation, Campaign]:
    """The committee whose template is changed (its township admin only) and the campaign it is for."""
    committee = _committee_or_404(request, org_pk)
    require_admin(request.user, committee.pk)
    return committee, _campaign_of(request)


def _back_to_template_page(campaign, committee):
    return redirect(f"{reverse('reports:template')}?{_query(campaign, committee)}")


@route("template/<int:org_pk>/upload/")
@require_POST
def template_upload(request, org_pk: int):
    committee, campaign = _template_change(request, org_pk)
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            summary_template_upload(
                actor=request.user,
                organisation=committee,
                campaign=campaign,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已上传。{committee.name}的工作总结今后按此模板生成。")
            return _back_to_template_page(campaign, committee)
    return render(request, "reports/template.html", _template_context(request, campaign, committee, form))


@route("template/<int:org_pk>/reset/")
@require_POST
def template_reset(request, org_pk: int):
    committee, campaign = _template_change(request, org_pk)
    if summary_template_withdraw(actor=request.user, organisation=committee, campaign=campaign):
        messages.success(request, "已恢复为默认模板。")
    return _back_to_template_page(campaign, committee)


@route("template/file/<int:pk>/")
def template_file(request, pk: int):
    template = get_visible_or_404(SummaryTemplate.all_objects.all(), request.user, pk=pk)
    return private_download(template.file.open("rb").read(), template.original_name, DOCX)


@route("template/default.docx")
def template_default(request):
    campaign = _campaign_of(request)
    path = default_template_path(campaign)
    return private_download(path.read_bytes(), f"工作总结默认模板（{campaign.name}）.docx", DOCX)


# Figure check --------------------------------------------------------------------------------------


@route("check/")
def check(request):
    campaign, org, _as_of = page_context(request)
    form = CheckForm(request.POST, request.FILES) if request.method == "POST" else CheckForm()
    results = None
    as_of = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            text = (
                figure_check.text_of_upload(upload.name, upload.read())
                if upload
                else form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            as_of = form.cleaned_data.get("as_of")
            results = figure_check.check_against_records(text, campaign, org, as_of=as_of)
    counts = {
        status: sum(1 for r in results or [] if r.status == status)
        for status in (figure_check.MATCH, figure_check.DIFFER, figure_check.UNKNOWN)
    }
    return render(
        request,
        "reports/check.html",
        {
            "campaign": campaign,
            "org": org,
            "form": form,
            "results": results,
            "counts": counts,
            "records_query": _query(campaign, org, as_of),
        },
    )


# Home page -----------------------------------------------------------------------------------------


def home_panel(request) -> str:
    """The reports card on the home page (ReportsConfig.home_panel): for a user with an organisation."""
    if not request.user.is_authenticated or not (request.user.organisation_id or request.user.is_superuser):
        return ""
    return render_to_string("reports/_home_panel.html", {}, request=request)
