"""A meeting's attendance: the rules a named attendance follows and the writes that record it. The meeting
services (services.py) save a meeting with its attendance through these; the sign-in (signin_services.py)
and the 会议活动 ledger import share the rule that attendees lie under the organiser."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from taizhang.core.history import stamp
from taizhang.core.scoping import require_write, subtree_ids
from taizhang.orgs.models import Member, Organisation

from .choices import AttendanceMethod, AttendanceStatus
from .models import Attendance, Meeting


def attendees_outside_error(
    organiser: Organisation, members, *, subtree: frozenset[int] | None = None
) -> str:
    """The rule that a meeting's attendees are members of its organiser or of an organisation below it: ""
    when they all are, else the Chinese message naming those who are not. The meeting form (through the
    meeting services), the sign-in and the 会议活动 ledger import all call it. `subtree`: the organiser's subtree
    ids when the caller has them already."""
    allowed = subtree if subtree is not None else subtree_ids(organiser.pk)
    outside = [m for m in members if m.organisation_id not in allowed]
    if not outside:
        return ""
    names = "、".join(f"{m.name}（{m.organisation.name}）" for m in outside[:5])
    more = f"等{len(outside)}人" if len(outside) > 5 else ""
    return f"{names}{more}不是“{organiser.name}”或其下级组织的党员，不能列为这次会议的参加人员。"


def check_entries(meeting: Meeting, entries: dict[int, tuple[str, str]]) -> dict[int, Member]:
    """The members of a named attendance, refused unless each is an alive member of the organiser's subtree
    and each status is a known one (leave with a reason)."""
    members = {m.pk: m for m in Member.objects.filter(pk__in=entries).select_related("organisation")}
    unknown = set(entries) - set(members)
    if unknown:
        raise ValidationError({"attendance": "名单中有已删除或不存在的党员，请刷新页面后重新登记。"})
    error = attendees_outside_error(meeting.organiser, members.values())
    if error:
        raise ValidationError({"attendance": error})
    for member_id, (status, reason) in entries.items():
        if status not in AttendanceStatus.values:
            raise ValidationError({"attendance": f"{members[member_id].name}的出勤情况“{status}”无法识别。"})
        if status == AttendanceStatus.LEAVE and not reason:
            raise ValidationError({"attendance": f"{members[member_id].name}请假，请选择请假原因。"})
    return members


def check_head_count(meeting: Meeting, entries: dict | None) -> None:
    if not entries:
        return
    present = sum(1 for status, _ in entries.values() if status == AttendanceStatus.PRESENT)
    if meeting.head_count is not None and meeting.head_count != present:
        raise ValidationError(
            {
                "head_count": f"参加人数（{meeting.head_count}人）与名单中出席的人数（{present}人）不一致；"
                "登记了名单时参加人数可以不填。"
            }
        )
    meeting.head_count = None  # with names, the names are the count


def apply_attendance(meeting: Meeting, entries: dict[int, tuple[str, str]], *, actor) -> None:
    """Make the meeting's named attendance exactly `entries` ({member id: (status, reason)}). A member
    already present keeps how he signed in; rows left out are removed (their history stays)."""
    existing = {a.member_id: a for a in Attendance.all_objects.filter(meeting=meeting)}
    to_create, to_update = [], []
    for member_id, (status, reason) in entries.items():
        row = existing.get(member_id)
        if row is None:
            row = Attendance(meeting=meeting, member_id=member_id, status=status, reason=reason)
            if status == AttendanceStatus.PRESENT:
                row.method = AttendanceMethod.MARKED
            row.clean()
            to_create.append(row)
            continue
        if (row.status, row.reason) == (status, reason if status == AttendanceStatus.LEAVE else ""):
            continue
        if status == AttendanceStatus.PRESENT and row.status != AttendanceStatus.PRESENT:
            row.method = AttendanceMethod.MARKED
        row.status, row.reason = status, reason
        row.clean()
        to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, Attendance, default_user=actor, default_change_reason="登记出勤")
    if to_update:
        bulk_update_with_history(
            to_update,
            Attendance,
            ["status", "reason", "method", "signed_at"],
            default_user=actor,
            default_change_reason="修改出勤",
        )
    for member_id, row in existing.items():
        if member_id not in entries:
            stamp(row, actor, "移出名单")
            row.delete()


def check_existing_attendees(meeting: Meeting) -> None:
    """After the organiser changed: the attendance already recorded must still lie under it."""
    rows = Attendance.all_objects.filter(meeting=meeting).values_list("member_id", "status", "reason")
    entries = {member_id: (status, reason) for member_id, status, reason in rows}
    if entries:
        check_entries(meeting, entries)


@transaction.atomic
def attendance_mark(*, actor, meeting: Meeting, member: Member) -> Attendance:
    """The organiser marks a member present by hand (a second time changes nothing)."""
    require_write(actor, meeting)
    check_entries(meeting, {member.pk: (AttendanceStatus.PRESENT, "")})
    row = Attendance.all_objects.filter(meeting=meeting, member=member).first()
    if row is not None and row.status == AttendanceStatus.PRESENT:
        return row
    row = row or Attendance(meeting=meeting, member=member)
    row.status, row.reason = AttendanceStatus.PRESENT, ""
    row.method, row.signed_at = AttendanceMethod.MARKED, timezone.now()
    stamp(row, actor, "组织者登记出席")
    row.save()
    require_write(actor, row)
    return row
