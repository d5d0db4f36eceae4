"""Every write of the study area. Each takes the acting user, checks his scope before and after the change
inside one transaction, validates with Chinese messages that name the field, and records history.

The exception is a member's own sign-in (attendance_sign_in): members have no accounts, so what
authorises it is the sign-in's unguessable link (or its short code) while the window is open, plus the
last four digits of the member's mobile; wrong tries are throttled."""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from taizhang.campaigns.models import Campaign
from taizhang.core.attachments import attach, check_upload
from taizhang.core.history import stamp
from taizhang.core.scoping import require_write, subtree_ids
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.orgs.models import Member, Organisation

from .choices import LEAVE_REASONS, AttendanceMethod, AttendanceStatus
from .models import Attendance, MakeUp, Meeting, PlannedMeeting, SignIn, cn

MEETING_FIELDS = ("organiser", "campaign", "type", "date", "topic", "place", "minutes", "head_count")

# Sign-in: how long a window may be, and how many wrong tries are allowed before a pause. Phones in one
# village hall often share one address (its Wi-Fi, or the proxy in front of the server), so the digits are
# counted per address *and name* (a phone that mistypes its own digits does not lock out the room), and per
# name from anywhere (guessing one member's 4 digits from many phones); wrong codes per address, more
# loosely (a room of members mistyping the code must not lock itself out; a guesser still gets nowhere
# in a million codes).
SIGNIN_MINUTES = (30, 60, 120, 240)
SIGNIN_MAX_MINUTES = 12 * 60
SIGNIN_TRIES = 5
SIGNIN_TRIES_PER_MEMBER = 10
CODE_TRIES = 20
SIGNIN_PAUSE_MINUTES = 10
CODE_LENGTH = 6

# Speakers --------------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"^(?P<name>[^（(]+?)\s*[（(]\s*(?P<inner>[^）)]+?)\s*[）)]$")


@dataclass
class Speaker:
    member: Member | None = None
    name: str = ""
    unit: str = ""


def _township_or_self(org: Organisation) -> Organisation:
    return org.township() or org


def resolve_speaker(text: str, *, organiser: Organisation) -> Speaker:
    """A speaker as written in the form or the ledger: a member's name (姓名, or 姓名（组织名称） for namesakes),
    or an outside speaker written 姓名（单位）. A plain name must be a member of the organiser's township."""
    text = (text or "").strip()
    if not text:
        return Speaker()
    township = _township_or_self(organiser)
    in_township = subtree_ids(township.pk)
    match = _BRACKETED.match(text)
    if match:
        name, inner = match["name"].strip(), match["inner"].strip()
        org = (
            Organisation.objects.filter(pk__in=in_township)
            .filter(Q(name=inner) | Q(short_name=inner))
            .first()
        )
        if org is None:
            return Speaker(name=name[:50], unit=inner[:100])
        member = Member.objects.filter(organisation=org, name=name).first()
        if member is None:
            raise ValidationError({"speaker": f"“{org.name}”没有名为“{name}”的党员。"})
        return Speaker(member=member)
    candidates = list(
        Member.objects.filter(organisation__in=in_township, name=text).select_related("organisation")[:6]
    )
    if not candidates:
        raise ValidationError(
            {
                "speaker": f"{township.name}没有名为“{text}”的党员。外来主讲人请写成 姓名（单位），"
                "如：陈明（省委党校）。"
            }
        )
    if len(candidates) > 1:
        names = "、".join(f"{m.name}（{m.organisation.name}）" for m in candidates)
        raise ValidationError(
            {"speaker": f"有{len(candidates)}名党员叫“{text}”：{names}。请写成 姓名（组织名称）。"}
        )
    return Speaker(member=candidates[0])


def speaker_text(meeting: Meeting) -> str:
    """What the speaker field shows for an existing meeting (the inverse of resolve_speaker)."""
    if meeting.speaker_id:
        member = meeting.speaker
        namesakes = Member.objects.filter(
            name=member.name, organisation__in=subtree_ids(_township_or_self(meeting.organiser).pk)
        ).exclude(pk=member.pk)
        return f"{member.name}（{member.organisation.name}）" if namesakes.exists() else member.name
    return meeting.speaker_display


# Meetings --------------------------------------------------------------------------------------------


def campaign_for(organiser: Organisation, date: datetime.date) -> Campaign | None:
    """The campaign a meeting belongs to when none is given: one running on its date that covers its
    organiser (a campaign listing no organisations covers all), the current one first."""
    if not (organiser and date):
        return None
    above = organiser.ancestors(include_self=True).values("pk")
    return (
        Campaign.objects.filter(start_date__lte=date, end_date__gte=date)
        .filter(Q(organisations__isnull=True) | Q(organisations__in=above))
        .order_by("-is_current", "-start_date")
        .first()
    )


def attendees_outside_error(
    organiser: Organisation, members, *, subtree: frozenset[int] | None = None
) -> str:
    """The rule that a meeting's attendees are members of its organiser or of an organisation below it: ""
    when they all are, else the Chinese message naming those who are not. The meeting form (through the
    services here), the sign-in and the 会议活动 ledger import all call it. `subtree`: the organiser's subtree
    ids when the caller has them already."""
    allowed = subtree if subtree is not None else subtree_ids(organiser.pk)
    outside = [m for m in members if m.organisation_id not in allowed]
    if not outside:
        return ""
    names = "、".join(f"{m.name}（{m.organisation.name}）" for m in outside[:5])
    more = f"等{len(outside)}人" if len(outside) > 5 else ""
    return f"{names}{more}不是“{organiser.name}”或其下级组织的党员，不能列为这次会议的参加人员。"


def _entries_checked(meeting: Meeting, entries: dict[int, tuple[str, str]]) -> dict[int, Member]:
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


def _check_head_count(meeting: Meeting, entries: dict | None) -> None:
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


def _apply_attendance(meeting: Meeting, entries: dict[int, tuple[str, str]], *, actor) -> None:
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


def _check_existing_attendees(meeting: Meeting) -> None:
    """After the organiser changed: the attendance already recorded must still lie under it."""
    rows = Attendance.all_objects.filter(meeting=meeting).values_list("member_id", "status", "reason")
    entries = {member_id: (status, reason) for member_id, status, reason in rows}
    if entries:
        _entries_checked(meeting, entries)


def _check_uploads(uploads) -> None:
    """Every file is judged before anything is written, so a bad one leaves nothing half-saved."""
    for upload in uploads:
        try:
            check_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None


def _save_meeting(meeting, *, actor, speaker, attendance, uploads, created: bool) -> Meeting:
    if speaker is not None:
        spoken = resolve_speaker(speaker, organiser=meeting.organiser) if meeting.organiser_id else Speaker()
        meeting.speaker, meeting.speaker_name, meeting.speaker_unit = spoken.member, spoken.name, spoken.unit
    if meeting.campaign_id is None:
        meeting.campaign = campaign_for(meeting.organiser, meeting.date) if meeting.organiser_id else None
    if attendance is not None:
        _entries_checked(meeting, attendance)
        _check_head_count(meeting, attendance)
    _check_uploads(uploads)
    save_record(meeting, actor=actor, reason="登记会议" if created else "")
    if attendance is not None:
        _apply_attendance(meeting, attendance, actor=actor)
    elif not created:
        _check_existing_attendees(meeting)
    for upload in uploads:
        attach(actor=actor, owner=meeting, upload=upload, purpose="照片")
    return meeting


@transaction.atomic
def meeting_create(*, actor, speaker: str = "", attendance=None, uploads=(), **data) -> Meeting:
    """Record a meeting, with its named attendance ({member id: (status, reason)}) and photos if given."""
    meeting = Meeting(**{k: v for k, v in data.items() if k in MEETING_FIELDS})
    require_write(actor, meeting)
    return _save_meeting(
        meeting, actor=actor, speaker=speaker, attendance=attendance, uploads=uploads, created=True
    )


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, speaker: str | None = None, attendance=None, uploads=(), **data
) -> Meeting:
    """Change a meeting; `speaker` or `attendance` None leaves it as it is (a dict replaces the attendance)."""
    require_write(actor, meeting)
    for key, value in data.items():
        if key not in MEETING_FIELDS:
            raise ValueError(f"unknown meeting field {key}")
        setattr(meeting, key, value)
    return _save_meeting(
        meeting, actor=actor, speaker=speaker, attendance=attendance, uploads=uploads, created=False
    )


def meeting_delete(*, actor, meeting: Meeting) -> None:
    delete_record(meeting, actor=actor, reason="删除会议")


def meeting_restore(*, actor, meeting: Meeting) -> None:
    restore_record(meeting, actor=actor)


@transaction.atomic
def attendance_mark(*, actor, meeting: Meeting, member: Member) -> Attendance:
    """The organiser marks a member present by hand (a second time changes nothing)."""
    require_write(actor, meeting)
    _entries_checked(meeting, {member.pk: (AttendanceStatus.PRESENT, "")})
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


# Sign-in ---------------------------------------------------------------------------------------------


def _fresh_code(now, *, keep: SignIn | None) -> str:
    """A 6-digit code that no sign-in open (or ended within a day) holds, so a code names one meeting."""
    recent = SignIn.objects.filter(closes_at__gt=now - datetime.timedelta(days=1))
    if keep is not None:
        if keep.code and not recent.filter(code=keep.code).exclude(pk=keep.pk).exists():
            return keep.code
        recent = recent.exclude(pk=keep.pk)
    while True:
        code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        if not recent.filter(code=code).exists():
            return code


@transaction.atomic
def signin_open(*, actor, meeting: Meeting, minutes: int = 60) -> SignIn:
    """Open (or reopen) sign-in on a meeting for `minutes` from now, on the meeting's day."""
    require_write(actor, meeting)
    if not meeting.signin_day:
        raise ValidationError(f"只能在会议当天开启签到；这次会议的日期是{cn(meeting.date)}。")
    if not 1 <= minutes <= SIGNIN_MAX_MINUTES:
        raise ValidationError({"minutes": f"签到时长应在1至{SIGNIN_MAX_MINUTES}分钟之间。"})
    now = timezone.now()
    sign_in = SignIn.objects.select_for_update().filter(meeting=meeting).first()
    if sign_in is None:
        sign_in = SignIn(meeting=meeting, token=secrets.token_urlsafe(24))
    sign_in.code = _fresh_code(now, keep=sign_in if sign_in.pk else None)
    sign_in.opens_at, sign_in.closes_at, sign_in.closed_at = (
        now,
        now + datetime.timedelta(minutes=minutes),
        None,
    )
    stamp(sign_in, actor, f"开启签到{minutes}分钟")
    sign_in.save()
    require_write(actor, sign_in)
    return sign_in


@transaction.atomic
def signin_close(*, actor, meeting: Meeting) -> SignIn:
    require_write(actor, meeting)
    sign_in = SignIn.objects.select_for_update().filter(meeting=meeting).first()
    if sign_in is None or not sign_in.is_open:
        raise ValidationError("这次会议的签到没有开启，或已经结束。")
    sign_in.closed_at = timezone.now()
    stamp(sign_in, actor, "关闭签到")
    sign_in.save()
    return sign_in


class SignInRefused(Exception):
    """A sign-in that cannot go ahead, with the message the member sees."""

    def __init__(self, message: str, *, status: int = 200):
        super().__init__(message)
        self.message = message
        self.status = status


def _tries_key(*parts) -> str:
    return "study:signin:" + ":".join(str(p) for p in parts)


def _throttled(key: str, limit: int) -> bool:
    return cache.get(key, 0) >= limit


def _note_wrong_try(key: str) -> int:
    timeout = SIGNIN_PAUSE_MINUTES * 60
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


PAUSED = f"错误次数过多，请{SIGNIN_PAUSE_MINUTES}分钟后再试，或请会议组织者为您登记出席。"


def signin_require_open(sign_in: SignIn) -> None:
    """Refused with the member-facing reason unless the sign-in is open now."""
    state = sign_in.state()
    if state == "closed":
        raise SignInRefused(
            f"组织者已于{timezone.localtime(sign_in.closed_at):%H:%M}关闭签到。未签到的请联系组织者登记。"
        )
    if state == "expired":
        closes = timezone.localtime(sign_in.closes_at)
        raise SignInRefused(f"签到已于{cn(closes.date())} {closes:%H:%M}结束。未签到的请联系组织者登记。")


def signin_by_token(token: str) -> SignIn:
    """The sign-in a link names, or refused (an unknown token is a forged or mistyped link)."""
    sign_in = (
        SignIn.objects.filter(token=token, meeting__deleted_at__isnull=True)
        .select_related("meeting__organiser")
        .first()
        if token
        else None
    )
    if sign_in is None:
        raise SignInRefused("签到链接无效：请重新扫描会场的二维码，或输入签到码。", status=404)
    return sign_in


def signin_by_code(code: str, *, client: str) -> SignIn:
    """The open sign-in holding a 6-digit code; wrong codes from one address are throttled."""
    key = _tries_key("code", client)
    if _throttled(key, CODE_TRIES):
        raise SignInRefused(PAUSED, status=429)
    code = (code or "").strip()
    if not re.fullmatch(rf"\d{{{CODE_LENGTH}}}", code):
        raise SignInRefused(f"签到码是{CODE_LENGTH}位数字，请核对后重新输入。")
    now = timezone.now()
    sign_in = (
        SignIn.objects.filter(
            code=code, closes_at__gt=now - datetime.timedelta(days=1), meeting__deleted_at__isnull=True
        )
        .select_related("meeting__organiser")
        .order_by("-closes_at")
        .first()
    )
    if sign_in is None:
        left = CODE_TRIES - _note_wrong_try(key)
        raise SignInRefused(
            "签到码不正确，请核对会场显示的签到码。" + (f"（还可尝试{left}次）" if left > 0 else "")
        )
    signin_require_open(sign_in)
    return sign_in


def signin_candidates(sign_in: SignIn) -> list[Member]:
    """The names a member picks from: the organiser's members (and those already on its list)."""
    meeting = sign_in.meeting
    return list(
        Member.objects.filter(
            Q(organisation__in=subtree_ids(meeting.organiser_id))
            | Q(pk__in=Attendance.all_objects.filter(meeting=meeting).values("member_id"))
        )
        .select_related("organisation")
        .order_by("organisation__order", "organisation_id", "name", "pk")
    )


@transaction.atomic
def attendance_sign_in(*, sign_in: SignIn, member_id, digits: str, method: str, client: str):
    """A member signs himself in. Returns (attendance, changed): a second sign-in changes nothing."""
    if method not in (AttendanceMethod.QR, AttendanceMethod.CODE):
        method = AttendanceMethod.QR
    signin_require_open(sign_in)
    by_client = _tries_key(sign_in.pk, "client", client, member_id)
    by_member = _tries_key(sign_in.pk, "member", member_id)
    if _throttled(by_client, SIGNIN_TRIES) or _throttled(by_member, SIGNIN_TRIES_PER_MEMBER):
        raise SignInRefused(PAUSED, status=429)
    meeting = sign_in.meeting
    try:
        member = Member.objects.get(pk=int(member_id))
    except (Member.DoesNotExist, TypeError, ValueError):
        raise SignInRefused("请在名单中点选您的姓名。") from None
    outside = attendees_outside_error(meeting.organiser, [member])
    if outside and not Attendance.all_objects.filter(meeting=meeting, member=member).exists():
        raise SignInRefused(f"{outside}请在名单中点选您的姓名。")
    digits = (digits or "").strip()
    if not re.fullmatch(r"\d{4}", digits):
        raise SignInRefused("请输入您手机号码的后4位数字。")
    if not member.mobile:
        raise SignInRefused(f"{member.name}没有登记手机号码，无法自助签到，请会议组织者为您登记出席。")
    if not secrets.compare_digest(member.mobile[-4:], digits):
        left = SIGNIN_TRIES - _note_wrong_try(by_client)
        _note_wrong_try(by_member)
        if left <= 0:
            raise SignInRefused(PAUSED, status=429)
        raise SignInRefused(f"手机号码后4位与{member.name}登记的不符，请重新输入。（还可尝试{left}次）")
    row = Attendance.all_objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is not None and row.status == AttendanceStatus.PRESENT:
        return row, False
    row = row or Attendance(meeting=meeting, member=member)
    row.status, row.reason, row.method, row.signed_at = AttendanceStatus.PRESENT, "", method, timezone.now()
    stamp(row, None, AttendanceMethod(method).label)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # the same member signed in at the same moment from another phone
        return Attendance.all_objects.get(meeting=meeting, member=member), False
    return row, True


# Make-up study ---------------------------------------------------------------------------------------

MAKEUP_FIELDS = ("member", "meeting", "date", "method", "note")


@transaction.atomic
def makeup_create(*, actor, **data) -> MakeUp:
    makeup = MakeUp(**{k: v for k, v in data.items() if k in MAKEUP_FIELDS})
    require_write(actor, makeup)
    save_record(makeup, actor=actor, reason="登记补学")
    return makeup


@transaction.atomic
def makeup_update(*, actor, makeup: MakeUp, **data) -> MakeUp:
    require_write(actor, makeup)
    for key, value in data.items():
        if key not in MAKEUP_FIELDS:
            raise ValueError(f"unknown make-up field {key}")
        setattr(makeup, key, value)
    save_record(makeup, actor=actor)
    return makeup


def makeup_delete(*, actor, makeup: MakeUp) -> None:
    delete_record(makeup, actor=actor, reason="删除补学")


def makeup_restore(*, actor, makeup: MakeUp) -> None:
    restore_record(makeup, actor=actor)


# Study plans -----------------------------------------------------------------------------------------


@transaction.atomic
def planned_meeting_create(*, actor, organisation, campaign, month, type, topic="") -> PlannedMeeting:
    item = PlannedMeeting(organisation=organisation, campaign=campaign, month=month, type=type, topic=topic)
    require_write(actor, item)
    save_record(item, actor=actor, reason="制定学习计划")
    return item


def planned_meeting_delete(*, actor, item: PlannedMeeting) -> None:
    delete_record(item, actor=actor, reason="删除计划")


def planned_meeting_restore(*, actor, item: PlannedMeeting) -> None:
    restore_record(item, actor=actor)


__all__ = [
    "LEAVE_REASONS",
    "SIGNIN_MINUTES",
    "SignInRefused",
    "attendance_mark",
    "attendance_sign_in",
    "attendees_outside_error",
    "campaign_for",
    "makeup_create",
    "makeup_delete",
    "makeup_restore",
    "makeup_update",
    "meeting_create",
    "meeting_delete",
    "meeting_restore",
    "meeting_update",
    "planned_meeting_create",
    "planned_meeting_delete",
    "planned_meeting_restore",
    "resolve_speaker",
    "signin_by_code",
    "signin_by_token",
    "signin_candidates",
    "signin_close",
    "signin_require_open",
    "signin_open",
    "speaker_text",
]
