"""The writes of health checks (党建工作体检, township admins only: HealthCheck.write_by) and of the remedy
(软弱涣散党组织整顿) of an organisation a check graded 软弱涣散: its start, changes, progress and acceptance."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from taizhang.campaigns.models import Campaign
from taizhang.core.scoping import require_admin, require_write
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.core.writes import apply_fields
from taizhang.orgs.models import Member

from .choices import Grade, RemedyStatus
from .models_base import cn, committee_of
from .models_checks import HealthCheck, Remedy, RemedyEntry
from .services_base import (
    PeopleRecord,
    errors_of,
    people_outside,
    raise_errors,
    require_org_write,
    reverting,
    save_entry,
)

CHECK_FIELDS = ("organisation", "checked_on", "grade", "findings")
REMEDY_FIELDS = ("plan", "leader", "first_secretary", "started_on", "deadline")
NO_ORGANISATION = "请选择受检组织。"


# Health checks -----------------------------------------------------------------------------------------


def _check_errors(check: HealthCheck, checkers: list[Member]) -> dict:
    errors = errors_of(check)
    township = committee_of(check.organisation) if check.organisation_id else None
    people_outside(errors, "checkers", "检查人", checkers, township)
    return errors


CHECKS = PeopleRecord(HealthCheck, CHECK_FIELDS, "checkers", NO_ORGANISATION, _check_errors)


@transaction.atomic
def check_create(*, actor, checkers=(), campaign: Campaign | None = None, **data) -> HealthCheck:
    return CHECKS.create(actor, checkers, data, campaign=campaign, reason="新增体检")


@reverting("check")
@transaction.atomic
def check_update(*, actor, check: HealthCheck, checkers=None, **data) -> HealthCheck:
    CHECKS.change(actor, check, data)
    if check.grade != Grade.WEAK and check.remedies.exists():
        raise ValidationError({"grade": "已据此次体检开展软弱涣散整顿，等次不能再改；整顿验收时会重新定级。"})
    return CHECKS.save(actor, check, checkers)


@transaction.atomic
def check_delete(*, actor, check: HealthCheck) -> None:
    require_org_write(actor, check, NO_ORGANISATION)
    if check.remedies.exists() or Remedy.objects.filter(acceptance_check=check).exists():
        raise ValidationError("该次体检与软弱涣散整顿相关联（据以整顿或为验收定级），不能删除。")
    delete_record(check, actor=actor, reason="删除体检")


def check_restore(*, actor, check: HealthCheck) -> None:
    restore_record(check, actor=actor)


# Remedies ----------------------------------------------------------------------------------------------


@transaction.atomic
def remedy_create(*, actor, health_check: HealthCheck, **data) -> Remedy:
    remedy = Remedy(
        campaign=health_check.campaign, organisation=health_check.organisation, health_check=health_check
    )
    apply_fields(remedy, data, REMEDY_FIELDS)
    require_write(actor, remedy)
    require_admin(actor, remedy.organisation_id)
    return save_record(remedy, actor=actor, reason="开始整顿")


@reverting("remedy")
@transaction.atomic
def remedy_update(*, actor, remedy: Remedy, **data) -> Remedy:
    require_write(actor, remedy)
    require_admin(actor, remedy.organisation_id)
    apply_fields(remedy, data, REMEDY_FIELDS)
    return save_record(remedy, actor=actor)


@reverting("remedy")
@transaction.atomic
def remedy_progress_add(*, actor, remedy: Remedy, on: datetime.date, text: str, photos=()) -> RemedyEntry:
    """Record a remedy's progress (the organisation's own secretary may, as well as the township)."""
    require_write(actor, remedy)
    if remedy.status == RemedyStatus.ACCEPTED:
        raise ValidationError("该整顿已验收，不再记录进展。")
    entry = RemedyEntry(remedy=remedy, on=on, text=text, author=actor if actor.pk else None)
    return save_entry(actor, entry, photos, reason="记录整顿进展")


@reverting("remedy")
@transaction.atomic
def remedy_accept(
    *, actor, remedy: Remedy, accepted_on: datetime.date, grade: str, acceptance_note: str, checkers=()
) -> Remedy:
    """Acceptance (验收) closes the remedy and re-grades the organisation with a new health check."""
    require_write(actor, remedy)
    require_admin(actor, remedy.organisation_id)
    if remedy.status == RemedyStatus.ACCEPTED:
        raise ValidationError(f"该整顿已于{cn(remedy.accepted_on)}验收。")
    remedy.status = RemedyStatus.ACCEPTED
    remedy.accepted_on = accepted_on
    remedy.acceptance_note = (acceptance_note or "").strip()
    errors = errors_of(remedy)
    if not grade:
        errors.setdefault("grade", []).append("请评定验收后的等次。")
    elif grade == Grade.WEAK:
        errors.setdefault("grade", []).append(
            "验收后的等次不能仍为“软弱涣散”；未达到验收标准的，请继续整顿。"
        )
    check = HealthCheck(
        campaign=remedy.campaign,
        organisation=remedy.organisation,
        checked_on=accepted_on,
        grade=grade,
        findings=f"软弱涣散整顿验收：{remedy.acceptance_note}",
    )
    checkers = list(checkers)
    if not errors:
        errors = {k: v for k, v in _check_errors(check, checkers).items() if k == "checkers"}
    raise_errors(errors)
    save_record(check, actor=actor, reason="整顿验收定级")
    check.checkers.set(checkers)
    remedy.acceptance_check = check
    return save_record(remedy, actor=actor, reason="整顿验收")
