"""Every write of rectification. Each takes the acting user, checks his scope before and after the change
inside one transaction, validates with Chinese messages naming the field, and records history. A refused
write leaves nothing behind: uploads are checked before any file is stored."""

from __future__ import annotations

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from taizhang.campaigns.models import Campaign, LeadingGroupMember
from taizhang.core.attachments import attach, check_upload
from taizhang.core.history import stamp
from taizhang.core.models import attachments_of
from taizhang.core.scoping import org_id_of, require_admin, require_write, scope_for
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.orgs.models import Member

from .choices import MEASURE_DONE, NOT_A_MEASURE_STATUS, EntryKind, Grade, MeasureStatus, RemedyStatus
from .models import (
    HealthCheck,
    Measure,
    Problem,
    ProgressEntry,
    Remedy,
    RemedyEntry,
    Talk,
    cn,
    committee_of,
)

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
TALK_FIELDS = ("organisation", "on", "kind", "talker", "content")
CHECK_FIELDS = ("organisation", "checked_on", "grade", "findings")
REMEDY_FIELDS = ("plan", "leader", "first_secretary", "started_on", "deadline")
EVIDENCE = "佐证材料"
PHOTO = "进展照片"


def reverting(name: str):
    """A refused change leaves the caller's object as it is stored (the transaction is rolled back, and the
    object, on which the change was tried, is reloaded)."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(**kwargs):
            try:
                return fn(**kwargs)
            except Exception:
                obj = kwargs.get(name)
                if obj is not None and obj.pk:
                    obj.refresh_from_db()
                raise

        return inner

    return wrap


def _campaign(campaign: Campaign | None) -> Campaign:
    campaign = campaign or Campaign.current()
    if campaign is None:
        raise ValidationError("尚未设定当前主题教育，请系统管理员先在“主题教育”中设定。")
    return campaign


def _apply(obj, data: dict, fields: tuple[str, ...], what: str) -> None:
    for key, value in data.items():
        if key not in fields:
            raise ValueError(f"unknown {what} field {key}")
        setattr(obj, key, value)


def _errors_of(obj) -> dict[str, list[str]]:
    """The validation errors of obj by field (empty when it is valid)."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        return {key: list(value) for key, value in exc.message_dict.items()}
    return {}


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_uploads(uploads, field: str, errors: dict) -> None:
    for upload in uploads:
        try:
            check_upload(upload)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)


def _attach_all(actor, owner, uploads, purpose: str) -> None:
    for upload in uploads:
        attach(actor=actor, owner=owner, upload=upload, purpose=purpose)


def _members_outside(members, township) -> list[str]:
    from taizhang.core.scoping import subtree_ids

    ids = subtree_ids(township.pk) if township is not None else frozenset()
    return [m.name for m in members if m.organisation_id not in ids]


def _today() -> datetime.date:
    return timezone.localdate()


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
    problem = Problem(campaign=_campaign(campaign))
    _apply(problem, data, PROBLEM_FIELDS, "problem")
    _prepare_problem(problem)
    require_write(actor, problem)
    if problem.number is None and problem.township is not None:
        problem.number = _next_number(problem)
    save_record(problem, actor=actor, reason="新增问题")
    return problem


@reverting("problem")
@transaction.atomic
def problem_update(*, actor, problem: Problem, **data) -> Problem:
    require_write(actor, problem)
    number = problem.number
    _apply(problem, data, PROBLEM_FIELDS, "problem")
    _prepare_problem(problem)
    if problem.number is None:  # left blank on the form: the problem keeps its number
        problem.number = number
    save_record(problem, actor=actor)
    return problem


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


def _is_admin(actor, obj) -> bool:
    scope = scope_for(actor)
    return scope.is_admin and scope.can_write(org_id_of(obj))


def _log(actor, measure: Measure, kind: str, on: datetime.date, text: str, reason: str) -> None:
    entry = ProgressEntry(measure=measure, kind=kind, on=on, text=text, author=actor if actor.pk else None)
    save_record(entry, actor=actor, reason=reason)


@transaction.atomic
def measure_create(*, actor, problem: Problem, **data) -> Measure:
    measure = Measure(problem=problem)
    status = data.pop("status", None) or MeasureStatus.NOT_STARTED
    completed_on = data.pop("completed_on", None)
    _apply(measure, data, MEASURE_FIELDS, "measure")
    require_write(actor, measure)
    measure_set_status(measure, status, is_admin=False, completed_on=completed_on)
    if not data.get("order"):
        measure.order = Measure.all_objects.filter(problem=problem).count() + 1
    save_record(measure, actor=actor, reason="新增整改措施")
    return measure


@reverting("measure")
@transaction.atomic
def measure_update(*, actor, measure: Measure, **data) -> Measure:
    """Change a measure, its status too (measure_set_status); a township admin who moves a signed-off
    measure back to an open status undoes its sign-off, which the progress log records."""
    require_write(actor, measure)
    status = data.pop("status", None) or measure.status
    completed_on = data.pop("completed_on", None)
    _apply(measure, data, MEASURE_FIELDS, "measure")
    undone = measure_set_status(
        measure, status, is_admin=_is_admin(actor, measure), completed_on=completed_on
    )
    save_record(measure, actor=actor, reason=f"撤销销号：整改状态改为“{status}”" if undone else "")
    if undone:
        _log(actor, measure, EntryKind.REOPEN, _today(), f"整改状态改为“{status}”", "撤销销号")
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
    errors = _errors_of(entry)
    _check_uploads(photos, "photos", errors)
    _raise(errors)
    save_record(entry, actor=actor, reason="记录整改进展")
    _attach_all(actor, entry, photos, PHOTO)
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
    errors = _errors_of(measure)
    if not measure.completion_note.strip():
        errors.setdefault("completion_note", []).append(SIGN_OFF_NOTE)
    _check_uploads(evidence, "evidence", errors)
    if not evidence and not attachments_of(measure).exists():
        errors.setdefault("evidence", []).append(SIGN_OFF_EVIDENCE)
    _raise(errors)
    _attach_all(actor, measure, evidence, EVIDENCE)
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
    _log(actor, measure, EntryKind.REOPEN, _today(), reason, "撤销销号")
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
    save_record(measure, actor=actor, reason=f"{member.name}认领")
    return measure


# Talks -------------------------------------------------------------------------------------------------


def _talk_errors(talk: Talk, persons: list[Member]) -> dict:
    errors = _errors_of(talk)
    if not persons:
        errors.setdefault("persons", []).append("请填写谈话对象，至少一人。")
    township = talk.organisation if talk.organisation_id else None
    outside = _members_outside(persons, township) if township is not None else []
    if outside:
        errors.setdefault("persons", []).append(f"谈话对象“{'、'.join(outside)}”不是本乡党员。")
    if talk.talker_id and any(p.pk == talk.talker_id for p in persons):
        errors.setdefault("persons", []).append("谈话人不能同时是谈话对象。")
    return errors


def _require_talk_write(actor, talk: Talk) -> None:
    if not talk.organisation_id:
        raise ValidationError({"organisation": "请选择乡党委。"})
    require_write(actor, talk)  # township admins only: Talk.write_by


@transaction.atomic
def talk_create(*, actor, persons, campaign: Campaign | None = None, **data) -> Talk:
    talk = Talk(campaign=_campaign(campaign))
    _apply(talk, data, TALK_FIELDS, "talk")
    _require_talk_write(actor, talk)
    persons = list(persons)
    _raise(_talk_errors(talk, persons))
    save_record(talk, actor=actor, reason="新增谈话")
    talk.persons.set(persons)
    return talk


@reverting("talk")
@transaction.atomic
def talk_update(*, actor, talk: Talk, persons=None, **data) -> Talk:
    _require_talk_write(actor, talk)
    _apply(talk, data, TALK_FIELDS, "talk")
    _require_talk_write(actor, talk)
    persons = list(talk.persons.all()) if persons is None else list(persons)
    _raise(_talk_errors(talk, persons))
    save_record(talk, actor=actor)
    if {p.pk for p in persons} != set(talk.persons.values_list("pk", flat=True)):
        talk.persons.set(persons)
    return talk


@transaction.atomic
def talk_delete(*, actor, talk: Talk) -> None:
    require_admin(actor, talk.organisation_id)
    delete_record(talk, actor=actor, reason="删除谈话")


def talk_restore(*, actor, talk: Talk) -> None:
    restore_record(talk, actor=actor)


# Health checks -----------------------------------------------------------------------------------------


def _check_errors(check: HealthCheck, checkers: list[Member]) -> dict:
    errors = _errors_of(check)
    township = committee_of(check.organisation) if check.organisation_id else None
    outside = _members_outside(checkers, township) if township is not None else []
    if outside:
        errors.setdefault("checkers", []).append(f"检查人“{'、'.join(outside)}”不是本乡党员。")
    return errors


def _require_check_write(actor, check: HealthCheck) -> None:
    if not check.organisation_id:
        raise ValidationError({"organisation": "请选择受检组织。"})
    require_write(actor, check)  # township admins only: HealthCheck.write_by


@transaction.atomic
def check_create(*, actor, checkers=(), campaign: Campaign | None = None, **data) -> HealthCheck:
    check = HealthCheck(campaign=_campaign(campaign))
    _apply(check, data, CHECK_FIELDS, "health check")
    _require_check_write(actor, check)
    checkers = list(checkers)
    _raise(_check_errors(check, checkers))
    save_record(check, actor=actor, reason="新增体检")
    check.checkers.set(checkers)
    return check


@reverting("check")
@transaction.atomic
def check_update(*, actor, check: HealthCheck, checkers=None, **data) -> HealthCheck:
    _require_check_write(actor, check)
    _apply(check, data, CHECK_FIELDS, "health check")
    _require_check_write(actor, check)
    checkers = list(check.checkers.all()) if checkers is None else list(checkers)
    if check.grade != Grade.WEAK and check.remedies.exists():
        raise ValidationError({"grade": "已据此次体检开展软弱涣散整顿，等次不能再改；整顿验收时会重新定级。"})
    _raise(_check_errors(check, checkers))
    save_record(check, actor=actor)
    if {c.pk for c in checkers} != set(check.checkers.values_list("pk", flat=True)):
        check.checkers.set(checkers)
    return check


@transaction.atomic
def check_delete(*, actor, check: HealthCheck) -> None:
    _require_check_write(actor, check)
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
    _apply(remedy, data, REMEDY_FIELDS, "remedy")
    require_write(actor, remedy)
    require_admin(actor, remedy.organisation_id)
    save_record(remedy, actor=actor, reason="开始整顿")
    return remedy


@reverting("remedy")
@transaction.atomic
def remedy_update(*, actor, remedy: Remedy, **data) -> Remedy:
    require_write(actor, remedy)
    require_admin(actor, remedy.organisation_id)
    _apply(remedy, data, REMEDY_FIELDS, "remedy")
    save_record(remedy, actor=actor)
    return remedy


@reverting("remedy")
@transaction.atomic
def remedy_progress_add(*, actor, remedy: Remedy, on: datetime.date, text: str, photos=()) -> RemedyEntry:
    """Record a remedy's progress (the organisation's own secretary may, as well as the township)."""
    require_write(actor, remedy)
    if remedy.status == RemedyStatus.ACCEPTED:
        raise ValidationError("该整顿已验收，不再记录进展。")
    entry = RemedyEntry(remedy=remedy, on=on, text=text, author=actor if actor.pk else None)
    errors = _errors_of(entry)
    _check_uploads(photos, "photos", errors)
    _raise(errors)
    save_record(entry, actor=actor, reason="记录整顿进展")
    _attach_all(actor, entry, photos, PHOTO)
    return entry


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
    errors = _errors_of(remedy)
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
    _raise(errors)
    save_record(check, actor=actor, reason="整顿验收定级")
    check.checkers.set(checkers)
    remedy.acceptance_check = check
    save_record(remedy, actor=actor, reason="整顿验收")
    return remedy
