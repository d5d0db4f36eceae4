"""Every write of the serve area. Each takes the acting user, runs in one transaction, checks the scope
before and after the change, validates with Chinese messages naming the field, and records history.

A branch secretary records his own branch's service projects, partnerships, vanguard posts and
publicity; a township admin records any of his township's."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from taizhang.core.services import delete_record, restore_record
from taizhang.core.writes import create, delete_unless_used, save_with_members, update

from .models import (
    JointActivity,
    Partnership,
    PublicityItem,
    ServiceProject,
    VanguardPost,
    check_members_within,
)

# The fields a person writes, in the order of the form (serve/forms.py takes them from here).
PROJECT_FIELDS = (
    "name",
    "category",
    "handling",
    "leader",
    "organisation",
    "unit",
    "planned_on",
    "status",
    "completed_on",
    "result",
    "serial",
)
PARTNERSHIP_FIELDS = ("partner", "organisation", "signed_on", "content")
ACTIVITY_FIELDS = ("date", "title", "place", "participant_count", "content")
POST_FIELDS = ("kind", "name", "organisation", "duty", "set_up_on")
PUBLICITY_FIELDS = ("date", "organisation", "kind", "quantity", "content")


# Service projects ------------------------------------------------------------------------------------


@transaction.atomic
def service_project_create(*, actor, **data) -> ServiceProject:
    return create(ServiceProject(), data, PROJECT_FIELDS, actor=actor, reason="新增为民办实事")


@transaction.atomic
def service_project_update(*, actor, project: ServiceProject, **data) -> ServiceProject:
    return update(project, data, PROJECT_FIELDS, actor=actor)


def service_project_delete(*, actor, project: ServiceProject) -> None:
    delete_record(project, actor=actor, reason="删除为民办实事")


# Partnerships and their joint activities -------------------------------------------------------------


@transaction.atomic
def partnership_create(*, actor, **data) -> Partnership:
    return create(Partnership(), data, PARTNERSHIP_FIELDS, actor=actor, reason="新增结对共建")


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, **data) -> Partnership:
    return update(partnership, data, PARTNERSHIP_FIELDS, actor=actor)


@transaction.atomic
def partnership_delete(*, actor, partnership: Partnership) -> None:
    refusal = "“{obj}”已有{n}次共建活动，请先删除这些活动，再删除结对共建。"
    delete_unless_used(partnership, actor=actor, reason="删除结对共建", used_by="activities", refusal=refusal)


@transaction.atomic
def joint_activity_create(*, actor, partnership: Partnership, **data) -> JointActivity:
    activity = JointActivity(partnership=partnership)
    return create(activity, data, ACTIVITY_FIELDS, actor=actor, reason="登记共建活动")


@transaction.atomic
def joint_activity_update(*, actor, activity: JointActivity, **data) -> JointActivity:
    return update(activity, data, ACTIVITY_FIELDS, actor=actor)


def joint_activity_delete(*, actor, activity: JointActivity) -> None:
    delete_record(activity, actor=actor, reason="删除共建活动")


# Vanguard posts --------------------------------------------------------------------------------------


def _with_members(members) -> Callable[..., None]:
    """A save (for core.writes) of a post with its members, validated together: the members must be of
    the post's organisation."""
    chosen = list(members)

    def save(post: VanguardPost, *, actor, reason: str = "") -> None:
        post.full_clean()
        check_members_within(post.organisation, {"members": chosen})
        save_with_members(post, actor=actor, reason=reason, members={"members": chosen})

    return save


@transaction.atomic
def vanguard_post_create(*, actor, members=(), **data) -> VanguardPost:
    save = _with_members(members)
    return create(VanguardPost(), data, POST_FIELDS, actor=actor, reason="新增党员先锋岗", save=save)


@transaction.atomic
def vanguard_post_update(*, actor, post: VanguardPost, members=None, **data) -> VanguardPost:
    save = _with_members(post.members.all() if members is None else members)
    return update(post, data, POST_FIELDS, actor=actor, save=save)


def vanguard_post_delete(*, actor, post: VanguardPost) -> None:
    delete_record(post, actor=actor, reason="删除党员先锋岗")


# Publicity -------------------------------------------------------------------------------------------


@transaction.atomic
def publicity_item_create(*, actor, **data) -> PublicityItem:
    return create(PublicityItem(), data, PUBLICITY_FIELDS, actor=actor, reason="登记宣传")


@transaction.atomic
def publicity_item_update(*, actor, item: PublicityItem, **data) -> PublicityItem:
    return update(item, data, PUBLICITY_FIELDS, actor=actor)


def publicity_item_delete(*, actor, item: PublicityItem) -> None:
    delete_record(item, actor=actor, reason="删除宣传")


def serve_restore(*, actor, obj) -> None:
    """Bring back a deleted record of the serve area (township admin of its scope)."""
    restore_record(obj, actor=actor)
