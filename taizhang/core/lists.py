"""What list pages share: the values of their filter form, and the query string their pager's links keep."""

from __future__ import annotations


def filter_values(form) -> dict:
    """The values of a list's filter form, named as its selector's keyword arguments: none while the form is
    invalid (the list is then unfiltered, with the form's errors shown)."""
    return form.cleaned_data if form.is_valid() else {}


def query_without_page(request) -> str:
    """The list's query string without its page, for the pager's links to add theirs."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
