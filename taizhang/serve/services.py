"""Every write of the serve area. Each takes the acting user, runs in one transaction, checks the scope
before and after the change, validates with Chinese messages naming the field, and records history.

A branch secretary records his own branch's service projects, partnerships, vanguard posts and
publicity; a township admin records any of his township's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from taizhang.core.history import stamp
from taizhang.core.scoping import require_write
from taizhang.core.services import delete_record, restore_record, save_record

from .models import (
    JointActivity,
    Partnership,
    PublicityItem,
    ServiceProject,
    VanguardPost,
    check_members_within,
)

PROJECT_FIELDS = (
    "serial",
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
)
PARTNERSHIP_FIELDS = ("partner", "organisation", "signed_on", "content")
ACTIVITY_FIELDS = ("date", "title", "place", "participant_count", "content")
POST_FIELDS = ("kind", "name", "organisation", "duty", "set_up_on")
PUBLICITY_FIELDS = ("date", "organisation", "kind", "quantity", "content")


def _apply(obj, data: dict, allowed: tuple[str, ...]):
    for key, value in data.items():
        if key not in allowed:
            raise ValueError(f"unknown {type(obj).__name__} field {key}")
        setattr(obj, key, value)
    return obj


# Service projects ------------------------------------------------------------------------------------


@transaction.atomic
def service_project_create(*, actor, **data) -> ServiceProject:
    project = _apply(ServiceProject(), data, PROJECT_FIELDS)
    require_write(actor, project)
    save_record(project, actor=actor, reason="新增为民办实事")
    return project


@transaction.atomic
def service_project_update(*, actor, project: ServiceProject, **data) -> ServiceProject:
    require_write(actor, project)
    _apply(project, data, PROJECT_FIELDS)
    save_record(project, actor=actor)
    return project


def service_project_delete(*, actor, project: ServiceProject) -> None:
    delete_record(project, actor=actor, reason="删除为民办实事")


# Partnerships and their joint activities -------------------------------------------------------------


@transaction.atomic
def partnership_create(*, actor, **data) -> Partnership:
    partnership = _apply(Partnership(), data, PARTNERSHIP_FIELDS)
    require_write(actor, partnership)
    save_record(partnership, actor=actor, reason="新增结对共建")
    return partnership


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, **data) -> Partnership:
    require_write(actor, partnership)
    _apply(partnership, data, PARTNERSHIP_FIELDS)
    save_record(partnership, actor=actor)
    return partnership


@transaction.atomic
def partnership_delete(*, actor, partnership: Partnership) -> None:
    require_write(actor, partnership)
    held = partnership.activities.count()
    if held:
        raise ValidationError(f"“{partnership}”已有{held}次共建活动，请先删除这些活动，再删除结对共建。")
    delete_record(partnership, actor=actor, reason="删除结对共建")


@transaction.atomic
def joint_activity_create(*, actor, partnership: Partnership, **data) -> JointActivity:
    activity = _apply(JointActivity(partnership=partnership), data, ACTIVITY_FIELDS)
    require_write(actor, activity)
    save_record(activity, actor=actor, reason="登记共建活动")
    return activity


@transaction.atomic
def joint_activity_update(*, actor, activity: JointActivity, **data) -> JointActivity:
    require_write(actor, activity)
    _apply(activity, data, ACTIVITY_FIELDS)
    save_record(activity, actor=actor)
    return activity


def joint_activity_delete(*, actor, activity: JointActivity) -> None:
    delete_record(activity, actor=actor, reason="删除共建活动")


# Vanguard posts --------------------------------------------------------------------------------------


def _save_with_members(post: VanguardPost, *, actor, reason: str = "", members: list) -> None:
    """Validate and save a post with its members so that its history holds one entry with the fields and
    the members together (not one entry for the fields and more for each member change)."""
    post.full_clean()
    check_members_within(post.organisation, {"members": members})
    creating = post._state.adding
    stamp(post, actor, reason)
    post.skip_history_when_saving = True
    try:
        with transaction.atomic():
            post.save()
            post.members.set(members)
    except IntegrityError as exc:
        raise ValidationError("保存失败：与已有记录冲突，请刷新后重试。") from exc
    finally:
        del post.skip_history_when_saving
    post.save(update_fields=["updated_at"])  # the history entry, now that the members are in place
    if creating:
        post.history.update(history_type="+")
    require_write(actor, post)


@transaction.atomic
def vanguard_post_create(*, actor, members=(), **data) -> VanguardPost:
    post = _apply(VanguardPost(), data, POST_FIELDS)
    require_write(actor, post)
    _save_with_members(post, actor=actor, reason="新增党员先锋岗", members=list(members))
    return post


@transaction.atomic
def vanguard_post_update(*, actor, post: VanguardPost, members=None, **data) -> VanguardPost:
    require_write(actor, post)
    _apply(post, data, POST_FIELDS)
    if members is None:
        members = list(post.members.all())
    _save_with_members(post, actor=actor, members=list(members))
    return post


def vanguard_post_delete(*, actor, post: VanguardPost) -> None:
    delete_record(post, actor=actor, reason="删除党员先锋岗")


# Publicity -------------------------------------------------------------------------------------------


@transaction.atomic
def publicity_item_create(*, actor, **data) -> PublicityItem:
    item = _apply(PublicityItem(), data, PUBLICITY_FIELDS)
    require_write(actor, item)
    save_record(item, actor=actor, reason="登记宣传")
    return item


@transaction.atomic
def publicity_item_update(*, actor, item: PublicityItem, **data) -> PublicityItem:
    require_write(actor, item)
    _apply(item, data, PUBLICITY_FIELDS)
    save_record(item, actor=actor)
    return item


def publicity_item_delete(*, actor, item: PublicityItem) -> None:
    delete_record(item, actor=actor, reason="删除宣传")


def serve_restore(*, actor, obj) -> None:
    """Bring back a deleted record of the serve area (township admin of its scope)."""
    restore_record(obj, actor=actor)
