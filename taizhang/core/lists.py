"""What list pages share: the fields of their filter form, its values, and the query string their pager's
links keep."""

from __future__ import annotations

from django import forms


def search_box(label: str, placeholder: str) -> forms.CharField:
    """A filter's search box (optional), its placeholder saying what it searches."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


def filter_choice(label: str, choices, everything: str) -> forms.ChoiceField:
    """A filter's choice among `choices`, `everything` (全部…, no filter) first."""
    return forms.ChoiceField(label=label, required=False, choices=[("", everything), *choices])


def filter_values(form) -> dict:
    """The values of a list's filter form, named as its selector's keyword arguments: none while the form is
    invalid (the list is then unfiltered, with the form's errors shown)."""
    return form.cleaned_data if form.is_valid() else {}


def query_without_page(request) -> str:
    """The list's query string without its page, for the pager's links to add theirs."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
