"""Every write of the research area. Each takes the acting user, runs in one transaction, checks the scope
before and after the change, validates with Chinese messages naming the field, and records history.

Research records are the township's own: only a township admin (or a superuser) writes them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from taizhang.core.checks import check_members_within
from taizhang.core.scoping import require_write
from taizhang.core.services import delete_record, restore_record, save_record
from taizhang.core.writes import apply_fields, create, delete_unless_used, save_with_members, update

from .models import ActionItem, Enterprise, EnterpriseIssue, EnterpriseVisit, ResearchTopic, ResearchVisit

TOPIC_FIELDS = ("organisation", "title", "leader", "theme")
VISIT_FIELDS = ("date", "topic", "leader", "place", "place_kind", "findings")
# The fields a person writes, in the order of the form (research/forms.py takes them from here).
ACTION_FIELDS = (
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
    "serial",
)
ENTERPRISE_FIELDS = ("organisation", "name", "industry", "address", "contact", "phone", "is_key", "liaison")
ENTERPRISE_VISIT_FIELDS = ("date", "enterprise", "cadre", "notes")
ISSUE_FIELDS = ("content", "handling", "resolved")


def _with_members(field: str, members) -> Callable[..., None]:
    """A save (for core.writes) of a record with its members, validated together: the members must be of
    the record's township."""
    chosen = {field: list(members)}

    def save(obj, *, actor, reason: str = "") -> None:
        obj.full_clean()
        check_members_within(obj.organisation_id, chosen, "本乡")
        save_with_members(obj, actor=actor, reason=reason, members=chosen)

    return save


# Research topics -------------------------------------------------------------------------------------


@transaction.atomic
def research_topic_create(*, actor, members=(), **data) -> ResearchTopic:
    save = _with_members("members", members)
    return create(ResearchTopic(), data, TOPIC_FIELDS, actor=actor, reason="新增调研课题", save=save)


@transaction.atomic
def research_topic_update(*, actor, topic: ResearchTopic, members=None, **data) -> ResearchTopic:
    save = _with_members("members", topic.members.all() if members is None else members)
    return update(topic, data, TOPIC_FIELDS, actor=actor, save=save)


@transaction.atomic
def research_topic_delete(*, actor, topic: ResearchTopic) -> None:
    refusal = "课题“{obj}”下还有{n}次调研走访，请先删除这些走访，再删除课题。"
    delete_unless_used(topic, actor=actor, reason="删除调研课题", used_by="visits", refusal=refusal)


# Research visits -------------------------------------------------------------------------------------


@transaction.atomic
def research_visit_create(*, actor, participants=(), **data) -> ResearchVisit:
    # The visit belongs to its topic's committee: known before the right is checked.
    topic = data.get("topic")
    visit = ResearchVisit(organisation_id=topic.organisation_id if topic else None)
    save = _with_members("participants", participants)
    return create(visit, data, VISIT_FIELDS, actor=actor, reason="新增调研走访", save=save)


@transaction.atomic
def research_visit_update(*, actor, visit: ResearchVisit, participants=None, **data) -> ResearchVisit:
    save = _with_members("participants", visit.participants.all() if participants is None else participants)
    return update(visit, data, VISIT_FIELDS, actor=actor, save=save)


def research_visit_delete(*, actor, visit: ResearchVisit) -> None:
    delete_record(visit, actor=actor, reason="删除调研走访")


# Action items ----------------------------------------------------------------------------------------


@transaction.atomic
def action_item_create(*, actor, **data) -> ActionItem:
    reason = "由调研发现的问题转入干事创业清单" if data.get("source_visit") else "新增干事创业清单事项"
    return create(ActionItem(), data, ACTION_FIELDS, actor=actor, reason=reason)


@transaction.atomic
def action_item_update(*, actor, item: ActionItem, **data) -> ActionItem:
    return update(item, data, ACTION_FIELDS, actor=actor)


def action_item_delete(*, actor, item: ActionItem) -> None:
    delete_record(item, actor=actor, reason="删除干事创业清单事项")


# Enterprises and their visits ------------------------------------------------------------------------


@transaction.atomic
def enterprise_create(*, actor, **data) -> Enterprise:
    return create(Enterprise(), data, ENTERPRISE_FIELDS, actor=actor, reason="新增企业")


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, **data) -> Enterprise:
    return update(enterprise, data, ENTERPRISE_FIELDS, actor=actor)


@transaction.atomic
def enterprise_delete(*, actor, enterprise: Enterprise) -> None:
    refusal = "企业“{obj}”已有{n}次走访记录，不能从名录中删除（删除会使走访记录失去对象）。"
    delete_unless_used(enterprise, actor=actor, reason="删除企业", used_by="visits", refusal=refusal)


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
        apply_fields(issue, data, ISSUE_FIELDS)
        try:
            save_record(issue, actor=actor, reason="" if issue.pk else "登记企业反映问题")
        except ValidationError as exc:
            raise ValidationError(f"第{number}条问题：" + "；".join(exc.messages)) from exc


@transaction.atomic
def enterprise_visit_create(*, actor, issues=(), **data) -> EnterpriseVisit:
    # The visit belongs to its enterprise's committee: known before the right is checked.
    enterprise = data.get("enterprise")
    visit = EnterpriseVisit(organisation_id=enterprise.organisation_id if enterprise else None)
    create(visit, data, ENTERPRISE_VISIT_FIELDS, actor=actor, reason="登记走访企业")
    _save_issues(visit, list(issues), actor=actor)
    return visit


@transaction.atomic
def enterprise_visit_update(*, actor, visit: EnterpriseVisit, issues=(), **data) -> EnterpriseVisit:
    update(visit, data, ENTERPRISE_VISIT_FIELDS, actor=actor)
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
    return update(issue, data, ISSUE_FIELDS, actor=actor, reason="更新解决情况")


# Restore ---------------------------------------------------------------------------------------------


@transaction.atomic
def research_restore(*, actor, obj) -> None:
    """Bring back a deleted research record (township admin); a visit brings back its issues."""
    deleted_at = obj.deleted_at
    restore_record(obj, actor=actor)
    if isinstance(obj, EnterpriseVisit) and deleted_at is not None:
        for issue in EnterpriseIssue.all_objects.deleted().filter(visit=obj, deleted_at__gte=deleted_at):
            restore_record(issue, actor=actor)
