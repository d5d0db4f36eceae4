"""Every write to organisations and members. Each takes the acting user, checks his scope before and after
the change inside one transaction, validates with Chinese messages and records history."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from taizhang.core.dates import cn_date
from taizhang.core.history import stamp
from taizhang.core.scoping import invalidate_scope, require_admin, require_write
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.core.writes import create_record, update_record

from .models import Member, Organisation

ORG_FIELDS = ("name", "short_name", "kind", "parent", "order", "secretary")
MEMBER_FIELDS = ("name", "gender", "organisation", "category", "mobile", "joined_on", "post")


def _require_parent(actor, parent_id: int | None) -> None:
    """Placing an organisation (creating, moving or retiring it) needs the right over its parent: a
    township admin may rename his own committee but not move or retire it. Top-level: superusers only."""
    if parent_id is None:
        if not actor.is_superuser:
            raise PermissionDenied("只有系统管理员可以管理顶层组织。")
        return
    require_admin(actor, parent_id)


def _save_org(org: Organisation, *, actor, reason: str = "") -> Organisation:
    org.full_clean()
    stamp(org, actor, reason)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:  # a race past full_clean: say it in Chinese, not as a 500
        raise ValidationError("保存失败：与已有组织冲突（可能刚被他人修改），请刷新后重试。") from exc
    invalidate_scope(actor)
    require_admin(actor, org.pk)
    return org


@transaction.atomic
def organisation_create(*, actor, **data) -> Organisation:
    org = Organisation(**{k: v for k, v in data.items() if k in ORG_FIELDS})
    _require_parent(actor, org.parent_id)
    return _save_org(org, actor=actor, reason="新建组织")


@transaction.atomic
def organisation_update(*, actor, org: Organisation, **data) -> Organisation:
    """Rename, move (a new parent), reorder or set the secretary."""
    require_admin(actor, org.pk)
    old_parent = org.parent_id
    for key, value in data.items():
        if key not in ORG_FIELDS:
            raise ValueError(f"unknown organisation field {key}")
        setattr(org, key, value)
    moved = org.parent_id != old_parent
    if moved:
        _require_parent(actor, old_parent)
        _require_parent(actor, org.parent_id)
    return _save_org(org, actor=actor, reason="调整上级组织" if moved else "")


@transaction.atomic
def organisation_retire(*, actor, org: Organisation, on: datetime.date | None = None) -> Organisation:
    """Retire (撤销) an organisation: it must be empty of members and active sub-organisations."""
    require_admin(actor, org.pk)
    _require_parent(actor, org.parent_id)
    if org.is_retired:
        raise ValidationError(f"“{org}”已于{cn_date(org.retired_at)}撤销。")
    members = Member.objects.filter(organisation=org).count()
    if members:
        raise ValidationError(f"“{org}”还有{members}名党员，请先将他们转出，再撤销该组织。")
    accounts = list(org.users.filter(is_active=True).values_list("username", flat=True))
    if accounts:
        raise ValidationError(
            f"“{org}”还有账号{'、'.join(accounts)}在用，请先停用或调整这些账号，再撤销该组织。"
        )
    children = org.children.filter(retired_at__isnull=True).count()
    if children:
        raise ValidationError(f"“{org}”下还有{children}个未撤销的下级组织，请先撤销或调出。")
    org.retired_at = on or timezone.localdate()
    return _save_org(org, actor=actor, reason="撤销组织")


@transaction.atomic
def organisation_reinstate(*, actor, org: Organisation) -> Organisation:
    require_admin(actor, org.pk)
    _require_parent(actor, org.parent_id)
    org.retired_at = None
    return _save_org(org, actor=actor, reason="恢复组织")


def member_create(*, actor, **data) -> Member:
    return create_record(Member, actor=actor, data=data, fields=MEMBER_FIELDS, reason="新增党员")


def member_update(*, actor, member: Member, **data) -> Member:
    return update_record(member, actor=actor, data=data, fields=MEMBER_FIELDS)


@transaction.atomic
def member_transfer(*, actor, member: Member, organisation: Organisation) -> Member:
    """Move a member to another organisation; both must lie in the actor's scope."""
    require_write(actor, member)
    if organisation.pk == member.organisation_id:
        raise ValidationError({"organisation": f"{member.name}已在“{organisation}”，无需转移。"})
    old = member.organisation
    member.organisation = organisation
    save_record(member, actor=actor, reason=f"组织关系由“{old}”转至“{organisation}”")
    return member


def member_delete(*, actor, member: Member) -> None:
    delete_record(member, actor=actor, reason="删除党员")


def member_restore(*, actor, member: Member) -> None:
    restore_record(member, actor=actor)
