"""Sign-in: the organiser opens a window on the meeting's day, and members sign themselves in with its link
(a QR code) or its short code plus the last four digits of their mobile. Members have no accounts, so what
authorises a sign-in is the unguessable link (or the code) while the window is open; wrong tries are
throttled."""

from __future__ import annotations

import datetime
import re
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from taizhang.core.history import stamp
from taizhang.core.scoping import require_write, subtree_ids
from taizhang.orgs.models import Member

from .attendance_services import attendees_outside_error
from .choices import AttendanceMethod, AttendanceStatus
from .models import Attendance, Meeting, SignIn, cn

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
