"""Every change leaves a history entry: who, what (field: old → new, in Chinese), and why."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from taizhang.core.history import history_of
from taizhang.orgs import services
from taizhang.orgs.models import Member


def changes(entry) -> list[tuple[str, str, str]]:
    return [(c.field, c.old, c.new) for c in entry.changes]


def test_create_is_recorded_with_the_acting_user(cast):
    member = services.member_create(
        actor=cast.sec_a1, name="孙七", organisation=cast.branch_a1, category="农村", gender="女"
    )
    [entry] = history_of(member)
    assert (entry.action, entry.who, entry.reason) == ("新增", "sec_a1", "新增党员")


def test_update_lists_each_changed_field_with_its_chinese_name(cast):
    services.member_update(
        actor=cast.sec_a1,
        member=cast.zhang,
        post="村委委员",
        category="流动",
        joined_on=datetime.date(1998, 7, 1),
    )
    entry = history_of(cast.zhang)[0]
    assert (entry.action, entry.who) == ("修改", "sec_a1")
    assert sorted(changes(entry)) == sorted(
        [
            ("职务", "（空）", "村委委员"),
            ("党员类别", "农村", "流动"),
            ("入党时间", "2000年7月1日", "1998年7月1日"),
        ]
    )


def test_display_name_is_shown_as_the_actor(cast):
    cast.admin_a.display_name = "刘组织委员"
    cast.admin_a.save()
    services.member_update(actor=cast.admin_a, member=cast.zhang, post="委员")
    assert history_of(cast.zhang)[0].who == "刘组织委员"


def test_transfer_shows_the_organisations_by_name(cast):
    services.member_transfer(actor=cast.admin_a, member=cast.zhang, organisation=cast.branch_a2)
    entry = history_of(cast.zhang)[0]
    assert entry.who == "admin_a"
    assert entry.reason == "组织关系由“甲一村党支部”转至“甲机关党支部”"
    assert changes(entry) == [("所在组织", "甲一村党支部", "甲机关党支部")]


def test_delete_and_restore_are_named_as_such(cast):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    zhang = Member.all_objects.get(pk=cast.zhang.pk)
    services.member_restore(actor=cast.admin_a, member=zhang)
    restored, deleted = history_of(zhang)[:2]
    assert (deleted.action, deleted.who, deleted.reason) == ("删除", "sec_a1", "删除党员")
    assert (restored.action, restored.who, restored.reason) == ("恢复", "admin_a", "恢复")
    # The deletion time is the action itself, not a field change.
    assert changes(deleted) == [] and changes(restored) == []


def test_delete_and_restore_show_on_the_detail_page(cast, client_as):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    services.member_restore(actor=cast.admin_a, member=Member.all_objects.get(pk=cast.zhang.pk))
    response = client_as(cast.admin_a).get(reverse("orgs:member_detail", args=[cast.zhang.pk]))
    assert [h.action for h in response.context["history"]] == ["恢复", "删除", "新增"]
    html = response.content.decode()
    assert html.index("恢复") < html.index("删除党员")


def test_organisation_changes_are_recorded(cast):
    services.organisation_update(
        actor=cast.admin_a, org=cast.branch_a1, secretary=cast.zhang, parent=cast.general_a
    )
    entry = history_of(cast.branch_a1)[0]
    assert entry.who == "admin_a" and entry.reason == "调整上级组织"
    assert sorted(changes(entry)) == sorted(
        [("书记", "（空）", "张三"), ("上级组织", "甲乡党委", "甲乡机关党总支")]
    )


def test_retire_shows_the_date_in_chinese(cast):
    services.member_transfer(actor=cast.admin_a, member=cast.wang, organisation=cast.branch_a1)
    cast.sec_a2.is_active = False  # an organisation with an account in use cannot be retired
    cast.sec_a2.save()
    services.organisation_retire(actor=cast.admin_a, org=cast.branch_a2, on=datetime.date(2024, 1, 31))
    entry = history_of(cast.branch_a2)[0]
    assert entry.reason == "撤销组织"
    assert changes(entry) == [("撤销日期", "（空）", "2024年1月31日")]


def test_history_is_newest_first_and_limited(cast):
    for i in range(5):
        services.member_update(actor=cast.sec_a1, member=cast.zhang, post=f"职务{i}")
    entries = history_of(cast.zhang, limit=3)
    assert len(entries) == 3
    assert [changes(e)[0][2] for e in entries] == ["职务4", "职务3", "职务2"]
    # The oldest shown still compares against the one before it, which is not shown.
    assert changes(entries[-1]) == [("职务", "职务1", "职务2")]


def test_a_change_made_through_a_page_records_the_user_of_the_request(cast, client_as):
    client_as(cast.sec_a1).post(
        reverse("orgs:member_edit", args=[cast.zhang.pk]),
        {
            "name": "张三",
            "gender": "男",
            "category": "农村",
            "mobile": "13800001111",
            "joined_on": "2000-07-01",
            "post": "组织委员",
        },
    )
    record = cast.zhang.history.first()
    assert record.history_user == cast.sec_a1
    assert changes(history_of(cast.zhang)[0]) == [("职务", "（空）", "组织委员")]


def test_member_detail_page_shows_the_history(cast, client_as):
    services.member_update(actor=cast.sec_a1, member=cast.zhang, post="村委委员")
    services.member_transfer(actor=cast.admin_a, member=cast.zhang, organisation=cast.branch_a2)
    html = client_as(cast.admin_a).get(reverse("orgs:member_detail", args=[cast.zhang.pk])).content.decode()
    assert "修改记录" in html
    assert "职务：（空） → 村委委员" in html
    assert "所在组织：甲一村党支部 → 甲机关党支部" in html
    assert "组织关系由“甲一村党支部”转至“甲机关党支部”" in html
    assert "sec_a1" in html and "admin_a" in html


def test_org_detail_page_shows_the_history(cast, client_as):
    services.organisation_update(actor=cast.admin_a, org=cast.branch_a1, short_name="甲一村")
    html = client_as(cast.admin_a).get(reverse("orgs:org_detail", args=[cast.branch_a1.pk])).content.decode()
    assert "简称：甲一村党 → 甲一村" in html


def test_a_refused_change_leaves_no_history(cast):
    before = cast.zhang.history.count()
    with pytest.raises(ValidationError):
        services.member_update(actor=cast.sec_a1, member=cast.zhang, mobile="123")
    assert cast.zhang.history.count() == before


def test_many_to_many_changes_show_the_related_records_by_name(cast):
    from taizhang.campaigns.models import Campaign

    campaign = Campaign.objects.create(
        code="2024-test",
        name="测试",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 2, 1),
    )
    campaign.organisations.add(cast.township_a)
    campaign.organisations.add(cast.township_b)
    campaign.organisations.remove(cast.township_a, cast.township_b)
    cleared, added_b, added_a = history_of(campaign)[:3]
    assert changes(added_a) == [("覆盖组织", "（空）", "甲乡党委")]
    assert changes(added_b) == [("覆盖组织", "甲乡党委", "甲乡党委、乙乡党委")]
    assert changes(cleared) == [("覆盖组织", "甲乡党委、乙乡党委", "（空）")]
