"""The pages of rectification. Each fetches what it shows through visible_to / get_visible_or_404 (out of
scope: 404), checks the right to write before showing a form (403), and writes only through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.history import history_of
from taizhang.core.scoping import (
    get_visible_or_404,
    may_write,
    org_id_of,
    require_admin,
    require_write,
    scope_for,
)
from taizhang.core.views import paginate, render_list, service_form

from . import selectors, services
from .choices import Grade, MeasureStatus, RemedyStatus
from .forms import (
    AcceptForm,
    CloseForm,
    LedgerFilterForm,
    ProgressForm,
    RemedyEntryForm,
    RemedyForm,
    ReopenForm,
    TalkFilterForm,
)
from .models import HealthCheck, Measure, Problem, Remedy, Talk

LEDGER_PAGE = 20


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _is_admin_of(user, obj) -> bool:
    scope = scope_for(user)
    return scope.is_admin and scope.can_write(org_id_of(obj))


def _spans_townships(user) -> bool:
    """Whether the user sees more than his own township's records (county viewers, superusers): then lists
    name each record's township."""
    scope = scope_for(user)
    return user.is_superuser or scope.read != scope.write


# The ledger and problems -------------------------------------------------------------------------------


def problem_list(request):
    """The rectification ledger: each problem once, its measures beneath, as on paper."""
    campaign = selectors.current_campaign()
    form = LedgerFilterForm(request.GET or None, user=request.user, campaign=campaign)
    problems = selectors.problem_ledger(request.user, form.filters(), campaign=campaign)
    context = {
        "form": form,
        "page": paginate(request, problems, LEDGER_PAGE),
        "query": _query_without_page(request),
        "campaign": campaign,
        "show_township": _spans_townships(request.user),
    }
    return render_list(request, "rectify/problem_list.html", "rectify/_ledger.html", context)


def problem_detail(request, pk):
    problem = get_visible_or_404(
        Problem.objects.select_related("township", "owner_org", "owner_member", "lead", "campaign"),
        request.user,
        pk=pk,
    )
    measures = list(
        problem.measures.select_related("responsible_leader", "responsible_person").order_by("order", "pk")
    )
    problem.n_measures = len(measures)
    problem.n_open = sum(1 for m in measures if not m.is_done)
    return render(
        request,
        "rectify/problem_detail.html",
        {
            "problem": problem,
            "measures": measures,
            "timeline": selectors.problem_timeline(problem),
            "can_write": may_write(request.user, problem),
            "history": history_of(problem),
        },
    )


# Measures ----------------------------------------------------------------------------------------------


def _measure_or_404(request, pk):
    return get_visible_or_404(
        Measure.objects.select_related(
            "problem__township",
            "problem__owner_org",
            "problem__owner_member",
            "problem__campaign",
            "responsible_leader",
            "responsible_person",
        ),
        request.user,
        pk=pk,
    )


def _can_claim(user, measure) -> bool:
    member_id = getattr(user, "member_id", None)
    if not (measure.is_claimable and member_id and may_write(user, measure)):
        return False
    problem = measure.problem
    return LeadingGroupMember.objects.filter(
        campaign_id=problem.campaign_id, organisation_id=problem.township_id, member_id=member_id
    ).exists()


def measure_detail(request, pk):
    measure = _measure_or_404(request, pk)
    can_write = may_write(request.user, measure)
    is_admin = _is_admin_of(request.user, measure)
    return render(
        request,
        "rectify/measure_detail.html",
        {
            "measure": measure,
            "problem": measure.problem,
            "entries": selectors.measure_entries(measure),
            "can_write": can_write,
            "can_progress": can_write and measure.status != MeasureStatus.DONE,
            "can_close": is_admin and not measure.is_signed_off,
            "can_reopen": is_admin and measure.is_done,
            "can_claim": _can_claim(request.user, measure),
            "history": history_of(measure),
        },
    )


def measure_progress(request, pk):
    measure = _measure_or_404(request, pk)
    require_write(request.user, measure)
    form = ProgressForm(request.POST or None, request.FILES or None)
    return service_form(
        request,
        form,
        lambda data: services.progress_add(actor=request.user, measure=measure, **data),
        template="rectify/form.html",
        message="已记录整改进展。",
        success=lambda entry: measure.get_absolute_url(),
        context={
            "title": "记录整改进展",
            "subtitle": measure.content,
            "back": measure.get_absolute_url(),
            "multipart": True,
        },
    )


def measure_close(request, pk):
    """销号: the township admin signs a measure off, with its 完成情况 and evidence."""
    measure = _measure_or_404(request, pk)
    require_write(request.user, measure)
    require_admin(request.user, org_id_of(measure))
    form = CloseForm(request.POST or None, request.FILES or None, measure=measure)
    return service_form(
        request,
        form,
        lambda data: services.measure_sign_off(actor=request.user, measure=measure, **data),
        template="rectify/form.html",
        message="已销号。",
        success=lambda m: m.get_absolute_url(),
        context={
            "title": "销号",
            "subtitle": measure.content,
            "back": measure.get_absolute_url(),
            "multipart": True,
            "intro": "销号由乡党委管理员办理：须填写完成情况，并有至少一份佐证材料（照片、PDF或Word文件）。",
            "submit": "确认销号",
        },
    )


def measure_reopen(request, pk):
    measure = _measure_or_404(request, pk)
    require_write(request.user, measure)
    require_admin(request.user, org_id_of(measure))
    form = ReopenForm(request.POST or None)
    return service_form(
        request,
        form,
        lambda data: services.measure_reopen(actor=request.user, measure=measure, **data),
        template="rectify/form.html",
        message="已撤销销号，原因已记入整改进展。",
        success=lambda m: m.get_absolute_url(),
        context={
            "title": "撤销销号",
            "subtitle": measure.content,
            "back": measure.get_absolute_url(),
            "intro": "撤销后措施回到“整改中”（已销号的同时撤销销号），原因记入整改进展和修改记录。",
            "submit": "撤销销号",
        },
    )


def measure_claim(request, pk):
    measure = _measure_or_404(request, pk)
    require_write(request.user, measure)
    error = ""
    if request.method == "POST":
        try:
            services.measure_claim(actor=request.user, measure=measure)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, "已认领，您是这项措施的责任领导。")
            return redirect(measure.get_absolute_url())
    return render(
        request,
        "rectify/confirm.html",
        {
            "title": "认领专项整改措施",
            "text": f"认领“{measure.content}”，由您担任责任领导？",
            "button": "认领",
            "back": measure.get_absolute_url(),
            "error": error,
        },
    )


# Deadlines ---------------------------------------------------------------------------------------------


def deadlines(request):
    """Measures overdue, or due within 7 days, of what the user may see (a township's, or the county's)."""
    show = "due" if request.GET.get("show") == "due" else "overdue"
    campaign = selectors.current_campaign()
    overdue = selectors.measures_overdue(request.user, campaign=campaign)
    due = selectors.measures_due(request.user, campaign=campaign)
    context = {
        "show": show,
        "page": paginate(request, overdue if show == "overdue" else due),
        "counts": {"overdue": overdue.count(), "due": due.count()},
        "query": f"show={show}",
        "show_township": _spans_townships(request.user),
    }
    return render_list(request, "rectify/deadlines.html", "rectify/_measure_rows.html", context)


def home_panel(request) -> str:
    """The home page's panel (AppConfig.home_panel): the user's own measures overdue or due within the week,
    and those done but not yet signed off (已完成、待销号), or nothing for a user who has none of these."""
    from django.template.loader import render_to_string

    if not getattr(request.user, "member_id", None):
        return ""
    mine = selectors.my_measures(request.user, campaign=selectors.current_campaign())
    if not (mine.overdue or mine.due or mine.pending):
        return ""
    return render_to_string("rectify/_home_panel.html", {"mine": mine}, request=request)


def mine(request):
    """The measures the user is responsible for (as 责任领导 or 责任人): overdue, due soon, the rest."""
    return render(
        request,
        "rectify/mine.html",
        {"mine": selectors.my_measures(request.user, campaign=selectors.current_campaign())},
    )


# Talks -------------------------------------------------------------------------------------------------


def talk_list(request):
    campaign = selectors.current_campaign()
    form = TalkFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    talks = selectors.talk_list(request.user, campaign=campaign, kind=kind)
    return render(
        request,
        "rectify/talk_list.html",
        {
            "form": form,
            "page": paginate(request, talks),
            "query": _query_without_page(request),
            "person_times": selectors.talk_person_times(request.user, campaign=campaign, kind=kind),
        },
    )


def _talk_or_404(request, pk):
    return get_visible_or_404(
        Talk.objects.select_related("talker", "organisation").prefetch_related("persons"), request.user, pk=pk
    )


def talk_detail(request, pk):
    talk = _talk_or_404(request, pk)
    return render(
        request,
        "rectify/talk_detail.html",
        {
            "talk": talk,
            "can_read": selectors.can_read_talk(request.user, talk),
            "can_write": may_write(request.user, talk),
            "history": history_of(talk, viewer=request.user),
        },
    )


# Health checks -----------------------------------------------------------------------------------------


def check_list(request):
    """Which grassroots organisations have been health-checked, with their latest grade; every check below."""
    campaign = selectors.current_campaign()
    rows = selectors.health_coverage(request.user, campaign=campaign)
    return render(
        request,
        "rectify/check_list.html",
        {
            "rows": rows,
            "checked": sum(1 for row in rows if row.checks),
            "page": paginate(request, selectors.check_list(request.user, campaign=campaign)),
            "query": "",
            "can_write": scope_for(request.user).is_admin,
            "show_township": _spans_townships(request.user),
        },
    )


def _check_or_404(request, pk):
    return get_visible_or_404(
        HealthCheck.objects.select_related("organisation").prefetch_related("checkers"), request.user, pk=pk
    )


def check_detail(request, pk):
    check = _check_or_404(request, pk)
    remedies = list(check.remedies.select_related("leader"))
    accepted = Remedy.objects.filter(acceptance_check=check).first()
    can_write = may_write(request.user, check)
    return render(
        request,
        "rectify/check_detail.html",
        {
            "check": check,
            "remedies": remedies,
            "accepted_remedy": accepted,
            "can_write": can_write,
            "can_remedy": can_write
            and check.grade == Grade.WEAK
            and not any(r.status == RemedyStatus.ACTIVE for r in remedies),
            "history": history_of(check),
        },
    )


# Remedies ----------------------------------------------------------------------------------------------


def remedy_list(request):
    remedies = selectors.remedy_list(request.user, campaign=selectors.current_campaign())
    return render(request, "rectify/remedy_list.html", {"page": paginate(request, remedies), "query": ""})


def remedy_create(request, pk):
    check = _check_or_404(request, pk)
    require_admin(request.user, check.organisation_id)
    form = RemedyForm(request.POST or None, organisation=check.organisation, campaign=check.campaign)
    return service_form(
        request,
        form,
        lambda data: services.remedy_create(actor=request.user, health_check=check, **data),
        template="rectify/form.html",
        message="已开始整顿。",
        context={
            "title": f"软弱涣散党组织整顿：{check.organisation.name}",
            "subtitle": f"{check}：{check.findings}",
            "back": check.get_absolute_url(),
        },
    )


def _remedy_or_404(request, pk):
    return get_visible_or_404(
        Remedy.objects.select_related(
            "organisation", "leader", "health_check", "acceptance_check", "campaign"
        ),
        request.user,
        pk=pk,
    )


def remedy_detail(request, pk):
    remedy = _remedy_or_404(request, pk)
    entries = list(remedy.entries.select_related("author").order_by("on", "pk"))
    files = selectors.files_of(entries)
    for entry in entries:
        entry.files = files.get(entry.pk, [])
    active = remedy.status == RemedyStatus.ACTIVE
    admin = _is_admin_of(request.user, remedy)
    return render(
        request,
        "rectify/remedy_detail.html",
        {
            "remedy": remedy,
            "entries": entries,
            "can_progress": active and may_write(request.user, remedy),
            "can_admin": admin,
            "can_accept": active and admin,
            "history": history_of(remedy),
        },
    )


def remedy_edit(request, pk):
    remedy = _remedy_or_404(request, pk)
    require_admin(request.user, remedy.organisation_id)
    form = RemedyForm(
        request.POST or None, instance=remedy, organisation=remedy.organisation, campaign=remedy.campaign
    )
    return service_form(
        request,
        form,
        lambda data: services.remedy_update(actor=request.user, remedy=remedy, **data),
        template="rectify/form.html",
        message="已保存。",
        instance=remedy,
        context={"title": f"修改整顿：{remedy.organisation.name}", "back": remedy.get_absolute_url()},
    )


def remedy_progress(request, pk):
    remedy = _remedy_or_404(request, pk)
    require_write(request.user, remedy)
    form = RemedyEntryForm(request.POST or None, request.FILES or None)
    return service_form(
        request,
        form,
        lambda data: services.remedy_progress_add(actor=request.user, remedy=remedy, **data),
        template="rectify/form.html",
        message="已记录整顿进展。",
        success=lambda entry: remedy.get_absolute_url(),
        context={
            "title": "记录整顿进展",
            "subtitle": str(remedy),
            "back": remedy.get_absolute_url(),
            "multipart": True,
        },
    )


def remedy_accept(request, pk):
    remedy = _remedy_or_404(request, pk)
    require_admin(request.user, remedy.organisation_id)
    form = AcceptForm(request.POST or None, remedy=remedy)
    return service_form(
        request,
        form,
        lambda data: services.remedy_accept(actor=request.user, remedy=remedy, **data),
        template="rectify/form.html",
        message="已验收，并按验收结果重新定级。",
        context={
            "title": f"整顿验收：{remedy.organisation.name}",
            "back": remedy.get_absolute_url(),
            "intro": "验收通过即结束整顿，并以验收结果作为该组织新的体检等次。",
            "submit": "验收",
        },
    )
