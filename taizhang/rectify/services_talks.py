"""The writes of talks (谈心谈话): township admins only (Talk.write_by); the persons talked to are of the
township, at least one, and the talker is not one of them."""

from __future__ import annotations

from django.db import transaction

from taizhang.campaigns.models import Campaign
from taizhang.core.scoping import require_admin
from taizhang.core.services import delete_record, restore_record
from taizhang.orgs.models import Member

from .models_talks import Talk
from .services_base import PeopleRecord, errors_of, people_outside, reverting

TALK_FIELDS = ("organisation", "on", "kind", "talker", "content")
NO_COMMITTEE = "请选择乡党委。"


def _talk_errors(talk: Talk, persons: list[Member]) -> dict:
    errors = errors_of(talk)
    if not persons:
        errors.setdefault("persons", []).append("请填写谈话对象，至少一人。")
    people_outside(
        errors, "persons", "谈话对象", persons, talk.organisation if talk.organisation_id else None
    )
    if talk.talker_id and any(p.pk == talk.talker_id for p in persons):
        errors.setdefault("persons", []).append("谈话人不能同时是谈话对象。")
    return errors


TALKS = PeopleRecord(Talk, TALK_FIELDS, "persons", NO_COMMITTEE, _talk_errors)


@transaction.atomic
def talk_create(*, actor, persons, campaign: Campaign | None = None, **data) -> Talk:
    return TALKS.create(actor, persons, data, campaign=campaign, reason="新增谈话")


@reverting("talk")
@transaction.atomic
def talk_update(*, actor, talk: Talk, persons=None, **data) -> Talk:
    TALKS.change(actor, talk, data)
    return TALKS.save(actor, talk, persons)


@transaction.atomic
def talk_delete(*, actor, talk: Talk) -> None:
    require_admin(actor, talk.organisation_id)
    delete_record(talk, actor=actor, reason="删除谈话")


def talk_restore(*, actor, talk: Talk) -> None:
    restore_record(talk, actor=actor)
