"""What the writes of rectification share: a refused change leaves nothing behind (the object is reloaded, the
transaction rolled back, uploads checked before any file is stored), values go only to the fields a write
may change, errors are collected by field and raised together; and the two shapes of record that recur: a
dated entry with photos (a measure's or a remedy's progress), and a record naming a list of people (a
talk's 谈话对象, a health check's 检查人)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from taizhang.campaigns.models import Campaign
from taizhang.core.attachments import attach, check_upload
from taizhang.core.scoping import require_write, subtree_ids
from taizhang.core.services import save_record
from taizhang.core.writes import apply_fields

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


def campaign_or_current(campaign: Campaign | None) -> Campaign:
    campaign = campaign or Campaign.current()
    if campaign is None:
        raise ValidationError("尚未设定当前主题教育，请系统管理员先在“主题教育”中设定。")
    return campaign


def errors_of(obj) -> dict[str, list[str]]:
    """The validation errors of obj by field (empty when it is valid)."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        return {key: list(value) for key, value in exc.message_dict.items()}
    return {}


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def check_uploads(uploads, field: str, errors: dict) -> None:
    for upload in uploads:
        try:
            check_upload(upload)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)


def attach_all(actor, owner, uploads, purpose: str) -> None:
    for upload in uploads:
        attach(actor=actor, owner=owner, upload=upload, purpose=purpose)


def today() -> datetime.date:
    return timezone.localdate()


def save_entry(actor, entry, photos, *, reason: str):
    """Save a progress entry with its photos, everything checked before anything is stored."""
    errors = errors_of(entry)
    check_uploads(photos, "photos", errors)
    raise_errors(errors)
    save_record(entry, actor=actor, reason=reason)
    attach_all(actor, entry, photos, PHOTO)
    return entry


# Records under an organisation that name a list of people ----------------------------------------------


def require_org_write(actor, obj, no_org: str) -> None:
    """The record has its organisation, and the actor may write there (its kind's write_by says who)."""
    if not obj.organisation_id:
        raise ValidationError({"organisation": no_org})
    require_write(actor, obj)


def apply_in_org(actor, obj, data: dict, fields: tuple[str, ...], *, no_org: str):
    """Put the values on a record kept under an organisation, then check the actor may write it where it
    now is."""
    apply_fields(obj, data, fields)
    require_org_write(actor, obj, no_org)
    return obj


def people_outside(errors: dict, field: str, label: str, people, township) -> None:
    """An error under field naming those people who are not members of the township (if it is known)."""
    if township is None:
        return
    ids = subtree_ids(township.pk)
    outside = [m.name for m in people if m.organisation_id not in ids]
    if outside:
        errors.setdefault(field, []).append(f"{label}“{'、'.join(outside)}”不是本乡党员。")


def save_with_people(actor, obj, field: str, people, *, errors, reason: str = ""):
    """Check a record with its list of people (`errors(obj, people)`), save it, and set the list when it is
    new or changed; people None keeps the list it has."""
    people = list(getattr(obj, field).all()) if people is None else list(people)
    raise_errors(errors(obj, people))
    save_record(obj, actor=actor, reason=reason)
    related = getattr(obj, field)
    if {p.pk for p in people} != set(related.values_list("pk", flat=True)):
        related.set(people)
    return obj


@dataclass(frozen=True)
class PeopleRecord:
    """The writes of a kind of record kept under an organisation that names a list of people (a talk's
    谈话对象, a health check's 检查人): the fields its writes may change, the field of its people, the
    message when no organisation is chosen, and `errors(obj, people)`, its check with its people."""

    model: type
    fields: tuple[str, ...]
    people: str
    no_org: str
    errors: Callable[..., dict]

    def create(self, actor, people, data: dict, *, campaign: Campaign | None, reason: str):
        """A new record of the campaign (default: the current one) with its people."""
        obj = self.model(campaign=campaign_or_current(campaign))
        apply_in_org(actor, obj, data, self.fields, no_org=self.no_org)
        return self.save(actor, obj, people, reason=reason)

    def change(self, actor, obj, data: dict) -> None:
        """Put the values on a record the actor may write, where it is and where it goes."""
        require_org_write(actor, obj, self.no_org)
        apply_in_org(actor, obj, data, self.fields, no_org=self.no_org)

    def save(self, actor, obj, people, *, reason: str = ""):
        return save_with_people(actor, obj, self.people, people, errors=self.errors, reason=reason)
