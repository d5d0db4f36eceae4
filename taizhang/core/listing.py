"""The list pages of the record areas: a filter form's values, the rows paginated, the query string the page
links keep, and whether the rows name their township.

    def project_list(request):
        form = ProjectFilterForm(request.GET or None)
        rows = selectors.project_list(request.user, **filters_of(form))
        summary = selectors.project_summary(request.user)
        return list_page(request, "serve/project_list.html", rows, form=form, summary=summary, htmx=True)
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from .roles import ROLE_ORG_KIND, Role
from .scoping import scope_for
from .views import paginate, render_list

COUNTY = ROLE_ORG_KIND[Role.COUNTY_VIEWER]  # the kind of the county's organisation


def search_field(placeholder: str, *, label: str = "搜索") -> forms.CharField:
    """The search box of a list's filter form; the placeholder says what it searches."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


def choice_filter(label: str, everything: str, choices) -> forms.ChoiceField:
    """A filter of a list on one of `choices`; none chosen (its label `everything`, “全部…”) lists all."""
    return forms.ChoiceField(label=label, required=False, choices=[("", everything), *choices])


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


def list_page(request, template: str, rows, *, htmx: bool = False, **context):
    """A list page of rows, paginated, with `context`. The page links keep the query unless `query` is
    given. With `htmx`, an htmx request for the results gets only them: the template of "area/x_list.html"
    is "area/_x_results.html"."""
    context = {
        "page": paginate(request, rows),
        "query": query_without_page(request),
        "show_township": sees_several_townships(request.user),
        **context,
    }
    if htmx:
        area, name = template.split("/", 1)
        return render_list(
            request, template, f"{area}/_{name.removesuffix('_list.html')}_results.html", context
        )
    return render(request, template, context)
