"""The research area's rows of the access matrix (core/tests/test_access_matrix.py).

Township A's records: a topic, a visit and an enterprise of the committee (invisible to branch secretaries),
an action item whose responsible unit is branch A1 (sec_a1 reads it but may not change it: research is
written by township admins), and deleted records to restore."""

from __future__ import annotations

import datetime

from taizhang.research import services
from taizhang.research.models import (
    ActionItem,
    Enterprise,
    EnterpriseIssue,
    EnterpriseVisit,
    ResearchTopic,
    ResearchVisit,
)

DAY = datetime.date(2023, 10, 10)


def setup(cast) -> None:
    admin = cast.admin_a
    cast.research_topic = services.research_topic_create(
        actor=admin,
        organisation=cast.township_a,
        title="乡村振兴调研",
        leader=cast.wang,
        members=[cast.zhang],
    )
    cast.research_topic_empty = services.research_topic_create(
        actor=admin, organisation=cast.township_a, title="空课题", leader=cast.wang
    )
    cast.research_visit = services.research_visit_create(
        actor=admin,
        date=DAY,
        topic=cast.research_topic,
        leader=cast.wang,
        place="甲一村",
        place_kind="村",
        findings="路灯损坏\n道路水毁",
        participants=[cast.zhang],
    )
    cast.research_action = services.action_item_create(
        actor=admin, content="修复路灯", organisation=cast.branch_a1, source_visit=cast.research_visit
    )
    cast.research_action_deleted = services.action_item_create(
        actor=admin, content="已删除的事项", organisation=cast.township_a
    )
    services.action_item_delete(actor=admin, item=cast.research_action_deleted)
    cast.research_enterprise = services.enterprise_create(
        actor=admin, organisation=cast.township_a, name="甲乡禽蛋公司", liaison=cast.wang
    )
    cast.research_enterprise_empty = services.enterprise_create(
        actor=admin, organisation=cast.township_a, name="甲乡竹业公司"
    )
    cast.research_enterprise_visit = services.enterprise_visit_create(
        actor=admin,
        date=DAY,
        enterprise=cast.research_enterprise,
        cadre=cast.wang,
        issues=[{"content": "用工难", "handling": "", "resolved": False}],
    )
    cast.research_issue = cast.research_enterprise_visit.issues.get()


def _pk(name):
    return lambda cast: {"pk": getattr(cast, name).pk}


TARGETS = {
    "research_topic": _pk("research_topic"),
    "research_topic_empty": _pk("research_topic_empty"),
    "research_visit": _pk("research_visit"),
    "research_action": _pk("research_action"),
    "research_enterprise": _pk("research_enterprise"),
    "research_enterprise_empty": _pk("research_enterprise_empty"),
    "research_enterprise_visit": _pk("research_enterprise_visit"),
    "research_issue": _pk("research_issue"),
    "research_deleted_action": lambda cast: {"kind": "action", "pk": cast.research_action_deleted.pk},
}

LIST = (200, 200, 200, 200, 200, 200, 200, 200, 302)
CREATE = (200, 403, 200, 403, 403, 200, 403, 403, 302)
COMMITTEE_RECORD = (200, 200, 200, 404, 404, 404, 404, 404, 302)
COMMITTEE_WRITE = (200, 403, 200, 404, 404, 404, 404, 404, 302)
POST_ONLY = (405, 405, 405, 405, 405, 405, 405, 405, 302)

# fmt: off
GET_MATRIX = [
    # url name                             object                         root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("research:topic_list",                None,                          *LIST),
    ("research:topic_create",              None,                          *CREATE),
    ("research:topic_detail",              "research_topic",              *COMMITTEE_RECORD),
    ("research:topic_edit",                "research_topic",              *COMMITTEE_WRITE),
    ("research:topic_delete",              "research_topic",              *COMMITTEE_WRITE),
    ("research:visit_list",                None,                          *LIST),
    ("research:visit_create",              None,                          *CREATE),
    ("research:visit_detail",              "research_visit",              *COMMITTEE_RECORD),
    ("research:visit_edit",                "research_visit",              *COMMITTEE_WRITE),
    ("research:visit_delete",              "research_visit",              *COMMITTEE_WRITE),
    ("research:action_list",               None,                          *LIST),
    ("research:action_create",             None,                          *CREATE),
    # Branch A1 is the item's responsible unit: its secretary reads it, only township admins change it.
    ("research:action_detail",             "research_action",             200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("research:action_edit",               "research_action",             200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("research:action_delete",             "research_action",             200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("research:enterprise_list",           None,                          *LIST),
    ("research:enterprise_create",         None,                          *CREATE),
    ("research:enterprise_detail",         "research_enterprise",         *COMMITTEE_RECORD),
    ("research:enterprise_edit",           "research_enterprise",         *COMMITTEE_WRITE),
    ("research:enterprise_delete",         "research_enterprise",         *COMMITTEE_WRITE),
    ("research:enterprise_visit_list",     None,                          *LIST),
    ("research:enterprise_month",          None,                          *LIST),
    ("research:enterprise_visit_create",   None,                          *CREATE),
    ("research:enterprise_visit_detail",   "research_enterprise_visit",   *COMMITTEE_RECORD),
    ("research:enterprise_visit_edit",     "research_enterprise_visit",   *COMMITTEE_WRITE),
    ("research:enterprise_visit_delete",   "research_enterprise_visit",   *COMMITTEE_WRITE),
    ("research:issue_edit",                "research_issue",              *COMMITTEE_WRITE),
    ("research:trash",                     None,                          200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("research:restore",                   "research_deleted_action",     *POST_ONLY),
]
# fmt: on


def _issues(*rows):
    data = {"issues-TOTAL_FORMS": str(len(rows)), "issues-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"issues-{i}-{key}": value for key, value in row.items()})
    return data


POST_DATA = {
    "research:topic_create": lambda cast: {
        "organisation": cast.township_a.pk,
        "title": "新课题",
        "leader": "王五",
        "members": "张三",
    },
    "research:topic_edit": lambda cast: {"title": "乡村振兴深调研", "leader": "王五", "members": "张三"},
    "research:visit_create": lambda cast: {
        "date": "2023-10-12",
        "topic": cast.research_topic.pk,
        "leader": "王五",
        "place": "甲机关",
        "place_kind": "其他",
        "participants": "张三",
        "findings": "食堂漏雨",
    },
    "research:visit_edit": lambda cast: {
        "date": "2023-10-10",
        "topic": cast.research_topic.pk,
        "leader": "王五",
        "place": "甲一村村部",
        "place_kind": "村",
        "findings": "路灯损坏",
    },
    "research:action_create": lambda cast: {
        "content": "新事项",
        "organisation": cast.township_a.pk,
        "status": "未开始",
    },
    "research:action_edit": lambda cast: {
        "content": "修复路灯",
        "organisation": cast.branch_a1.pk,
        "status": "已完成",
        "completed_on": "2023-11-01",
        "serial": cast.research_action.serial,
    },
    "research:enterprise_create": lambda cast: {"organisation": cast.township_a.pk, "name": "甲乡茶业公司"},
    "research:enterprise_edit": lambda cast: {"name": "甲乡禽蛋有限公司", "liaison": "王五"},
    "research:enterprise_visit_create": lambda cast: {
        "date": "2023-11-02",
        "enterprise": cast.research_enterprise.pk,
        "cadre": "王五",
        **_issues({"content": "电力不足", "handling": "", "resolved": ""}),
    },
    "research:enterprise_visit_edit": lambda cast: {
        "date": "2023-10-10",
        "enterprise": cast.research_enterprise.pk,
        "cadre": "王五",
        "notes": "座谈",
        **_issues(
            {"id": cast.research_issue.pk, "content": "用工难", "handling": "已对接", "resolved": "on"}
        ),
    },
    "research:issue_edit": lambda cast: {"handling": "已协调人社所", "resolved": "on"},
}


def _topic_created(cast):
    return ResearchTopic.objects.filter(title="新课题").exists()


def _topic_renamed(cast):
    return ResearchTopic.objects.get(pk=cast.research_topic.pk).title == "乡村振兴深调研"


def _topic_deleted(cast):
    return ResearchTopic.all_objects.get(pk=cast.research_topic_empty.pk).is_deleted


def _visit_created(cast):
    return ResearchVisit.objects.filter(place="甲机关").exists()


def _visit_edited(cast):
    return ResearchVisit.objects.get(pk=cast.research_visit.pk).place == "甲一村村部"


def _visit_deleted(cast):
    return ResearchVisit.all_objects.get(pk=cast.research_visit.pk).is_deleted


def _action_created(cast):
    return ActionItem.objects.filter(content="新事项").exists()


def _action_done(cast):
    return ActionItem.objects.get(pk=cast.research_action.pk).status == "已完成"


def _action_deleted(cast):
    return ActionItem.all_objects.get(pk=cast.research_action.pk).is_deleted


def _action_restored(cast):
    return not ActionItem.all_objects.get(pk=cast.research_action_deleted.pk).is_deleted


def _enterprise_created(cast):
    return Enterprise.objects.filter(name="甲乡茶业公司").exists()


def _enterprise_renamed(cast):
    return Enterprise.objects.get(pk=cast.research_enterprise.pk).name == "甲乡禽蛋有限公司"


def _enterprise_deleted(cast):
    return Enterprise.all_objects.get(pk=cast.research_enterprise_empty.pk).is_deleted


def _enterprise_visit_created(cast):
    return EnterpriseIssue.objects.filter(content="电力不足").exists()


def _enterprise_visit_edited(cast):
    return EnterpriseIssue.objects.get(pk=cast.research_issue.pk).handling == "已对接"


def _enterprise_visit_deleted(cast):
    return EnterpriseVisit.all_objects.get(pk=cast.research_enterprise_visit.pk).is_deleted


def _issue_resolved(cast):
    return EnterpriseIssue.objects.get(pk=cast.research_issue.pk).resolved


# fmt: off
POST_MATRIX = [
    # url name                            object                         effect                      root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    # admin_b may create, but not in township A: the form refuses the committee, topic or unit (200).
    ("research:topic_create",             None,                          _topic_created,             302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("research:topic_edit",               "research_topic",              _topic_renamed,             302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:topic_delete",             "research_topic_empty",        _topic_deleted,             302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:visit_create",             None,                          _visit_created,             302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("research:visit_edit",               "research_visit",              _visit_edited,              302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:visit_delete",             "research_visit",              _visit_deleted,             302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:action_create",            None,                          _action_created,            302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("research:action_edit",              "research_action",             _action_done,               302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("research:action_delete",            "research_action",             _action_deleted,            302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("research:restore",                  "research_deleted_action",     _action_restored,           302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("research:enterprise_create",        None,                          _enterprise_created,        302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("research:enterprise_edit",          "research_enterprise",         _enterprise_renamed,        302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:enterprise_delete",        "research_enterprise_empty",   _enterprise_deleted,        302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:enterprise_visit_create",  None,                          _enterprise_visit_created,  302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("research:enterprise_visit_edit",    "research_enterprise_visit",   _enterprise_visit_edited,   302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:enterprise_visit_delete",  "research_enterprise_visit",   _enterprise_visit_deleted,  302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("research:issue_edit",               "research_issue",              _issue_resolved,            302, 403,  302,  404,   404,   404,  404,   404,   302),
]
# fmt: on
