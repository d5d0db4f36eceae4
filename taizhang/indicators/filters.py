"""The small vocabulary of named filters that indicator declarations may use.

In a declaration's `where`, a key is a field path of the counted model ("organiser", "speaker",
"problem__owner_org", or "self" for the record itself) and a value is either a literal (equality; a list
means "one of"; null means empty) or the name of one of these filters, applied at that path. A filter must
not join through a multi-valued relation (use Exists), so that several figures of one model can share one
query without multiplying rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from taizhang.orgs.choices import OrgKind

FILTERS: dict[str, Callable[[str], Q]] = {}
BELOW_COMMITTEE = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def named_filter(name: str):
    def register(fn: Callable[[str], Q]):
        FILTERS[name] = fn
        return fn

    return register


def at(path: str, lookup: str) -> str:
    return f"{path}__{lookup}" if path else lookup


@named_filter("committee")
def committee(path: str) -> Q:
    """An organisation that is a township committee (乡党委)."""
    return Q(**{at(path, "kind"): OrgKind.COMMITTEE})


@named_filter("below_committee")
def below_committee(path: str) -> Q:
    """Any organisation under a committee: grassroots organisations and the branches inside them."""
    return Q(**{at(path, "kind__in"): BELOW_COMMITTEE})


@named_filter("grassroots")
def grassroots(path: str) -> Q:
    """A grassroots organisation: a general branch or branch directly under the committee."""
    return Q(**{at(path, "kind__in"): BELOW_COMMITTEE, at(path, "parent__kind"): OrgKind.COMMITTEE})


@named_filter("branch")
def branch(path: str) -> Q:
    return Q(**{at(path, "kind"): OrgKind.BRANCH})


@named_filter("active")
def active(path: str) -> Q:
    """An organisation that has not been retired."""
    return Q(**{at(path, "retired_at__isnull"): True})


@named_filter("secretary")
def secretary(path: str) -> Q:
    """A member who is the recorded secretary of some organisation."""
    from django.db.models import Exists, OuterRef

    from taizhang.orgs.models import Organisation

    return Q(Exists(Organisation.objects.filter(secretary_id=OuterRef(at(path, "pk") if path else "pk"))))
