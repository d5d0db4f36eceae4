"""Accounts are managed by a township admin for his township (branch secretaries and fellow admins), and by
system administrators for everything (county viewers included)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from taizhang.core.history import stamp
from taizhang.core.roles import Role
from taizhang.core.scoping import require_admin

from .models import User

USER_FIELDS = ("username", "display_name", "role", "organisation", "member", "is_active")


def _check(actor, user: User) -> None:
    require_admin(actor, user.organisation_id)
    if user.role == Role.COUNTY_VIEWER and not actor.is_superuser:
        raise PermissionDenied("县委查看账号只能由系统管理员设立。")
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied("系统管理员账号只能由系统管理员管理。")
    if user.member_id and user.member.organisation_id not in _subtree(user.organisation_id):
        raise ValidationError({"member": "对应党员应属于该账号的所属组织。"})


def _subtree(org_id):
    from taizhang.core.scoping import subtree_ids

    return subtree_ids(org_id) if org_id else frozenset()


@transaction.atomic
def user_create(*, actor, password: str, **data) -> User:
    user = User(**{k: v for k, v in data.items() if k in USER_FIELDS})
    _check(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    stamp(user, actor, "新建账号")
    user.save()
    _check(actor, user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, **data) -> User:
    _check(actor, user)
    if user.pk == actor.pk and data.get("is_active") is False:
        raise ValidationError({"is_active": "不能停用自己正在使用的账号。"})
    for key, value in data.items():
        if key not in USER_FIELDS:
            raise ValueError(f"unknown user field {key}")
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    stamp(user, actor)
    user.save()
    _check(actor, user)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    _check(actor, user)
    validate_password(password, user)
    user.set_password(password)
    stamp(user, actor, "重置密码")
    user.save(update_fields=["password"])
    return user
