"""Writes of the research area: validated with Chinese messages naming the field, all or nothing, history
with the acting user, and nothing written into or moved to another township."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.core.deadlines import today
from taizhang.core.history import history_of
from taizhang.research import services
from taizhang.research.models import (
    ActionItem,
    Enterprise,
    EnterpriseIssue,
    EnterpriseVisit,
    ResearchTopic,
    ResearchVisit,
)

from .conftest import DAY, item


def changes(entry):
    return [(c.field, c.old, c.new) for c in entry.changes]


# Topics and visits -----------------------------------------------------------------------------------


def test_a_visit_belongs_to_its_topic_s_committee_and_keeps_its_findings_as_lines(cast, visit):
    assert visit.organisation == cast.township_a
    assert visit.finding_lines == ["村道水毁", "路灯损坏"]
    assert visit.findings == "村道水毁\n路灯损坏"
    assert set(visit.participants.all()) == {cast.zhang, cast.li}


def test_creating_a_visit_is_one_history_entry_with_its_participants(cast, visit):
    [entry] = history_of(visit)
    assert (entry.action, entry.who, entry.reason) == ("新增", "admin_a", "新增调研走访")
    # The historical through table has no order of its own (PostgreSQL returns it in any order).
    assert sorted(visit.history.get().participants.values_list("member__name", flat=True)) == ["张三", "李四"]


def test_changing_participants_shows_them_by_name_in_one_entry(cast, visit):
    services.research_visit_update(
        actor=cast.admin_a, visit=visit, participants=[cast.zhang], place="甲一村村部"
    )
    entry, created = history_of(visit)
    assert created.action == "新增"
    assert sorted(changes(entry)) == [
        ("参加人员", "张三、李四", "张三"),
        ("调研地点", "甲一村", "甲一村村部"),
    ]


def test_topic_members_are_recorded_with_the_topic(cast):
    topic = services.research_topic_create(
        actor=cast.admin_a, organisation=cast.township_a, title="课题", leader=cast.wang, members=[cast.zhang]
    )
    services.research_topic_update(actor=cast.admin_a, topic=topic, members=[cast.zhang, cast.wang])
    assert changes(history_of(topic)[0]) == [("课题组成员", "张三", "张三、王五")]


def test_a_topic_belongs_to_a_committee(cast):
    with pytest.raises(ValidationError) as exc:
        services.research_topic_create(
            actor=cast.admin_a, organisation=cast.branch_a1, title="课题", leader=cast.zhang
        )
    assert exc.value.message_dict["organisation"] == ["调研课题应属于乡党委，“甲一村党支部”是党支部。"]


def test_a_participant_of_another_township_is_refused_and_nothing_is_saved(cast, topic):
    with pytest.raises(ValidationError) as exc:
        services.research_visit_create(
            actor=cast.admin_a,
            date=DAY,
            topic=topic,
            leader=cast.wang,
            place="甲一村",
            place_kind="村",
            participants=[cast.zhang, cast.zhao],
        )
    assert exc.value.message_dict == {"participants": ["赵六不是本乡的党员。"]}
    assert not ResearchVisit.all_objects.exists()
    assert not ResearchVisit.history.exists()


def test_a_leader_of_another_township_is_refused(cast, topic):
    with pytest.raises(ValidationError) as exc:
        services.research_visit_create(
            actor=cast.admin_a, date=DAY, topic=topic, leader=cast.zhao, place="甲一村", place_kind="村"
        )
    assert exc.value.message_dict == {"leader": ["赵六不是本乡的党员。"]}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"place": ""}, "place", "请填写调研地点。"),
        ({"place_kind": "医院"}, "place_kind", "地点类型的值“医院”不在可选范围内。"),
        ({"date": None}, "date", "请填写日期。"),
    ],
)
def test_bad_visits_name_the_field(cast, topic, data, field, message):
    values = {"date": DAY, "topic": topic, "leader": cast.wang, "place": "甲一村", "place_kind": "村", **data}
    with pytest.raises(ValidationError) as exc:
        services.research_visit_create(actor=cast.admin_a, **values)
    assert exc.value.message_dict[field] == [message]


def test_a_visit_cannot_lie_in_the_future(cast, topic):
    with pytest.raises(ValidationError) as exc:
        services.research_visit_create(
            actor=cast.admin_a,
            date=today() + datetime.timedelta(days=1),
            topic=topic,
            leader=cast.wang,
            place="甲一村",
            place_kind="村",
        )
    assert exc.value.message_dict == {"date": ["调研日期不能晚于今天。"]}


def test_date_and_place_are_unique_within_a_township(cast, visit):
    with pytest.raises(ValidationError, match="同一天在该调研地点已有调研走访记录"):
        services.research_visit_create(
            actor=cast.admin_a, date=DAY, topic=visit.topic, leader=cast.wang, place="甲一村", place_kind="村"
        )
    topic_b = services.research_topic_create(
        actor=cast.admin_b, organisation=cast.township_b, title="乙乡课题", leader=cast.zhao
    )
    services.research_visit_create(
        actor=cast.admin_b, date=DAY, topic=topic_b, leader=cast.zhao, place="甲一村", place_kind="村"
    )


def test_research_is_written_by_township_admins_only(cast, topic):
    for actor in (cast.sec_a1, cast.county_viewer, cast.admin_b, cast.nobody):
        with pytest.raises(PermissionDenied):
            services.research_visit_create(
                actor=actor, date=DAY, topic=topic, leader=cast.wang, place="甲一村", place_kind="村"
            )
    assert not ResearchVisit.objects.exists()


def test_a_visit_cannot_be_moved_to_another_township_s_topic(cast, visit):
    topic_b = services.research_topic_create(
        actor=cast.admin_b, organisation=cast.township_b, title="乙乡课题", leader=cast.zhao
    )
    with pytest.raises(PermissionDenied):  # valid in township B, but out of admin_a's reach
        services.research_visit_update(
            actor=cast.admin_a, visit=visit, topic=topic_b, leader=cast.zhao, participants=[]
        )
    visit.refresh_from_db()
    assert visit.topic_id != topic_b.pk and visit.participants.count() == 2


def test_a_topic_with_visits_is_not_deleted(cast, visit):
    with pytest.raises(ValidationError, match="还有1次调研走访"):
        services.research_topic_delete(actor=cast.admin_a, topic=visit.topic)
    assert not ResearchTopic.all_objects.get(pk=visit.topic_id).is_deleted


def test_a_visit_of_a_deleted_topic_is_not_restored_before_the_topic(cast, visit):
    topic = visit.topic
    services.research_visit_delete(actor=cast.admin_a, visit=visit)
    services.research_topic_delete(actor=cast.admin_a, topic=topic)
    visit = ResearchVisit.all_objects.get(pk=visit.pk)
    with pytest.raises(ValidationError, match="已删除，请先在回收站中恢复该课题"):
        services.research_restore(actor=cast.admin_a, obj=visit)
    services.research_restore(actor=cast.admin_a, obj=ResearchTopic.all_objects.get(pk=topic.pk))
    services.research_restore(actor=cast.admin_a, obj=ResearchVisit.all_objects.get(pk=visit.pk))
    assert ResearchVisit.objects.filter(pk=visit.pk).exists()


# Action items ----------------------------------------------------------------------------------------


def test_a_finding_becomes_an_action_item_of_the_visit_s_topic(cast, visit):
    action = item(cast, content="村道水毁", source_visit=visit, leader=visit.leader)
    assert (action.source_topic, action.township, action.serial) == (visit.topic, cast.township_a, 1)
    assert history_of(action)[0].reason == "由调研发现的问题转入干事创业清单"


def test_serials_count_per_township_and_the_township_follows_the_unit(cast):
    first = item(cast)
    second = item(cast, organisation=cast.branch_a2)  # a branch inside the general branch
    in_b = item(cast, actor=cast.admin_b, organisation=cast.branch_b1)
    assert (first.serial, second.serial, in_b.serial) == (1, 2, 1)
    assert second.township == cast.township_a and in_b.township == cast.township_b


def test_a_serial_is_unique_within_the_township(cast):
    item(cast, serial=7)
    with pytest.raises(ValidationError) as exc:
        item(cast, serial=7, organisation=cast.branch_a1)
    assert exc.value.messages == ["本乡干事创业清单中已有该序号。"]
    item(cast, serial=7, actor=cast.admin_b, organisation=cast.township_b)
    assert ActionItem.objects.filter(serial=7).count() == 2


def test_a_deleted_item_keeps_its_serial(cast):
    first = item(cast)
    services.action_item_delete(actor=cast.admin_a, item=first)
    assert item(cast).serial == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "已完成"}, "completed_on", "状态为“已完成”时，请填写完成时间。"),
        (
            {"status": "推进中", "completed_on": DAY},
            "completed_on",
            "事项尚未完成，不应填写完成时间；已完成请将状态改为“已完成”。",
        ),
        (
            {"status": "已完成", "completed_on": today() + datetime.timedelta(days=2)},
            "completed_on",
            "完成时间不能晚于今天。",
        ),
        (
            {"raised_on": DAY, "deadline": DAY - datetime.timedelta(days=1)},
            "deadline",
            "完成时限不能早于提出日期。",
        ),
        ({"content": ""}, "content", "请填写事项。"),
        ({"status": "办结"}, "status", "状态的值“办结”不在可选范围内。"),
    ],
)
def test_bad_action_items_name_the_field(cast, data, field, message):
    with pytest.raises(ValidationError) as exc:
        item(cast, **data)
    assert exc.value.message_dict[field] == [message]
    assert not ActionItem.all_objects.exists()


def test_an_item_cannot_name_another_township_s_leader_or_topic(cast):
    topic_b = services.research_topic_create(
        actor=cast.admin_b, organisation=cast.township_b, title="乙乡课题", leader=cast.zhao
    )
    with pytest.raises(ValidationError) as exc:
        item(cast, leader=cast.zhao)
    assert exc.value.message_dict == {"leader": ["赵六不是本乡的党员。"]}
    with pytest.raises(ValidationError) as exc:
        item(cast, source_topic=topic_b)
    assert exc.value.message_dict == {"source_topic": ["调研课题“乙乡课题”不是本乡的课题。"]}


def test_branch_secretaries_read_but_do_not_write_their_branch_s_items(cast):
    action = item(cast, organisation=cast.branch_a1)
    assert ActionItem.objects.visible_to(cast.sec_a1).get() == action
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=cast.sec_a1, item=action, status="推进中")
    with pytest.raises(PermissionDenied):
        item(cast, actor=cast.sec_a1, organisation=cast.branch_a1)


def test_an_item_cannot_be_handed_to_another_township(cast):
    action = item(cast)
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=cast.admin_a, item=action, organisation=cast.branch_b1)
    action.refresh_from_db()
    assert action.organisation == cast.township_a
    assert action.history.count() == 1


def test_completing_an_item_is_recorded(cast):
    action = item(cast, deadline=DAY)
    services.action_item_update(
        actor=cast.admin_a, item=action, status="已完成", completed_on=DAY, result="已修复"
    )
    assert sorted(changes(history_of(action)[0])) == [
        ("完成情况", "（空）", "已修复"),
        ("完成时间", "（空）", "2023年10月10日"),
        ("状态", "未开始", "已完成"),
    ]


# Enterprises and their visits ------------------------------------------------------------------------


def _visit(cast, enterprise, issues=(), **data):
    values = {"date": DAY, "enterprise": enterprise, "cadre": cast.wang, **data}
    return services.enterprise_visit_create(actor=cast.admin_a, issues=list(issues), **values)


def test_a_visit_and_its_issues_are_saved_together(cast, enterprise):
    visit = _visit(
        cast,
        enterprise,
        [
            {"content": "用工难", "handling": "", "resolved": False},
            {"content": "用电不足", "handling": "已协调供电所", "resolved": True},
        ],
    )
    assert visit.organisation == cast.township_a
    assert list(visit.issues.values_list("content", "resolved")) == [("用工难", False), ("用电不足", True)]


def test_a_bad_issue_saves_neither_the_visit_nor_its_other_issues(cast, enterprise):
    with pytest.raises(ValidationError) as exc:
        _visit(
            cast,
            enterprise,
            [
                {"content": "用工难", "handling": "", "resolved": False},
                {"content": "用电不足", "handling": "", "resolved": True},
            ],
        )
    assert exc.value.messages == ["第2条问题：已解决的问题，请填写解决情况。"]
    assert not EnterpriseVisit.all_objects.exists() and not EnterpriseIssue.all_objects.exists()


def test_updating_a_visit_edits_adds_and_deletes_issues(cast, enterprise):
    visit = _visit(
        cast,
        enterprise,
        [
            {"content": "用工难", "handling": "", "resolved": False},
            {"content": "融资难", "handling": "", "resolved": False},
        ],
    )
    first, second = visit.issues.all()
    services.enterprise_visit_update(
        actor=cast.admin_a,
        visit=visit,
        notes="座谈",
        issues=[
            {"id": first.pk, "content": "用工难", "handling": "已推荐工人", "resolved": True},
            {"id": second.pk, "content": "融资难", "handling": "", "resolved": False, "delete": True},
            {"content": "道路窄", "handling": "", "resolved": False},
        ],
    )
    assert list(visit.issues.values_list("content", "resolved")) == [("用工难", True), ("道路窄", False)]
    assert EnterpriseIssue.all_objects.get(pk=second.pk).is_deleted


def test_an_unchanged_issue_gets_no_empty_history_entry(cast, enterprise):
    visit = _visit(cast, enterprise, [{"content": "用工难", "handling": "", "resolved": False}])
    issue = visit.issues.get()
    services.enterprise_visit_update(
        actor=cast.admin_a,
        visit=visit,
        issues=[{"id": issue.pk, "content": "用工难", "handling": "", "resolved": False}],
    )
    assert issue.history.count() == 1


def test_an_issue_of_another_visit_is_refused(cast, enterprise):
    other = _visit(cast, enterprise, [{"content": "用工难", "handling": "", "resolved": False}])
    visit = _visit(cast, enterprise, date=DAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="第1条问题不属于这次走访"):
        services.enterprise_visit_update(
            actor=cast.admin_a,
            visit=visit,
            issues=[{"id": other.issues.get().pk, "content": "改掉", "handling": "", "resolved": False}],
        )
    assert other.issues.get().content == "用工难"


def test_a_cadre_visits_an_enterprise_once_a_day(cast, enterprise):
    _visit(cast, enterprise)
    with pytest.raises(ValidationError, match="该干部当天已登记过对该企业的走访"):
        _visit(cast, enterprise)


def test_a_visit_names_a_cadre_of_the_township(cast, enterprise):
    with pytest.raises(ValidationError) as exc:
        _visit(cast, enterprise, cadre=cast.zhao)
    assert exc.value.message_dict == {"cadre": ["赵六不是本乡的党员。"]}


def test_an_enterprise_with_visits_stays_in_the_register(cast, enterprise):
    _visit(cast, enterprise)
    with pytest.raises(ValidationError, match="已有1次走访记录"):
        services.enterprise_delete(actor=cast.admin_a, enterprise=enterprise)


def test_enterprise_names_are_unique_within_a_township(cast, enterprise):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(actor=cast.admin_a, organisation=cast.township_a, name=" 甲乡禽蛋公司 ")
    assert exc.value.messages == ["本乡企业名录中已有同名企业。"]
    services.enterprise_create(actor=cast.admin_b, organisation=cast.township_b, name="甲乡禽蛋公司")
    assert Enterprise.objects.count() == 2


def test_deleting_a_visit_takes_its_issues_and_restoring_brings_them_back(cast, enterprise):
    visit = _visit(
        cast,
        enterprise,
        [
            {"content": "用工难", "handling": "", "resolved": False},
            {"content": "融资难", "handling": "", "resolved": False},
        ],
    )
    earlier, later = visit.issues.all()
    services.enterprise_visit_update(
        actor=cast.admin_a,
        visit=visit,
        issues=[{"id": earlier.pk, "content": "用工难", "handling": "", "resolved": False, "delete": True}],
    )
    services.enterprise_visit_delete(actor=cast.admin_a, visit=visit)
    assert not EnterpriseIssue.objects.exists()
    services.research_restore(actor=cast.admin_a, obj=EnterpriseVisit.all_objects.get(pk=visit.pk))
    # The issue deleted before the visit stays deleted.
    assert list(EnterpriseIssue.objects.values_list("pk", flat=True)) == [later.pk]


def test_only_township_admins_restore(cast, enterprise):
    services.enterprise_delete(actor=cast.admin_a, enterprise=enterprise)
    deleted = Enterprise.all_objects.get(pk=enterprise.pk)
    with pytest.raises(PermissionDenied):
        services.research_restore(actor=cast.admin_b, obj=deleted)
    services.research_restore(actor=cast.admin_a, obj=deleted)
    assert history_of(deleted)[0].action == "恢复"
