"""Every write of the study area. Each takes the acting user, checks his scope before and after the change
inside one transaction, validates with Chinese messages that name the field, and records history.

A meeting's attendance is written through attendance_services.py, and a member's own sign-in (which no
account authorises) lives in signin_services.py; their services are importable from here as well."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from taizhang.campaigns.models import Campaign
from taizhang.core.attachments import attach, check_upload
from taizhang.core.scoping import require_write, subtree_ids
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.core.writes import create_record, update_record
from taizhang.orgs.fields import resolve_names
from taizhang.orgs.models import Member, Organisation

from .attendance_services import (
    apply_attendance,
    attendance_mark,
    attendees_outside_error,
    check_entries,
    check_existing_attendees,
    check_head_count,
)
from .choices import LEAVE_REASONS
from .models import MakeUp, Meeting, PlannedMeeting
from .signin_services import (
    CODE_TRIES,
    SIGNIN_MINUTES,
    SIGNIN_TRIES,
    SIGNIN_TRIES_PER_MEMBER,
    SignInRefused,
    attendance_sign_in,
    signin_by_code,
    signin_by_token,
    signin_candidates,
    signin_close,
    signin_open,
    signin_require_open,
)

MEETING_FIELDS = ("organiser", "campaign", "type", "date", "topic", "place", "minutes", "head_count")

# Speakers --------------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"^(?P<name>[^（(]+?)\s*[（(]\s*(?P<inner>[^）)]+?)\s*[）)]$")
OUTSIDE_SPEAKER = "外来主讲人请写成 姓名（单位），如：陈明（省委党校）。"


@dataclass
class Speaker:
    member: Member | None = None
    name: str = ""
    unit: str = ""


def _township_or_self(org: Organisation) -> Organisation:
    return org.township() or org


def resolve_speaker(text: str, *, organiser: Organisation) -> Speaker:
    """A speaker as written in the form or the ledger: a member of the organiser's township by name (姓名, or
    姓名（组织名称） for namesakes, found as every member typed by name is: orgs.fields.resolve_names), or an
    outside speaker written 姓名（单位）, where the unit is no organisation of the township."""
    text = (text or "").strip()
    if not text:
        return Speaker()
    in_township = subtree_ids(_township_or_self(organiser).pk)
    match = _BRACKETED.match(text)
    if match:
        name, unit = match["name"].strip(), match["inner"].strip()
        orgs = Organisation.objects.filter(pk__in=in_township).filter(Q(name=unit) | Q(short_name=unit))
        if not orgs.exists():
            return Speaker(name=name[:50], unit=unit[:100])
    try:
        [member] = resolve_names([text], Member.objects.filter(organisation__in=in_township), "主讲人")
    except ValidationError as exc:
        hint = "" if match else OUTSIDE_SPEAKER  # a plain name may be an outsider's, written without his unit
        raise ValidationError({"speaker": [message + hint for message in exc.messages]}) from None
    return Speaker(member=member)


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
        check_entries(meeting, attendance)
        check_head_count(meeting, attendance)
    _check_uploads(uploads)
    save_record(meeting, actor=actor, reason="登记会议" if created else "")
    if attendance is not None:
        apply_attendance(meeting, attendance, actor=actor)
    elif not created:
        check_existing_attendees(meeting)
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


# Make-up study ---------------------------------------------------------------------------------------

MAKEUP_FIELDS = ("member", "meeting", "date", "method", "note")


def makeup_create(*, actor, **data) -> MakeUp:
    return create_record(MakeUp, actor=actor, data=data, fields=MAKEUP_FIELDS, reason="登记补学")


def makeup_update(*, actor, makeup: MakeUp, **data) -> MakeUp:
    return update_record(makeup, actor=actor, data=data, fields=MAKEUP_FIELDS)


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
    "CODE_TRIES",
    "LEAVE_REASONS",
    "SIGNIN_MINUTES",
    "SIGNIN_TRIES",
    "SIGNIN_TRIES_PER_MEMBER",
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
