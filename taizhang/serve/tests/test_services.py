"""Writes of the serve area: a branch secretary records his own branch's, a township admin his township's;
validated with Chinese messages naming the field, all or nothing, history with the acting user."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.core.deadlines import today
from taizhang.core.history import history_of
from taizhang.serve import services
from taizhang.serve.models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost

DAY = datetime.date(2023, 10, 10)


def changes(entry):
    return [(c.field, c.old, c.new) for c in entry.changes]


def project(cast, **data):
    data.setdefault("name", "路灯维护")
    data.setdefault("organisation", cast.branch_a1)
    return services.service_project_create(actor=data.pop("actor", cast.sec_a1), **data)


def publicity(cast, **data):
    values = {
        "date": DAY,
        "organisation": cast.branch_a1,
        "kind": "横幅标语",
        "quantity": 2,
        "content": "村部门口",
    }
    values.update(data)
    return services.publicity_item_create(actor=values.pop("actor", cast.sec_a1), **values)


# Service projects ------------------------------------------------------------------------------------


def test_a_secretary_records_his_branch_s_project_with_a_township_leader(cast):
    done = project(
        cast, leader=cast.wang, handling="立刻办", status="已完成", completed_on=DAY, result="修好12盏"
    )
    assert (done.township, done.serial, done.leader) == (cast.township_a, 1, cast.wang)
    [entry] = history_of(done)
    assert (entry.action, entry.who, entry.reason) == ("新增", "sec_a1", "新增为民办实事")


def test_a_secretary_cannot_record_for_another_branch(cast):
    with pytest.raises(PermissionDenied):
        project(cast, organisation=cast.branch_a2)
    with pytest.raises(PermissionDenied):
        project(cast, actor=cast.county_viewer)
    assert not ServiceProject.all_objects.exists()


def test_a_project_cannot_be_moved_out_of_reach(cast):
    mine = project(cast)
    with pytest.raises(PermissionDenied):
        services.service_project_update(actor=cast.sec_a1, project=mine, organisation=cast.township_a)
    with pytest.raises(PermissionDenied):
        services.service_project_update(actor=cast.admin_a, project=mine, organisation=cast.branch_b1)
    mine.refresh_from_db()
    assert mine.organisation == cast.branch_a1 and mine.history.count() == 1


def test_serials_are_per_township_whichever_organisation_records(cast):
    first = project(cast)
    second = project(cast, actor=cast.sec_a2, organisation=cast.branch_a2)
    in_b = project(cast, actor=cast.sec_b1, organisation=cast.branch_b1)
    assert (first.serial, second.serial, in_b.serial) == (1, 2, 1)
    with pytest.raises(ValidationError) as exc:
        project(cast, actor=cast.sec_a2, organisation=cast.branch_a2, serial=1)
    assert exc.value.messages == ["本乡为民办实事中已有该序号。"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "请填写项目名称。"),
        ({"status": "已完成"}, "completed_on", "状态为“已完成”时，请填写完成时间。"),
        (
            {"status": "推进中", "completed_on": DAY},
            "completed_on",
            "项目尚未完成，不应填写完成时间；已完成请将状态改为“已完成”。",
        ),
        (
            {"status": "已完成", "completed_on": today() + datetime.timedelta(days=1)},
            "completed_on",
            "完成时间不能晚于今天。",
        ),
        ({"handling": "马上办"}, "handling", "办理方式的值“马上办”不在可选范围内。"),
    ],
)
def test_bad_projects_name_the_field(cast, data, field, message):
    with pytest.raises(ValidationError) as exc:
        project(cast, **data)
    assert exc.value.message_dict[field] == [message]
    assert not ServiceProject.all_objects.exists()


def test_a_leader_of_another_township_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        project(cast, leader=cast.zhao)
    assert exc.value.message_dict == {"leader": ["赵六不是“甲乡党委”的党员。"]}


def test_a_project_at_county_level_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        project(cast, actor=cast.root, organisation=cast.county)
    assert exc.value.message_dict == {
        "organisation": ["“XX县委”不属于任何乡党委，请选择乡党委或其下级组织。"]
    }


def test_completing_a_project_is_recorded(cast):
    mine = project(cast, planned_on=DAY)
    services.service_project_update(actor=cast.sec_a1, project=mine, status="已完成", completed_on=DAY)
    assert sorted(changes(history_of(mine)[0])) == [
        ("完成时间", "（空）", "2023年10月10日"),
        ("状态", "未开始", "已完成"),
    ]


def test_delete_and_restore(cast):
    mine = project(cast)
    services.service_project_delete(actor=cast.sec_a1, project=mine)
    deleted = ServiceProject.all_objects.get(pk=mine.pk)
    with pytest.raises(PermissionDenied):  # restoring is for township admins
        services.serve_restore(actor=cast.sec_a1, obj=deleted)
    services.serve_restore(actor=cast.admin_a, obj=deleted)
    assert [e.action for e in history_of(deleted)] == ["恢复", "删除", "新增"]


# Partnerships ----------------------------------------------------------------------------------------


def test_a_partnership_with_its_activities(cast):
    pair = services.partnership_create(
        actor=cast.sec_a1, partner=" 市商务局 ", organisation=cast.branch_a1, signed_on=DAY
    )
    activity = services.joint_activity_create(
        actor=cast.sec_a1, partnership=pair, date=DAY, title="认领一片桔", participant_count=45
    )
    assert pair.partner == "市商务局"
    assert list(pair.activities.all()) == [activity]
    with pytest.raises(ValidationError, match="已有1次共建活动"):
        services.partnership_delete(actor=cast.sec_a1, partnership=pair)
    assert not Partnership.all_objects.get(pk=pair.pk).is_deleted


def test_a_unit_is_paired_once_with_an_organisation(cast):
    services.partnership_create(actor=cast.sec_a1, partner="市商务局", organisation=cast.branch_a1)
    with pytest.raises(ValidationError) as exc:
        services.partnership_create(actor=cast.sec_a1, partner="市商务局", organisation=cast.branch_a1)
    assert exc.value.messages == ["本方组织已与该单位结对共建。"]
    services.partnership_create(actor=cast.admin_a, partner="市商务局", organisation=cast.township_a)


def test_an_activity_of_another_branch_s_partnership_is_refused(cast):
    pair = services.partnership_create(actor=cast.sec_a1, partner="市商务局", organisation=cast.branch_a1)
    with pytest.raises(PermissionDenied):
        services.joint_activity_create(actor=cast.sec_a2, partnership=pair, date=DAY, title="活动")
    assert not JointActivity.all_objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "请填写活动名称。"),
        ({"date": today() + datetime.timedelta(days=3)}, "date", "活动日期不能晚于今天。"),
    ],
)
def test_bad_activities_name_the_field(cast, data, field, message):
    pair = services.partnership_create(actor=cast.sec_a1, partner="市商务局", organisation=cast.branch_a1)
    with pytest.raises(ValidationError) as exc:
        services.joint_activity_create(
            actor=cast.sec_a1, partnership=pair, **{"date": DAY, "title": "活动", **data}
        )
    assert exc.value.message_dict[field] == [message]


# Vanguard posts --------------------------------------------------------------------------------------


def test_a_post_and_its_members_are_one_history_entry(cast):
    post = services.vanguard_post_create(
        actor=cast.sec_a1,
        kind="党员先锋岗",
        name="便民服务岗",
        organisation=cast.branch_a1,
        members=[cast.zhang],
    )
    [entry] = history_of(post)
    assert entry.action == "新增"
    services.vanguard_post_update(actor=cast.sec_a1, post=post, members=[cast.zhang, cast.li])
    assert changes(history_of(post)[0]) == [("成员", "张三", "张三、李四")]


def test_post_members_belong_to_its_organisation(cast):
    with pytest.raises(ValidationError) as exc:
        services.vanguard_post_create(
            actor=cast.admin_a,
            kind="党员突击队",
            name="防汛突击队",
            organisation=cast.branch_a1,
            members=[cast.wang],
        )
    assert exc.value.message_dict == {"members": ["王五不是“甲一村党支部”的党员。"]}
    assert not VanguardPost.all_objects.exists()
    team = services.vanguard_post_create(
        actor=cast.admin_a,
        kind="党员突击队",
        name="防汛突击队",
        organisation=cast.township_a,
        members=[cast.wang, cast.zhang],
    )
    assert team.members.count() == 2


def test_a_post_kind_is_one_of_three(cast):
    with pytest.raises(ValidationError) as exc:
        services.vanguard_post_create(
            actor=cast.sec_a1, kind="示范岗", name="岗", organisation=cast.branch_a1
        )
    assert exc.value.message_dict == {"kind": ["类型的值“示范岗”不在可选范围内。"]}


# Publicity -------------------------------------------------------------------------------------------


def test_publicity_belongs_to_the_township_of_its_organisation(cast):
    item = publicity(cast)
    assert item.township == cast.township_a


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"quantity": 0}, "quantity", "数量至少为1。"),
        ({"content": ""}, "content", "请填写内容或位置。"),
        ({"kind": "海报"}, "kind", "类型的值“海报”不在可选范围内。"),
        ({"date": today() + datetime.timedelta(days=1)}, "date", "日期不能晚于今天。"),
    ],
)
def test_bad_publicity_names_the_field(cast, data, field, message):
    with pytest.raises(ValidationError) as exc:
        publicity(cast, **data)
    assert message in exc.value.message_dict[field]
    assert not PublicityItem.all_objects.exists()


def test_date_kind_and_place_are_unique_within_the_township(cast):
    publicity(cast)
    with pytest.raises(ValidationError) as exc:
        publicity(cast, actor=cast.sec_a2, organisation=cast.branch_a2)
    assert exc.value.messages == ["本乡同一天已登记过同类型、同内容（位置）的宣传。"]
    publicity(cast, actor=cast.sec_b1, organisation=cast.branch_b1)
    assert PublicityItem.objects.count() == 2
