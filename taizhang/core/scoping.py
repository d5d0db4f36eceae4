"""The one mechanism that decides what a user may read and write.

A user's scope is derived once per request from his role and organisation: the set of organisation ids
he may read and the set he may write. Every scoped model names the path from itself to its organisation
(`scope_path`); `Model.objects.visible_to(user)` filters by it, single objects come from
`get_visible_or_404`, and every service calls `require_write` before and after its change, inside its
transaction, so that nothing is written outside the scope or moved out of it.

An object out of scope is a 404 (its existence is not revealed); a write without the right is a 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .roles import Role

ALL = None  # a scope set of None means "every organisation"


@dataclass(frozen=True)
class Scope:
    read: frozenset[int] | None
    write: frozenset[int] | None
    is_admin: bool  # manages organisations and accounts, sees full mobiles, restores deleted records

    def can_read(self, org_id: int | None) -> bool:
        return self.read is ALL or org_id in self.read

    def can_write(self, org_id: int | None) -> bool:
        return self.write is ALL or org_id in self.write

    @property
    def can_write_anything(self) -> bool:
        return self.write is ALL or bool(self.write)


NOTHING = Scope(read=frozenset(), write=frozenset(), is_admin=False)
EVERYTHING = Scope(read=ALL, write=ALL, is_admin=True)


# The organisations an import has planned but not yet written (ledgers/plan.py), as {id: parent id}: while an
# import checks its rows, the rules that ask for an organisation's subtree see the branches it adds.
_planned: ContextVar[Callable[[], dict[int, int | None]] | None] = ContextVar("planned_orgs", default=None)


@contextmanager
def planned_organisations(parents: Callable[[], dict[int, int | None]]) -> Iterator[None]:
    """While the block runs, subtree_ids() includes the organisations `parents()` lists ({id: parent id})."""
    token = _planned.set(parents)
    try:
        yield
    finally:
        _planned.reset(token)


def subtree_ids(org_id: int) -> frozenset[int]:
    Organisation = apps.get_model("orgs", "Organisation")
    planned = _planned.get()
    parents = planned() if planned else {}
    ids = set()
    if org_id not in parents:
        ids |= set(Organisation.objects.descendants(org_id, include_self=True).values_list("pk", flat=True))
    if parents:
        ids.add(org_id)
        added = True
        while added:  # the planned organisations under one already in (a planned branch of a planned 总支)
            below = {pk for pk, parent in parents.items() if parent in ids and pk not in ids}
            ids |= below
            added = bool(below)
    return frozenset(ids)


EVERYTHING_FROM = 50  # below this many ids a list is cheap: not worth a count


def is_everything(org_ids) -> bool:
    """Whether org_ids are every organisation (a county's whole tree, in a database of one county)."""
    Organisation = apps.get_model("orgs", "Organisation")
    return len(org_ids) >= EVERYTHING_FROM and len(org_ids) == Organisation.objects.count()


def orgs_lookup(path: str, org_ids, *, everything: bool | None = None) -> dict:
    """The filter for records whose organisation (at `path`, "" for organisations themselves) is one of org_ids.
    When they are every organisation, "has one" says the same without a list of hundreds of ids, which costs
    more to build than the query it filters (`everything`: already known, else found out with one count)."""
    if everything is None:
        everything = is_everything(org_ids)
    if everything:
        return {f"{path}__isnull": False} if path else {}
    return {f"{path}__in" if path else "pk__in": org_ids}


def scope_for(user) -> Scope:
    """The user's scope, computed once and cached on the user object (one request's lifetime)."""
    cached = getattr(user, "_taizhang_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user is not None and getattr(user, "pk", None):
        user._taizhang_scope = scope
    return scope


def invalidate_scope(user) -> None:
    """Forget a cached scope (after the tree under the user changed)."""
    if user is not None and hasattr(user, "_taizhang_scope"):
        del user._taizhang_scope


def _compute_scope(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if not user.organisation_id:
        return NOTHING
    ids = subtree_ids(user.organisation_id)
    if user.role == Role.TOWNSHIP_ADMIN:
        return Scope(read=ids, write=ids, is_admin=True)
    if user.role == Role.BRANCH_SECRETARY:
        return Scope(read=ids, write=ids, is_admin=False)
    if user.role == Role.COUNTY_VIEWER:
        return Scope(read=ids, write=frozenset(), is_admin=False)
    return NOTHING


class ScopedQuerySetMixin:
    """`visible_to(user)` and `writable_by(user)` for a model whose class names its `scope_path`."""

    def _scope_lookup(self) -> str:
        path = self.model.scope_path
        return f"{path}__in" if path else "pk__in"

    def _restrict(self, ids):
        if ids is ALL:
            return self
        if not ids:
            return self.none()
        return self.filter(**{self._scope_lookup(): ids})

    def visible_to(self, user):
        return self._restrict(scope_for(user).read)

    def writable_by(self, user):
        return self._restrict(scope_for(user).write)


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


def org_id_of(obj) -> int | None:
    """The id of the organisation an object belongs to, following its model's `scope_path`."""
    path = type(obj).scope_path
    if not path:
        return obj.pk
    target = obj
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part)
        if target is None:
            return None
    return getattr(target, f"{parts[-1]}_id")


def get_visible_or_404(queryset_or_model, user, **lookup):
    """One object the user may read, or 404 whether it is missing or out of scope."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs.objects.all()
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该记录，或您无权查看。") from None


def write_rule(model) -> str:
    """Who may write records of a model, as the model declares it (`write_by`): "scope" (anyone whose
    write scope holds the record's organisation: a branch secretary his branch's) or "admin" (only a
    township admin of that scope, e.g. research records)."""
    return getattr(model, "write_by", "scope")


def may_write(user, obj) -> bool:
    """Whether the user may change obj: the test behind every page's edit and delete links."""
    scope = scope_for(user)
    if not scope.can_write(org_id_of(obj)):
        return False
    return write_rule(type(obj)) != "admin" or scope.is_admin


def require_write(actor, obj, *, org_id: int | None = None) -> None:
    """403 unless the actor may write in the object's organisation (or the given one), and is an admin
    where the object's model says only admins write it."""
    target = org_id if org_id is not None else org_id_of(obj)
    scope = scope_for(actor)
    if not scope.can_write(target):
        raise PermissionDenied("您无权修改该组织范围内的记录。")
    if obj is not None and write_rule(type(obj)) == "admin" and not scope.is_admin:
        raise PermissionDenied("只有乡党委管理员可以进行此操作。")


def require_some_write(actor) -> None:
    """403 for a user who may write nothing (a county viewer, an account without a role)."""
    if not scope_for(actor).can_write_anything:
        raise PermissionDenied("您的账号只能查看，不能修改。")


def require_admin(actor, org_id: int | None = None) -> None:
    """403 unless the actor is a township admin (or superuser) whose scope holds the organisation."""
    scope = scope_for(actor)
    if not scope.is_admin or (org_id is not None and not scope.can_write(org_id)):
        raise PermissionDenied("只有乡党委管理员可以进行此操作。")
