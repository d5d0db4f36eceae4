"""The list pages of the serve area. Its records' create, edit, delete, detail, trash and restore pages are
the generic ones of core.records, driven by the declarations in serve/records.py."""

from django.shortcuts import render

from taizhang.core.scoping import scope_for
from taizhang.core.views import paginate, render_list
from taizhang.orgs.choices import OrgKind

from . import selectors
from .forms import PostFilterForm, ProjectFilterForm, PublicityFilterForm


def _show_township(user) -> bool:
    """Lists name each record's township for the county and for superusers."""
    return scope_for(user).read is None or bool(
        user.organisation_id and user.organisation.kind == OrgKind.COUNTY
    )


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.project_list(
        request.user,
        state=filters.get("state") or "",
        status=filters.get("status") or "",
        handling=filters.get("handling") or "",
        q=(filters.get("q") or "").strip(),
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": _query(request),
        "summary": selectors.project_summary(request.user),
        "show_township": _show_township(request.user),
    }
    return render_list(request, "serve/project_list.html", "serve/_project_results.html", context)


def partnership_list(request):
    page = paginate(request, selectors.partnership_list(request.user))
    return render(
        request,
        "serve/partnership_list.html",
        {"page": page, "query": "", "show_township": _show_township(request.user)},
    )


def post_list(request):
    form = PostFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = paginate(request, selectors.post_list(request.user, kind=kind))
    return render(
        request,
        "serve/post_list.html",
        {"form": form, "page": page, "query": _query(request), "show_township": _show_township(request.user)},
    )


def publicity_list(request):
    form = PublicityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.publicity_list(
        request.user, kind=filters.get("kind") or "", q=(filters.get("q") or "").strip()
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": _query(request),
        "totals": selectors.publicity_totals(request.user),
        "show_township": _show_township(request.user),
    }
    return render_list(request, "serve/publicity_list.html", "serve/_publicity_results.html", context)
