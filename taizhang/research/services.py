"""Every write of the research area. Each takes the acting user, runs in one transaction, checks the scope
before and after the change, validates with Chinese messages naming the field, and records history.

Research records are the township's own: only a township admin (or a superuser) writes them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from taizhang.core.history import stamp
from taizhang.core.scoping import require_write
from taizhang.core.services import delete_record, restore_record, save_record

from .models import (
    ActionItem,
    Enterprise,
    EnterpriseIssue,
    EnterpriseVisit,
    ResearchTopic,
    ResearchVisit,
    check_members_within,
)

TOPIC_FIELDS = ("organisation", "title", "leader", "theme")
VISIT_FIELDS = ("date", "topic", "leader", "place", "place_kind", "findings")
ACTION_FIELDS = (
    "serial",
    "content",
    "source_topic",
    "source_visit",
    "leader",
    "organisation",
    "unit",
    "raised_on",
    "deadline",
    "status",
    "completed_on",
    "result",
)
ENTERPRISE_FIELDS = ("organisation", "name", "industry", "address", "contact", "phone", "is_key", "liaison")
ENTERPRISE_VISIT_FIELDS = ("date", "enterprise", "cadre", "notes")
ISSUE_FIELDS = ("content", "handling", "resolved")


def _apply(obj, data: dict, allowed: tuple[str, ...]):
    for key, value in data.items():
        if key not in allowed:
            raise ValueError(f"unknown {type(obj).__name__} field {key}")
        setattr(obj, key, value)
    return obj


def _save_with_members(obj, *, actor, reason: str = "", members: dict[str, list]) -> None:
    """Validate and save a record with many-to-many members so that its history holds one entry with the
    fields and the members together (not one entry for the fields and more for each member change)."""
    obj.full_clean()
    check_members_within(obj.organisation_id, members, "本乡")
    creating = obj._state.adding
    stamp(obj, actor, reason)
    obj.skip_history_when_saving = True
    try:
        with transaction.atomic():
            obj.save()
            for field, values in members.items():
                getattr(obj, field).set(values)
    except IntegrityError as exc:
        raise ValidationError("保存失败：与已有记录冲突，请刷新后重试。") from exc
    finally:
        del obj.skip_history_when_saving
    obj.save(update_fields=["updated_at"])  # the history entry, now that the members are in place
    if creating:
        obj.history.update(history_type="+")
    require_write(actor, obj)


# Research topics -------------------------------------------------------------------------------------


@transaction.atomic
def research_topic_create(*, actor, members=(), **data) -> ResearchTopic:
    topic = _apply(ResearchTopic(), data, TOPIC_FIELDS)
    require_write(actor, topic)
    _save_with_members(topic, actor=actor, reason="新增调研课题", members={"members": list(members)})
    return topic


@transaction.atomic
def research_topic_update(*, actor, topic: ResearchTopic, members=None, **data) -> ResearchTopic:
    require_write(actor, topic)
    _apply(topic, data, TOPIC_FIELDS)
    if members is None:
        members = list(topic.members.all())
    _save_with_members(topic, actor=actor, members={"members": list(members)})
    require_write(actor, topic)
    return topic


@transaction.atomic
def research_topic_delete(*, actor, topic: ResearchTopic) -> None:
    require_write(actor, topic)
    visits = topic.visits.count()
    if visits:
        raise ValidationError(f"课题“{topic}”下还有{visits}次调研走访，请先删除这些走访，再删除课题。")
    delete_record(topic, actor=actor, reason="删除调研课题")


# Research visits -------------------------------------------------------------------------------------


@transaction.atomic
def research_visit_create(*, actor, participants=(), **data) -> ResearchVisit:
    visit = _apply(ResearchVisit(), data, VISIT_FIELDS)
    if visit.topic_id:  # the visit belongs to its topic's committee: check the right before anything else
        visit.organisation_id = visit.topic.organisation_id
    require_write(actor, visit)
    _save_with_members(
        visit, actor=actor, reason="新增调研走访", members={"participants": list(participants)}
    )
    return visit


@transaction.atomic
def research_visit_update(*, actor, visit: ResearchVisit, participants=None, **data) -> ResearchVisit:
    require_write(actor, visit)
    _apply(visit, data, VISIT_FIELDS)
    if participants is None:
        participants = list(visit.participants.all())
    _save_with_members(visit, actor=actor, members={"participants": list(participants)})
    require_write(actor, visit)
    return visit


@transaction.atomic
def research_visit_delete(*, actor, visit: ResearchVisit) -> None:
    require_write(actor, visit)
    delete_record(visit, actor=actor, reason="删除调研走访")


# Action items ----------------------------------------------------------------------------------------


@transaction.atomic
def action_item_create(*, actor, **data) -> ActionItem:
    item = _apply(ActionItem(), data, ACTION_FIELDS)
    require_write(actor, item)
    reason = "由调研发现的问题转入干事创业清单" if item.source_visit_id else "新增干事创业清单事项"
    save_record(item, actor=actor, reason=reason)
    return item


@transaction.atomic
def action_item_update(*, actor, item: ActionItem, **data) -> ActionItem:
    require_write(actor, item)
    _apply(item, data, ACTION_FIELDS)
    save_record(item, actor=actor)
    require_write(actor, item)
    return item


@transaction.atomic
def action_item_delete(*, actor, item: ActionItem) -> None:
    require_write(actor, item)
    delete_record(item, actor=actor, reason="删除干事创业清单事项")


# Enterprises and their visits ------------------------------------------------------------------------


@transaction.atomic
def enterprise_create(*, actor, **data) -> Enterprise:
    enterprise = _apply(Enterprise(), data, ENTERPRISE_FIELDS)
    require_write(actor, enterprise)
    save_record(enterprise, actor=actor, reason="新增企业")
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, **data) -> Enterprise:
    require_write(actor, enterprise)
    _apply(enterprise, data, ENTERPRISE_FIELDS)
    save_record(enterprise, actor=actor)
    require_write(actor, enterprise)
    return enterprise


@transaction.atomic
def enterprise_delete(*, actor, enterprise: Enterprise) -> None:
    require_write(actor, enterprise)
    visits = enterprise.visits.count()
    if visits:
        raise ValidationError(
            f"企业“{enterprise}”已有{visits}次走访记录，不能从名录中删除（删除会使走访记录失去对象）。"
        )
    delete_record(enterprise, actor=actor, reason="删除企业")


def _save_issues(visit: EnterpriseVisit, issues: list[dict], *, actor) -> None:
    """Issues of a visit: each dict holds content, handling, resolved, and for an existing issue its id
    and `delete`. An error names the issue by its number on the page."""
    existing = {issue.pk: issue for issue in visit.issues.all()} if visit.pk else {}
    for number, data in enumerate(issues, start=1):
        data = dict(data)
        issue_id = data.pop("id", None)
        delete = data.pop("delete", False)
        if issue_id is not None:
            issue = existing.get(getattr(issue_id, "pk", issue_id))
            if issue is None:
                raise ValidationError(f"第{number}条问题不属于这次走访。")
            if delete:
                delete_record(issue, actor=actor, reason="删除企业反映问题")
                continue
        elif delete:
            continue
        else:
            issue = EnterpriseIssue(visit=visit)
        if issue.pk and all(getattr(issue, key) == value for key, value in data.items()):
            continue  # unchanged: no empty entry in its history
        _apply(issue, data, ISSUE_FIELDS)
        try:
            save_record(issue, actor=actor, reason="" if issue.pk else "登记企业反映问题")
        except ValidationError as exc:
            raise ValidationError(f"第{number}条问题：" + "；".join(exc.messages)) from exc


@transaction.atomic
def enterprise_visit_create(*, actor, issues=(), **data) -> EnterpriseVisit:
    visit = _apply(EnterpriseVisit(), data, ENTERPRISE_VISIT_FIELDS)
    if visit.enterprise_id:
        visit.organisation_id = visit.enterprise.organisation_id
    require_write(actor, visit)
    save_record(visit, actor=actor, reason="登记走访企业")
    _save_issues(visit, list(issues), actor=actor)
    return visit


@transaction.atomic
def enterprise_visit_update(*, actor, visit: EnterpriseVisit, issues=(), **data) -> EnterpriseVisit:
    require_write(actor, visit)
    _apply(visit, data, ENTERPRISE_VISIT_FIELDS)
    save_record(visit, actor=actor)
    require_write(actor, visit)
    _save_issues(visit, list(issues), actor=actor)
    return visit


@transaction.atomic
def enterprise_visit_delete(*, actor, visit: EnterpriseVisit) -> None:
    require_write(actor, visit)
    delete_record(visit, actor=actor, reason="删除走访企业记录")
    for issue in visit.issues.all():  # after the visit: restoring it brings back what went with it
        delete_record(issue, actor=actor, reason="随走访记录删除")


@transaction.atomic
def enterprise_issue_update(*, actor, issue: EnterpriseIssue, **data) -> EnterpriseIssue:
    """Record how an issue was handled and whether it is resolved."""
    require_write(actor, issue)
    _apply(issue, data, ISSUE_FIELDS)
    save_record(issue, actor=actor, reason="更新解决情况")
    return issue


# Restore ---------------------------------------------------------------------------------------------


@transaction.atomic
def research_restore(*, actor, obj) -> None:
    """Bring back a deleted research record (township admin); a visit brings back its issues."""
    deleted_at = obj.deleted_at
    restore_record(obj, actor=actor)
    if isinstance(obj, EnterpriseVisit) and deleted_at is not None:
        for issue in EnterpriseIssue.all_objects.deleted().filter(visit=obj, deleted_at__gte=deleted_at):
            restore_record(issue, actor=actor)
