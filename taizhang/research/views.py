"""The research area's own pages: lists, the month view of enterprise visits, an action item made from a
visit's finding, and an enterprise visit saved with its issues. The records' detail, edit, delete, trash
and restore pages are the generic ones of core.records (research/records.py declares them)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from taizhang.core.deadlines import today
from taizhang.core.listing import filters_of, list_page, sees_several_townships
from taizhang.core.records import require_create
from taizhang.core.scoping import get_visible_or_404, require_write
from taizhang.core.views import run_service

from . import selectors, services
from .forms import (
    ActionFilterForm,
    ActionItemForm,
    EnterpriseIssueForm,
    EnterpriseVisitForm,
    IssueFormSet,
    MonthForm,
    VisitFilterForm,
    issues_from,
)
from .models import ActionItem, EnterpriseIssue, EnterpriseVisit, ResearchVisit


def _form_page(request, form, *, title: str, cancel: str, **extra):
    return render(request, "research/form.html", {"form": form, "title": title, "cancel": cancel, **extra})


def _edit_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields}


def topic_list(request):
    return list_page(request, "research/topic_list.html", selectors.topic_list(request.user), query="")


def visit_list(request):
    form = VisitFilterForm(request.GET or None, user=request.user)
    rows = selectors.visit_list(request.user, **filters_of(form))
    return list_page(request, "research/visit_list.html", rows, htmx=True, form=form)


def action_list(request):
    form = ActionFilterForm(request.GET or None)
    rows = selectors.action_item_list(request.user, **filters_of(form))
    summary = selectors.action_item_summary(request.user)
    return list_page(request, "research/action_list.html", rows, htmx=True, form=form, summary=summary)


def _finding_initial(request) -> tuple[ResearchVisit | None, dict]:
    """A finding turned into an action item: the form prefilled from the visit (?visit=…&finding=n)."""
    if not request.GET.get("visit"):
        return None, {"raised_on": today()}
    visit = get_visible_or_404(
        ResearchVisit.objects.select_related("leader"), request.user, pk=request.GET["visit"]
    )
    require_write(request.user, visit)
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
    require_create(request.user, ActionItem)
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


def _searched(request) -> str:
    return request.GET.get("q", "").strip()[:50]


def enterprise_list(request):
    q = _searched(request)
    return list_page(
        request, "research/enterprise_list.html", selectors.enterprise_list(request.user, q=q), q=q
    )


def enterprise_visit_list(request):
    q = _searched(request)
    rows = selectors.enterprise_visit_list(request.user, q=q)
    return list_page(request, "research/enterprise_visit_list.html", rows, q=q, htmx=True)


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
    require_create(request.user, EnterpriseVisit)
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
    require_write(request.user, visit)
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


def issue_edit(request, pk):
    issue = get_visible_or_404(
        EnterpriseIssue.objects.select_related("visit__enterprise", "visit__cadre"), request.user, pk=pk
    )
    require_write(request.user, issue)
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
