"""The list pages of the record areas: a filter form's values, the rows paginated, the query string the page
links keep, and whether the rows name their township.

    def project_list(request):
        form = ProjectFilterForm(request.GET or None)
        rows = selectors.project_list(request.user, **filters_of(form))
        return list_page(request, "serve/project_list.html", rows, partial="serve/_project_results.html",
                         form=form, summary=selectors.project_summary(request.user))
"""

from __future__ import annotations

from django.shortcuts import render

from .roles import ROLE_ORG_KIND, Role
from .scoping import scope_for
from .views import paginate, render_list

COUNTY = ROLE_ORG_KIND[Role.COUNTY_VIEWER]  # the kind of the county's organisation


def filters_of(form) -> dict:
    """A filter form's values (each field's empty value where not given), or none when it is invalid: the
    keyword arguments of the list's selector, which takes each filter by the form field's name."""
    return form.cleaned_data if form.is_valid() else {}


def query_without_page(request) -> str:
    """The page's query string without its page number, for the links to the other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def sees_several_townships(user) -> bool:
    """Lists name each record's township for the county and for superusers."""
    return scope_for(user).read is None or bool(user.organisation_id and user.organisation.kind == COUNTY)


def list_page(request, template: str, rows, *, partial: str = "", **context):
    """A list page of rows, paginated, with `context`; with `partial` (the results' template) an htmx
    request for the results gets only them. The page links keep the query unless `query` is given."""
    context = {
        "page": paginate(request, rows),
        "query": query_without_page(request),
        "show_township": sees_several_townships(request.user),
        **context,
    }
    if partial:
        return render_list(request, template, partial, context)
    return render(request, template, context)
