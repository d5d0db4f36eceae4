"""The list pages of the serve area. Its records' create, edit, delete, detail, trash and restore pages are
the generic ones of core.records, driven by the declarations in serve/records.py."""

from taizhang.core.listing import filters_of, list_page

from . import selectors
from .forms import PostFilterForm, ProjectFilterForm, PublicityFilterForm


def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    rows = selectors.project_list(request.user, **filters_of(form))
    summary = selectors.project_summary(request.user)
    return list_page(request, "serve/project_list.html", rows, htmx=True, form=form, summary=summary)


def partnership_list(request):
    return list_page(
        request, "serve/partnership_list.html", selectors.partnership_list(request.user), query=""
    )


def post_list(request):
    form = PostFilterForm(request.GET or None)
    return list_page(
        request, "serve/post_list.html", selectors.post_list(request.user, **filters_of(form)), form=form
    )


def publicity_list(request):
    form = PublicityFilterForm(request.GET or None)
    rows = selectors.publicity_list(request.user, **filters_of(form))
    totals = selectors.publicity_totals(request.user)
    return list_page(request, "serve/publicity_list.html", rows, htmx=True, form=form, totals=totals)
