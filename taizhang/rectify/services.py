"""Every write of rectification. Each takes the acting user, checks his scope before and after the change
inside one transaction, validates with Chinese messages naming the field, and records history. A refused
write leaves nothing behind: uploads are checked before any file is stored.

Problems and measures are written here; talks in services_talks, health checks and remedies in
services_checks, all importable from here (the pages, the ledgers and the tests call `services.talk_create`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from taizhang.campaigns.models import Campaign, LeadingGroupMember
from taizhang.core.history import stamp
from taizhang.core.models import attachments_of
from taizhang.core.scoping import org_id_of, require_admin, require_write
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.core.writes import apply_fields

from .choices import MEASURE_DONE, NOT_A_MEASURE_STATUS, EntryKind, MeasureStatus
from .models import Measure, Problem, ProgressEntry, cn, committee_of
from .selectors import is_admin_of
from .services_base import (
    EVIDENCE,
    attach_all,
    campaign_or_current,
    check_uploads,
    errors_of,
    raise_errors,
    reverting,
    save_entry,
    today,
)
from .services_checks import (  # noqa: F401
    check_create,
    check_delete,
    check_restore,
    check_update,
    remedy_accept,
    remedy_create,
    remedy_progress_add,
    remedy_update,
)
from .services_talks import talk_create, talk_delete, talk_restore, talk_update  # noqa: F401

PROBLEM_FIELDS = (
    "number",
    "owner_kind",
    "owner_org",
    "owner_member",
    "content",
    "category",
    "source",
    "standard",
    "found_on",
    "is_special",
)
MEASURE_FIELDS = (
    "order",
    "content",
    "responsible_leader",
    "responsible_person",
    "deadline",
    "completion_note",
)  # status and completed_on: through measure_set_status

# Problems ----------------------------------------------------------------------------------------------


def _prepare_problem(problem: Problem) -> None:
    """Derive what follows from the owner: the township, and for a special item its lead (the committee's
    secretary)."""
    if not problem.owner_org_id:
        raise ValidationError({"owner_org": "请选择责任主体。"})
    township = committee_of(problem.owner_org)
    problem.township = township
    problem.lead = township.secretary if (problem.is_special and township is not None) else None


def _next_number(problem: Problem) -> int:
    top = Problem.all_objects.filter(township=problem.township, campaign=problem.campaign).aggregate(
        n=Max("number")
    )["n"]
    return (top or 0) + 1


@transaction.atomic
def problem_create(*, actor, campaign: Campaign | None = None, **data) -> Problem:
    problem = Problem(campaign=campaign_or_current(campaign))
    apply_fields(problem, data, PROBLEM_FIELDS)
    _prepare_problem(problem)
    require_write(actor, problem)
    if problem.number is None and problem.township is not None:
        problem.number = _next_number(problem)
    return save_record(problem, actor=actor, reason="新增问题")


@reverting("problem")
@transaction.atomic
def problem_update(*, actor, problem: Problem, **data) -> Problem:
    require_write(actor, problem)
    number = problem.number
    apply_fields(problem, data, PROBLEM_FIELDS)
    _prepare_problem(problem)
    if problem.number is None:  # left blank on the form: the problem keeps its number
        problem.number = number
    return save_record(problem, actor=actor)


@transaction.atomic
def problem_delete(*, actor, problem: Problem) -> None:
    """Soft-delete a problem with its measures (they come back with it)."""
    delete_record(problem, actor=actor, reason="删除问题")
    for measure in Measure.objects.filter(problem=problem):
        require_write(actor, measure)
        measure.deleted_at = problem.deleted_at
        stamp(measure, actor, "随问题删除")
        measure.save()


@transaction.atomic
def problem_restore(*, actor, problem: Problem) -> None:
    deleted_at = problem.deleted_at
    restore_record(problem, actor=actor)
    for measure in Measure.all_objects.filter(problem=problem, deleted_at=deleted_at):
        measure.deleted_at = None
        save_record(measure, actor=actor, reason="随问题恢复")


# Measures ----------------------------------------------------------------------------------------------
#
# The rules of a measure's status are the two functions below; the measure form (through measure_create and
# measure_update), the sign-off and the 问题清单 import (ledgers/sheets/rectify.py) all call them, so that a
# ledger is neither stricter nor looser than the page.


def measure_status_error(measure: Measure, status: str, *, is_admin: bool) -> str:
    """Why a measure may not take `status` ("" when it may). Until it is signed off (销号), its owner sets
    any status, 已完成/长期坚持 with or without 完成情况 and without evidence; a signed-off measure's status is
    the township admin's to change (撤销销号)."""
    if status not in MeasureStatus.values:
        return NOT_A_MEASURE_STATUS
    if measure.pk and measure.is_signed_off and status != measure.status and not is_admin:
        return (
            f"该措施已于{cn(timezone.localdate(measure.signed_off_at))}销号（{measure.status}）；"
            "如需重新整改，请乡党委管理员撤销销号。"
        )
    return ""


def measure_set_status(
    measure: Measure,
    status: str,
    *,
    is_admin: bool,
    completed_on: datetime.date | None = None,
    default_completed_on: datetime.date | None = None,
) -> bool:
    """Set a measure's status and what follows from it, or raise measure_status_error under "status".
    已完成/长期坚持 takes the completion date given, else the one it already has as a done measure, else
    `default_completed_on` (the model refuses a done measure without one); an open status clears it, and
    leaving 已完成/长期坚持 undoes a sign-off. Returns whether a sign-off was undone (the caller logs it).
    完成情况 is the caller's: kept as written."""
    error = measure_status_error(measure, status, is_admin=is_admin)
    if error:
        raise ValidationError({"status": error})
    was_done = measure.is_done
    undone = measure.is_signed_off and status not in MEASURE_DONE
    measure.status = status
    if status in MEASURE_DONE:
        kept = measure.completed_on if was_done else None
        measure.completed_on = completed_on or kept or default_completed_on
    else:
        measure.completed_on = None
    if undone:
        measure.signed_off_at, measure.signed_off_by = None, None
    return undone


def _log(actor, measure: Measure, kind: str, on: datetime.date, text: str, reason: str) -> None:
    entry = ProgressEntry(measure=measure, kind=kind, on=on, text=text, author=actor if actor.pk else None)
    save_record(entry, actor=actor, reason=reason)


@transaction.atomic
def measure_create(*, actor, problem: Problem, **data) -> Measure:
    measure = Measure(problem=problem)
    status = data.pop("status", None) or MeasureStatus.NOT_STARTED
    completed_on = data.pop("completed_on", None)
    apply_fields(measure, data, MEASURE_FIELDS)
    require_write(actor, measure)
    measure_set_status(measure, status, is_admin=False, completed_on=completed_on)
    if not data.get("order"):
        measure.order = Measure.all_objects.filter(problem=problem).count() + 1
    return save_record(measure, actor=actor, reason="新增整改措施")


@reverting("measure")
@transaction.atomic
def measure_update(*, actor, measure: Measure, **data) -> Measure:
    """Change a measure, its status too (measure_set_status); a township admin who moves a signed-off
    measure back to an open status undoes its sign-off, which the progress log records."""
    require_write(actor, measure)
    status = data.pop("status", None) or measure.status
    completed_on = data.pop("completed_on", None)
    apply_fields(measure, data, MEASURE_FIELDS)
    undone = measure_set_status(
        measure, status, is_admin=is_admin_of(actor, measure), completed_on=completed_on
    )
    save_record(measure, actor=actor, reason=f"撤销销号：整改状态改为“{status}”" if undone else "")
    if undone:
        _log(actor, measure, EntryKind.REOPEN, today(), f"整改状态改为“{status}”", "撤销销号")
    return measure


def measure_delete(*, actor, measure: Measure) -> None:
    delete_record(measure, actor=actor, reason="删除整改措施")


@transaction.atomic
def measure_restore(*, actor, measure: Measure) -> None:
    if measure.problem.is_deleted:
        raise ValidationError("该措施所属的问题已删除，请先恢复问题。")
    restore_record(measure, actor=actor)


@reverting("measure")
@transaction.atomic
def progress_add(*, actor, measure: Measure, on: datetime.date, text: str, photos=()) -> ProgressEntry:
    """Record progress on a measure (with photos); a measure not yet started is now 整改中."""
    require_write(actor, measure)
    if measure.status == MeasureStatus.DONE:
        if measure.is_signed_off:
            raise ValidationError("该措施已销号（已完成）；如需继续整改，请乡党委管理员先撤销销号。")
        raise ValidationError("该措施已完成；如需继续整改，请先在“修改”中把整改状态改为“整改中”。")
    entry = ProgressEntry(
        measure=measure, kind=EntryKind.PROGRESS, on=on, text=text, author=actor if actor.pk else None
    )
    save_entry(actor, entry, photos, reason="记录整改进展")
    if measure.status == MeasureStatus.NOT_STARTED:
        measure.status = MeasureStatus.IN_PROGRESS
        save_record(measure, actor=actor, reason="开始整改")
    return entry


SIGN_OFF_NOTE = "销号须填写完成情况。"
SIGN_OFF_EVIDENCE = "销号须上传至少一份佐证材料（照片、PDF或Word文件）。"


@reverting("measure")
@transaction.atomic
def measure_sign_off(
    *,
    actor,
    measure: Measure,
    completed_on: datetime.date | None = None,
    completion_note: str | None = None,
    status: str | None = None,
    evidence=(),
) -> Measure:
    """销号: a township admin signs a measure off as done. It needs a 完成情况 note (the one the measure has,
    or one written now) and at least one piece of evidence (uploaded now or before); the status becomes
    `status` (已完成 or 长期坚持; by default the done status it has, else 已完成) with its completion date.
    Everything is checked before anything is stored."""
    require_write(actor, measure)
    require_admin(actor, org_id_of(measure))
    if measure.is_signed_off:
        raise ValidationError(
            f"该措施已于{cn(timezone.localdate(measure.signed_off_at))}销号（{measure.status}）。"
        )
    status = status or (measure.status if measure.is_done else MeasureStatus.DONE)
    if status not in MEASURE_DONE:
        raise ValidationError({"status": "销号后的状态应为“已完成”或“长期坚持”。"})
    measure_set_status(measure, status, is_admin=True, completed_on=completed_on)
    if completion_note is not None and completion_note.strip():
        measure.completion_note = completion_note.strip()
    errors = errors_of(measure)
    if not measure.completion_note.strip():
        errors.setdefault("completion_note", []).append(SIGN_OFF_NOTE)
    check_uploads(evidence, "evidence", errors)
    if not evidence and not attachments_of(measure).exists():
        errors.setdefault("evidence", []).append(SIGN_OFF_EVIDENCE)
    raise_errors(errors)
    attach_all(actor, measure, evidence, EVIDENCE)
    measure.signed_off_at, measure.signed_off_by = timezone.now(), actor if actor.pk else None
    save_record(measure, actor=actor, reason=f"销号（{status}）")
    _log(
        actor,
        measure,
        EntryKind.CLOSE,
        measure.completed_on,
        f"销号（{status}）：{measure.completion_note}",
        "销号",
    )
    return measure


@reverting("measure")
@transaction.atomic
def measure_reopen(*, actor, measure: Measure, reason: str) -> Measure:
    """Undo a measure's completion and its sign-off if it has one (township admin only): back to 整改中; the
    reason is kept in the progress log and the history."""
    require_write(actor, measure)
    require_admin(actor, org_id_of(measure))
    reason = (reason or "").strip()
    if not measure.is_done:
        raise ValidationError("该措施尚未销号，无需撤销。")
    if not reason:
        raise ValidationError({"reason": "撤销销号须说明原因。"})
    measure_set_status(measure, MeasureStatus.IN_PROGRESS, is_admin=True)
    measure.signed_off_at, measure.signed_off_by = None, None
    measure.completion_note = ""
    save_record(measure, actor=actor, reason=f"撤销销号：{reason}")
    _log(actor, measure, EntryKind.REOPEN, today(), reason, "撤销销号")
    return measure


@reverting("measure")
@transaction.atomic
def measure_claim(*, actor, measure: Measure) -> Measure:
    """A leadership member takes on (认领) a measure of a special item: he becomes its responsible leader."""
    require_write(actor, measure)
    problem = measure.problem
    if not problem.is_special:
        raise ValidationError("只有专项整改问题的措施由班子成员认领。")
    if measure.is_done:
        raise ValidationError("该措施已销号。" if measure.is_signed_off else "该措施已完成。")
    member = actor.member
    if member is None:
        raise ValidationError("您的账号没有关联党员，不能认领。请乡党委管理员在账号管理中关联。")
    if measure.responsible_leader_id and measure.responsible_leader_id != member.pk:
        raise ValidationError(f"该措施已由{measure.responsible_leader.name}认领。")
    in_group = LeadingGroupMember.objects.filter(
        campaign=problem.campaign, organisation=problem.township, member=member
    ).exists()
    if not in_group:
        raise ValidationError(f"{member.name}不是本乡主题教育领导小组成员，不能认领专项整改措施。")
    measure.responsible_leader = member
    return save_record(measure, actor=actor, reason=f"{member.name}认领")
