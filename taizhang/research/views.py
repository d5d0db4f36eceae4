"""Pages of the research area. Each fetches through the scope (out of scope: 404; no write right: 403),
parses the request and calls a service or a selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.core.deadlines import today
from taizhang.core.history import history_of
from taizhang.core.scoping import get_visible_or_404, org_id_of, require_admin, require_write, scope_for
from taizhang.core.views import paginate, render_list, run_service
from taizhang.orgs.choices import OrgKind

from . import selectors, services
from .forms import (
    ActionFilterForm,
    ActionItemForm,
    EnterpriseForm,
    EnterpriseIssueForm,
    EnterpriseVisitForm,
    IssueFormSet,
    MonthForm,
    ResearchTopicForm,
    ResearchVisitForm,
    VisitFilterForm,
    issues_from,
)
from .models import ActionItem, Enterprise, EnterpriseIssue, EnterpriseVisit, ResearchTopic, ResearchVisit


def _can_write(user, obj) -> bool:
    """Whether the page offers changes to obj: research records are written by the township's admins."""
    scope = scope_for(user)
    return scope.is_admin and scope.can_write(org_id_of(obj))


def sees_several_townships(user) -> bool:
    """Lists name each record's township for the county and for superusers."""
    scope = scope_for(user)
    return scope.read is None or bool(user.organisation_id and user.organisation.kind == OrgKind.COUNTY)


def _require_writer(user, obj=None) -> None:
    require_admin(user)
    if obj is not None:
        require_write(user, obj)
        require_admin(user, org_id_of(obj))


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _form_page(request, form, *, title: str, cancel: str, **extra):
    return render(request, "research/form.html", {"form": form, "title": title, "cancel": cancel, **extra})


def _edit_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields}


def _confirm_delete(request, obj, *, what: str, delete, back: str, done: str, note: str = ""):
    """GET: the confirmation page; POST: delete, or say why not."""
    _require_writer(request.user, obj)
    if request.method == "POST":
        try:
            delete(actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(back)
        messages.success(request, f"已删除{what}“{obj}”。乡党委管理员可在回收站中恢复。")
        return redirect(done)
    return render(
        request, "research/confirm_delete.html", {"obj": obj, "what": what, "back": back, "note": note}
    )


# Research topics -------------------------------------------------------------------------------------


def topic_list(request):
    page = paginate(request, selectors.topic_list(request.user))
    return render(
        request,
        "research/topic_list.html",
        {"page": page, "show_township": sees_several_townships(request.user)},
    )


def topic_detail(request, pk):
    topic = get_visible_or_404(
        ResearchTopic.objects.select_related("leader", "organisation").prefetch_related("members"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "research/topic_detail.html",
        {
            "topic": topic,
            "visits": selectors.visit_list(request.user, topic=topic),
            "items": selectors.action_item_list(request.user).filter(source_topic=topic),
            "can_write": _can_write(request.user, topic),
            "history": history_of(topic),
        },
    )


def topic_create(request):
    _require_writer(request.user)
    form = ResearchTopicForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        topic = run_service(
            request,
            form,
            lambda data: services.research_topic_create(actor=request.user, **data),
            success_message="已新增调研课题。",
        )
        if topic is not None:
            return redirect("research:topic_detail", pk=topic.pk)
    return _form_page(request, form, title="新增调研课题", cancel=reverse("research:topic_list"))


def topic_edit(request, pk):
    topic = get_visible_or_404(ResearchTopic, request.user, pk=pk)
    _require_writer(request.user, topic)
    form = ResearchTopicForm(request.POST or None, instance=topic, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = _edit_data(form)
        topic.refresh_from_db()
        if run_service(
            request,
            form,
            lambda _: services.research_topic_update(actor=request.user, topic=topic, **data),
            success_message="已保存。",
        ):
            return redirect("research:topic_detail", pk=topic.pk)
    return _form_page(
        request, form, title=f"修改调研课题：{topic}", cancel=reverse("research:topic_detail", args=[pk])
    )


def topic_delete(request, pk):
    topic = get_visible_or_404(ResearchTopic, request.user, pk=pk)
    back = reverse("research:topic_detail", args=[pk])
    return _confirm_delete(
        request,
        topic,
        what="调研课题",
        delete=lambda actor: services.research_topic_delete(actor=actor, topic=topic),
        back=back,
        done=reverse("research:topic_list"),
    )


# Research visits -------------------------------------------------------------------------------------


def visit_list(request):
    form = VisitFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.visit_list(
        request.user,
        topic=filters.get("topic"),
        place_kind=filters.get("place_kind") or "",
        q=(filters.get("q") or "").strip(),
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": _query(request),
        "show_township": sees_several_townships(request.user),
    }
    return render_list(request, "research/visit_list.html", "research/_visit_results.html", context)


def visit_detail(request, pk):
    visit = get_visible_or_404(
        ResearchVisit.objects.select_related("topic", "leader", "organisation").prefetch_related(
            "participants"
        ),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "research/visit_detail.html",
        {
            "visit": visit,
            "findings": selectors.visit_findings(request.user, visit),
            "can_write": _can_write(request.user, visit),
            "history": history_of(visit),
        },
    )


def visit_create(request):
    _require_writer(request.user)
    initial = {"date": today(), "topic": request.GET.get("topic")}
    form = ResearchVisitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        visit = run_service(
            request,
            form,
            lambda data: services.research_visit_create(actor=request.user, **data),
            success_message="已记录调研走访。",
        )
        if visit is not None:
            return redirect("research:visit_detail", pk=visit.pk)
    return _form_page(request, form, title="记录调研走访", cancel=reverse("research:visit_list"))


def visit_edit(request, pk):
    visit = get_visible_or_404(ResearchVisit, request.user, pk=pk)
    _require_writer(request.user, visit)
    form = ResearchVisitForm(request.POST or None, instance=visit, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = _edit_data(form)
        visit.refresh_from_db()
        if run_service(
            request,
            form,
            lambda _: services.research_visit_update(actor=request.user, visit=visit, **data),
            success_message="已保存。",
        ):
            return redirect("research:visit_detail", pk=visit.pk)
    return _form_page(
        request, form, title=f"修改调研走访：{visit}", cancel=reverse("research:visit_detail", args=[pk])
    )


def visit_delete(request, pk):
    visit = get_visible_or_404(ResearchVisit, request.user, pk=pk)
    return _confirm_delete(
        request,
        visit,
        what="调研走访",
        delete=lambda actor: services.research_visit_delete(actor=actor, visit=visit),
        back=reverse("research:visit_detail", args=[pk]),
        done=reverse("research:visit_list"),
        note="由这次走访转入干事创业清单的事项不受影响。",
    )


# Action items ----------------------------------------------------------------------------------------


def action_list(request):
    form = ActionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.action_item_list(
        request.user,
        state=filters.get("state") or "",
        status=filters.get("status") or "",
        q=(filters.get("q") or "").strip(),
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": _query(request),
        "summary": selectors.action_item_summary(request.user),
        "show_township": sees_several_townships(request.user),
    }
    return render_list(request, "research/action_list.html", "research/_action_results.html", context)


def action_detail(request, pk):
    item = get_visible_or_404(
        ActionItem.objects.select_related(
            "township", "organisation", "leader", "source_topic", "source_visit"
        ),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "research/action_detail.html",
        {"item": item, "can_write": _can_write(request.user, item), "history": history_of(item)},
    )


def _finding_initial(request) -> tuple[ResearchVisit | None, dict]:
    """A finding turned into an action item: the form prefilled from the visit (?visit=…&finding=n)."""
    if not request.GET.get("visit"):
        return None, {"raised_on": today()}
    visit = get_visible_or_404(
        ResearchVisit.objects.select_related("leader"), request.user, pk=request.GET["visit"]
    )
    _require_writer(request.user, visit)
    initial = {
        "source_visit": visit.pk,
        "source_topic": visit.topic_id,
        "leader": visit.leader,
        "raised_on": visit.date,
        "organisation": visit.organisation_id,
    }
    lines = visit.finding_lines
    number = request.GET.get("finding", "")
    if number.isdigit() and 1 <= int(number) <= len(lines):
        initial["content"] = lines[int(number) - 1]
    return visit, initial


def action_create(request):
    _require_writer(request.user)
    visit, initial = _finding_initial(request)
    form = ActionItemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = run_service(
            request,
            form,
            lambda data: services.action_item_create(actor=request.user, **data),
            success_message="",
        )
        if item is not None:
            if item.source_visit_id:
                messages.success(request, f"已将该问题列入干事创业清单（第{item.serial}条）。")
                return redirect("research:visit_detail", pk=item.source_visit_id)
            messages.success(request, f"已新增干事创业清单事项（第{item.serial}条）。")
            return redirect("research:action_detail", pk=item.pk)
    cancel = reverse("research:visit_detail", args=[visit.pk]) if visit else reverse("research:action_list")
    title = "转为干事创业清单事项" if visit else "新增干事创业清单事项"
    return _form_page(request, form, title=title, cancel=cancel, source=visit)


def action_edit(request, pk):
    item = get_visible_or_404(ActionItem, request.user, pk=pk)
    _require_writer(request.user, item)
    form = ActionItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = _edit_data(form)
        item.refresh_from_db()
        if run_service(
            request,
            form,
            lambda _: services.action_item_update(actor=request.user, item=item, **data),
            success_message="已保存。",
        ):
            return redirect("research:action_detail", pk=item.pk)
    return _form_page(
        request,
        form,
        title=f"修改干事创业清单：第{item.serial}条",
        cancel=reverse("research:action_detail", args=[pk]),
    )


def action_delete(request, pk):
    item = get_visible_or_404(ActionItem, request.user, pk=pk)
    return _confirm_delete(
        request,
        item,
        what="干事创业清单事项",
        delete=lambda actor: services.action_item_delete(actor=actor, item=item),
        back=reverse("research:action_detail", args=[pk]),
        done=reverse("research:action_list"),
    )


# Enterprises -----------------------------------------------------------------------------------------


def enterprise_list(request):
    q = request.GET.get("q", "").strip()[:50]
    page = paginate(request, selectors.enterprise_list(request.user, q=q))
    context = {
        "page": page,
        "q": q,
        "query": _query(request),
        "show_township": sees_several_townships(request.user),
    }
    return render(request, "research/enterprise_list.html", context)


def enterprise_detail(request, pk):
    enterprise = get_visible_or_404(
        Enterprise.objects.select_related("organisation", "liaison"), request.user, pk=pk
    )
    return render(
        request,
        "research/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "visits": selectors.enterprise_visit_list(request.user, enterprise=enterprise)[:50],
            "open_issues": selectors.open_issues(request.user, enterprise=enterprise),
            "can_write": _can_write(request.user, enterprise),
            "history": history_of(enterprise),
        },
    )


def enterprise_create(request):
    _require_writer(request.user)
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        enterprise = run_service(
            request,
            form,
            lambda data: services.enterprise_create(actor=request.user, **data),
            success_message="已加入企业名录。",
        )
        if enterprise is not None:
            return redirect("research:enterprise_detail", pk=enterprise.pk)
    return _form_page(request, form, title="新增企业", cancel=reverse("research:enterprise_list"))


def enterprise_edit(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    _require_writer(request.user, enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = _edit_data(form)
        enterprise.refresh_from_db()
        if run_service(
            request,
            form,
            lambda _: services.enterprise_update(actor=request.user, enterprise=enterprise, **data),
            success_message="已保存。",
        ):
            return redirect("research:enterprise_detail", pk=enterprise.pk)
    return _form_page(
        request,
        form,
        title=f"修改企业：{enterprise}",
        cancel=reverse("research:enterprise_detail", args=[pk]),
    )


def enterprise_delete(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    return _confirm_delete(
        request,
        enterprise,
        what="企业",
        delete=lambda actor: services.enterprise_delete(actor=actor, enterprise=enterprise),
        back=reverse("research:enterprise_detail", args=[pk]),
        done=reverse("research:enterprise_list"),
    )


# Enterprise visits -----------------------------------------------------------------------------------


def enterprise_visit_list(request):
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.enterprise_visit_list(request.user, q=q)
    context = {
        "page": paginate(request, qs),
        "q": q,
        "query": _query(request),
        "show_township": sees_several_townships(request.user),
    }
    return render_list(
        request, "research/enterprise_visit_list.html", "research/_enterprise_visit_results.html", context
    )


def enterprise_month(request):
    form = MonthForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    view = selectors.enterprise_month(
        request.user, filters.get("month") or today(), township=filters.get("township")
    )
    return render(
        request,
        "research/enterprise_month.html",
        {
            "form": form,
            "view": view,
            "township": filters.get("township"),
            "show_township": sees_several_townships(request.user),
        },
    )


def enterprise_visit_detail(request, pk):
    visit = get_visible_or_404(
        EnterpriseVisit.objects.select_related("enterprise", "cadre", "organisation").prefetch_related(
            "issues"
        ),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "research/enterprise_visit_detail.html",
        {"visit": visit, "can_write": _can_write(request.user, visit), "history": history_of(visit)},
    )


def _visit_form_page(request, form, formset, *, title, cancel):
    return render(
        request,
        "research/enterprise_visit_form.html",
        {"form": form, "formset": formset, "title": title, "cancel": cancel},
    )


def _save_visit(request, form, formset, call, message):
    """Validate the visit and its issues together and save them in one service call, or neither."""
    if request.method != "POST" or not (form.is_valid() & formset.is_valid()):
        return None
    data = _edit_data(form)
    issues = issues_from(formset)
    return run_service(request, form, lambda _: call(data, issues), success_message=message)


def enterprise_visit_create(request):
    _require_writer(request.user)
    member = getattr(request.user, "member", None)
    initial = {"date": today(), "enterprise": request.GET.get("enterprise"), "cadre": member}
    form = EnterpriseVisitForm(request.POST or None, user=request.user, initial=initial)
    formset = IssueFormSet(request.POST or None, prefix="issues", initial=[])
    visit = _save_visit(
        request,
        form,
        formset,
        lambda data, issues: services.enterprise_visit_create(actor=request.user, issues=issues, **data),
        "已登记走访企业。",
    )
    if visit is not None:
        return redirect("research:enterprise_visit_detail", pk=visit.pk)
    return _visit_form_page(
        request, form, formset, title="登记走访企业", cancel=reverse("research:enterprise_month")
    )


def enterprise_visit_edit(request, pk):
    visit = get_visible_or_404(EnterpriseVisit, request.user, pk=pk)
    _require_writer(request.user, visit)
    form = EnterpriseVisitForm(request.POST or None, instance=visit, user=request.user)
    initial = [
        {"id": i.pk, "content": i.content, "handling": i.handling, "resolved": i.resolved}
        for i in visit.issues.all()
    ]
    formset = IssueFormSet(request.POST or None, prefix="issues", initial=initial)

    def update(data, issues):
        visit.refresh_from_db()
        return services.enterprise_visit_update(actor=request.user, visit=visit, issues=issues, **data)

    saved = _save_visit(request, form, formset, update, "已保存。")
    if saved is not None:
        return redirect("research:enterprise_visit_detail", pk=visit.pk)
    return _visit_form_page(
        request,
        form,
        formset,
        title="修改走访企业记录",
        cancel=reverse("research:enterprise_visit_detail", args=[pk]),
    )


def enterprise_visit_delete(request, pk):
    visit = get_visible_or_404(EnterpriseVisit, request.user, pk=pk)
    return _confirm_delete(
        request,
        visit,
        what="走访企业记录",
        delete=lambda actor: services.enterprise_visit_delete(actor=actor, visit=visit),
        back=reverse("research:enterprise_visit_detail", args=[pk]),
        done=reverse("research:enterprise_month"),
        note="这次走访登记的企业反映问题将一并删除。",
    )


def issue_edit(request, pk):
    issue = get_visible_or_404(
        EnterpriseIssue.objects.select_related("visit__enterprise", "visit__cadre"), request.user, pk=pk
    )
    _require_writer(request.user, issue)
    form = EnterpriseIssueForm(
        request.POST or None, initial={"handling": issue.handling, "resolved": issue.resolved}
    )
    done = (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda data: services.enterprise_issue_update(actor=request.user, issue=issue, **data),
            success_message="已更新解决情况。",
        )
    )
    if done:
        return redirect("research:enterprise_detail", pk=issue.visit.enterprise_id)
    return _form_page(
        request,
        form,
        title="更新解决情况",
        cancel=reverse("research:enterprise_detail", args=[issue.visit.enterprise_id]),
        issue=issue,
    )


# Trash -----------------------------------------------------------------------------------------------

RESTORABLE = {
    "topic": (ResearchTopic, "调研课题"),
    "visit": (ResearchVisit, "调研走访"),
    "action": (ActionItem, "干事创业清单事项"),
    "enterprise": (Enterprise, "企业"),
    "enterprise_visit": (EnterpriseVisit, "走访企业记录"),
}


def trash(request):
    require_admin(request.user)
    deleted = selectors.deleted_records(request.user)
    sections = [(kind, label, deleted[kind]) for kind, (_, label) in RESTORABLE.items()]
    return render(request, "research/trash.html", {"deleted": sections})


@require_POST
def restore(request, kind, pk):
    require_admin(request.user)
    if kind not in RESTORABLE:
        raise Http404
    model, what = RESTORABLE[kind]
    obj = get_visible_or_404(model.all_objects.deleted(), request.user, pk=pk)
    try:
        services.research_restore(actor=request.user, obj=obj)
    except ValidationError as exc:
        messages.error(request, f"无法恢复{what}“{obj}”：" + "；".join(exc.messages))
        return redirect("research:trash")
    messages.success(request, f"已恢复{what}“{obj}”。")
    return redirect("research:trash")
