"""Services of organisations and members: they validate, check the scope, record history and are atomic."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.orgs import services
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Member, Organisation
from taizhang.orgs.selectors import org_tree, registry_summary

# Organisations -----------------------------------------------------------------------------------------


def test_admin_creates_a_branch_in_his_township(cast):
    org = services.organisation_create(
        actor=cast.admin_a, name="甲二村党支部", kind=OrgKind.BRANCH, parent=cast.township_a
    )
    assert org.pk and org.parent == cast.township_a
    assert org.history.get().history_user == cast.admin_a


def test_branch_under_county_is_refused_by_the_service(cast):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            actor=cast.root, name="县直党支部", kind=OrgKind.BRANCH, parent=cast.county
        )
    assert "上级组织" in exc.value.message_dict["parent"][0]
    assert not Organisation.objects.filter(name="县直党支部").exists()


def test_moving_an_organisation_under_its_descendant_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(actor=cast.root, org=cast.township_a, parent=cast.branch_a2)
    assert "下级组织" in exc.value.message_dict["parent"][0]
    assert Organisation.objects.get(pk=cast.township_a.pk).parent_id == cast.county.pk


def test_admin_moves_a_branch_within_his_township(cast):
    services.organisation_update(actor=cast.admin_a, org=cast.branch_a1, parent=cast.general_a)
    assert Organisation.objects.get(pk=cast.branch_a1.pk).parent_id == cast.general_a.pk
    assert cast.branch_a1.history.first().history_change_reason == "调整上级组织"


def test_unknown_field_is_a_programming_error(cast):
    with pytest.raises(ValueError):
        services.organisation_update(actor=cast.admin_a, org=cast.branch_a1, retired_at=datetime.date.today())
    with pytest.raises(ValueError):
        services.member_update(actor=cast.admin_a, member=cast.zhang, deleted_at=None)


def test_retiring_an_organisation_with_members_is_refused_saying_how_many(cast):
    with pytest.raises(ValidationError) as exc:
        services.organisation_retire(actor=cast.admin_a, org=cast.branch_a1)
    assert exc.value.messages == ["“甲一村党支部”还有2名党员，请先将他们转出，再撤销该组织。"]
    assert not Organisation.objects.get(pk=cast.branch_a1.pk).is_retired


def test_retiring_an_organisation_with_active_children_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.organisation_retire(actor=cast.admin_a, org=cast.general_a)
    assert "1个未撤销的下级组织" in exc.value.messages[0]


def test_retire_and_reinstate_are_recorded_in_history(cast):
    services.member_transfer(actor=cast.admin_a, member=cast.wang, organisation=cast.branch_a1)
    cast.sec_a2.is_active = False  # an organisation with an account in use cannot be retired
    cast.sec_a2.save()
    services.organisation_retire(actor=cast.admin_a, org=cast.branch_a2, on=datetime.date(2024, 1, 31))
    branch = Organisation.objects.get(pk=cast.branch_a2.pk)
    assert branch.retired_at == datetime.date(2024, 1, 31)
    assert not Organisation.objects.active().filter(pk=branch.pk).exists()
    with pytest.raises(ValidationError) as exc:
        services.organisation_retire(actor=cast.admin_a, org=branch)
    assert "已于2024年1月31日撤销" in exc.value.messages[0]

    services.organisation_reinstate(actor=cast.admin_a, org=branch)
    assert not Organisation.objects.get(pk=branch.pk).is_retired
    reasons = list(branch.history.values_list("history_change_reason", "history_user__username"))
    assert reasons[:2] == [("恢复组织", "admin_a"), ("撤销组织", "admin_a")]


def test_secretary_cannot_retire_his_branch(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_retire(actor=cast.sec_a1, org=cast.branch_a1)


def test_township_admin_cannot_retire_his_own_committee(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_retire(actor=cast.admin_a, org=cast.township_a)


# Members ------------------------------------------------------------------------------------------------


def new_member(cast, actor=None, **fields):
    data = {"name": "孙七", "organisation": cast.branch_a1, "category": "农村", "gender": "女"}
    data.update(fields)
    return services.member_create(actor=actor or cast.sec_a1, **data)


def test_secretary_adds_a_member_to_his_branch(cast):
    member = new_member(cast, mobile="13600005555")
    assert Member.objects.get(pk=member.pk).organisation == cast.branch_a1
    assert member.history.get().history_user == cast.sec_a1


def test_bad_mobile_is_refused_by_the_service(cast):
    with pytest.raises(ValidationError) as exc:
        new_member(cast, mobile="12345")
    assert "手机号码应为11位" in exc.value.message_dict["mobile"][0]
    assert not Member.all_objects.filter(name="孙七").exists()


@pytest.mark.parametrize(
    ("mobile", "organisation", "accepted"),
    [
        ("13800001111", "branch_a1", False),  # same name, same mobile
        ("", "branch_a1", False),  # same name, no mobile to tell them apart
        ("13800009999", "branch_a1", True),  # same name, different mobile
        ("", "branch_a2", True),  # same name in another organisation
        ("13800001111", "branch_a2", True),
    ],
)
def test_namesakes_need_different_mobiles_in_one_organisation(cast, mobile, organisation, accepted):
    org = getattr(cast, organisation)
    if accepted:
        new_member(cast, actor=cast.admin_a, name="张三", mobile=mobile, organisation=org)
        assert Member.objects.filter(name="张三").count() == 2
    else:
        with pytest.raises(ValidationError) as exc:
            new_member(cast, actor=cast.admin_a, name="张三", mobile=mobile, organisation=org)
        assert "同名" in " ".join(exc.value.messages)
        assert Member.objects.filter(name="张三").count() == 1


def test_editing_a_member_into_a_namesake_clash_is_refused(cast):
    sun = new_member(cast, mobile="13800001111")
    with pytest.raises(ValidationError):
        services.member_update(actor=cast.sec_a1, member=sun, name="张三")
    assert Member.objects.get(pk=sun.pk).name == "孙七"


def test_transfer_to_the_same_organisation_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.member_transfer(actor=cast.sec_a1, member=cast.zhang, organisation=cast.branch_a1)
    assert "无需转移" in exc.value.message_dict["organisation"][0]


def test_transfer_records_where_from_and_to(cast):
    services.member_transfer(actor=cast.admin_a, member=cast.zhang, organisation=cast.branch_a2)
    record = cast.zhang.history.first()
    assert record.history_change_reason == "组织关系由“甲一村党支部”转至“甲机关党支部”"
    assert record.history_user == cast.admin_a


# Soft delete and restore -------------------------------------------------------------------------------


def test_soft_delete_hides_the_member_from_lists_and_counts(cast):
    before = registry_summary(cast.admin_a)
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    assert Member.all_objects.get(pk=cast.zhang.pk).is_deleted
    assert not Member.objects.visible_to(cast.admin_a).filter(pk=cast.zhang.pk).exists()
    after = registry_summary(cast.admin_a)
    assert after.members_total == before.members_total - 1
    assert after.members_by_category["农村"] == before.members_by_category["农村"] - 1
    rows = {row.org.name: row for row in org_tree(cast.admin_a)}
    assert rows["甲一村党支部"].members_here == 1
    assert rows["甲乡党委"].members_total == 2


def test_township_admin_restores_a_deleted_member(cast):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    zhang = Member.all_objects.get(pk=cast.zhang.pk)
    services.member_restore(actor=cast.admin_a, member=zhang)
    assert Member.objects.filter(pk=cast.zhang.pk).exists()


def test_branch_secretary_cannot_restore(cast):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    zhang = Member.all_objects.get(pk=cast.zhang.pk)
    with pytest.raises(PermissionDenied):
        services.member_restore(actor=cast.sec_a1, member=zhang)
    assert Member.all_objects.get(pk=cast.zhang.pk).is_deleted


def test_other_township_admin_cannot_restore(cast):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    zhang = Member.all_objects.get(pk=cast.zhang.pk)
    with pytest.raises(PermissionDenied):
        services.member_restore(actor=cast.admin_b, member=zhang)
    assert Member.all_objects.get(pk=cast.zhang.pk).is_deleted


@pytest.mark.parametrize("mobile", ["13800001111", ""])
def test_restoring_a_member_whose_name_and_mobile_are_taken_is_refused(cast, mobile):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    if not mobile:
        Member.all_objects.filter(pk=cast.zhang.pk).update(mobile="")
    new_member(cast, name="张三", mobile=mobile)
    zhang = Member.all_objects.get(pk=cast.zhang.pk)
    history_before = zhang.history.count()
    with pytest.raises(ValidationError) as exc:
        services.member_restore(actor=cast.admin_a, member=zhang)
    assert "同名" in " ".join(exc.value.messages)
    assert Member.all_objects.get(pk=cast.zhang.pk).is_deleted
    assert zhang.history.count() == history_before


def test_a_member_of_a_retired_organisation_cannot_be_restored_into_it(cast):
    services.member_delete(actor=cast.sec_a2, member=cast.wang)
    cast.sec_a2.is_active = False  # an organisation with an account in use cannot be retired
    cast.sec_a2.save()
    services.organisation_retire(actor=cast.admin_a, org=cast.branch_a2)
    wang = Member.all_objects.get(pk=cast.wang.pk)
    with pytest.raises(ValidationError) as exc:
        services.member_restore(actor=cast.admin_a, member=wang)
    assert "已撤销" in " ".join(exc.value.messages)
    assert Member.all_objects.get(pk=cast.wang.pk).is_deleted


# Transactions ------------------------------------------------------------------------------------------


def test_a_refused_transfer_leaves_nothing_half_saved(cast):
    """The scope check after the save fails: the saved row and its history row are both rolled back."""
    history_before = cast.zhang.history.count()
    with pytest.raises(PermissionDenied):
        services.member_transfer(actor=cast.sec_a1, member=cast.zhang, organisation=cast.branch_b1)
    assert Member.objects.get(pk=cast.zhang.pk).organisation_id == cast.branch_a1.pk
    assert cast.zhang.history.count() == history_before


def test_a_failure_after_the_save_rolls_the_organisation_back(cast):
    history_before = Organisation.history.count()
    with (
        mock.patch.object(services, "invalidate_scope", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.organisation_create(
            actor=cast.admin_a, name="甲二村党支部", kind="branch", parent=cast.township_a
        )
    assert not Organisation.objects.filter(name="甲二村党支部").exists()
    assert Organisation.history.count() == history_before


def test_a_failure_after_the_member_is_saved_rolls_it_back(cast):
    from taizhang.core import services as core_services

    with (
        mock.patch.object(core_services, "require_write", side_effect=PermissionDenied("after the save")),
        pytest.raises(PermissionDenied),
    ):
        new_member(cast, mobile="13600005555")
    assert not Member.all_objects.filter(name="孙七").exists()
    assert not Member.history.filter(name="孙七").exists()
