"""Reads of organisations and members, each starting from what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from taizhang.core.scoping import subtree_ids

from .choices import MemberCategory, OrgKind
from .models import Member, Organisation


@dataclass
class TreeRow:
    org: Organisation
    depth: int
    members_here: int
    members_total: int


def org_tree(user, *, include_retired: bool = False) -> list[TreeRow]:
    """The visible organisations in tree order, each with its own and its subtree's member count.

    Two queries whatever the size of the tree: the nodes with their tree paths, and the member counts.
    """
    nodes = list(
        Organisation.objects.visible_to(user)
        .with_tree_fields()
        .order_siblings_by("order", "name")
        .select_related("secretary")
    )
    if not include_retired:
        nodes = [n for n in nodes if not n.is_retired]
    counts = dict(
        Member.objects.visible_to(user)
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    totals: dict[int, int] = {}
    for node in nodes:
        here = counts.get(node.pk, 0)
        for ancestor_id in node.tree_path:
            totals[ancestor_id] = totals.get(ancestor_id, 0) + here
    top_depth = min((n.tree_depth for n in nodes), default=0)
    return [TreeRow(n, n.tree_depth - top_depth, counts.get(n.pk, 0), totals.get(n.pk, 0)) for n in nodes]


def orgs_for_choice(user, *, writable: bool = True, kinds: tuple[str, ...] | None = None):
    """Active organisations in the user's (write) scope, in tree order, for a select."""
    qs = Organisation.objects.writable_by(user) if writable else Organisation.objects.visible_to(user)
    qs = qs.active().with_tree_fields().order_siblings_by("order", "name")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def member_list(user, *, q: str = "", org: Organisation | None = None, category: str = ""):
    qs = Member.objects.visible_to(user).select_related("organisation")
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(post__contains=q.strip()))
    if org is not None:
        qs = qs.filter(organisation_id__in=subtree_ids(org.pk))
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("organisation__order", "organisation_id", "name", "pk")


def deleted_members(user):
    return (
        Member.all_objects.deleted().visible_to(user).select_related("organisation").order_by("-deleted_at")
    )


@dataclass
class RegistrySummary:
    orgs_by_kind: dict[str, int]
    members_by_category: dict[str, int]
    members_total: int
    grassroots: int


def registry_summary(user) -> RegistrySummary:
    """Counts for the home page: two queries."""
    org_rows = (
        Organisation.objects.visible_to(user)
        .active()
        .values_list("kind", "parent__kind")
        .annotate(n=Count("id"))
    )
    orgs_by_kind = {k.label: 0 for k in OrgKind}
    grassroots = 0
    for kind, parent_kind, n in org_rows:
        orgs_by_kind[OrgKind(kind).label] += n
        if parent_kind == OrgKind.COMMITTEE and kind in (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH):
            grassroots += n
    member_rows = dict(
        Member.objects.visible_to(user)
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    by_category = {c.label: member_rows.get(c.value, 0) for c in MemberCategory}
    return RegistrySummary(orgs_by_kind, by_category, sum(by_category.values()), grassroots)
