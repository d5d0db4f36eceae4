"""Rules of the organisation tree and of member records, as the models validate them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from taizhang.core.scoping import EVERYTHING, NOTHING, scope_for
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Member, Organisation, mask_mobile


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


# The tree -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "parent", "allowed"),
    [
        (OrgKind.BRANCH, "county", False),
        (OrgKind.BRANCH, "township_a", True),
        (OrgKind.BRANCH, "general_a", True),
        (OrgKind.BRANCH, "branch_a1", False),
        (OrgKind.BRANCH, None, False),
        (OrgKind.GENERAL_BRANCH, "township_a", True),
        (OrgKind.GENERAL_BRANCH, "county", False),
        (OrgKind.GENERAL_BRANCH, "general_a", False),
        (OrgKind.COMMITTEE, "county", True),
        (OrgKind.COMMITTEE, None, True),
        (OrgKind.COMMITTEE, "township_a", False),
        (OrgKind.COUNTY, None, True),
        (OrgKind.COUNTY, "county", False),
    ],
)
def test_kind_decides_where_an_organisation_may_sit(cast, kind, parent, allowed):
    org = Organisation(name="新组织", kind=kind, parent=getattr(cast, parent) if parent else None)
    if allowed:
        org.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            org.full_clean()
        assert "上级组织应为" in errors_of(exc)["parent"][0]


def test_branch_under_county_is_refused_naming_the_allowed_parents(cast):
    org = Organisation(name="县直党支部", kind=OrgKind.BRANCH, parent=cast.county)
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert errors_of(exc)["parent"] == ["党支部不能设在县委之下，上级组织应为：党委、党总支。"]


def test_an_organisation_cannot_sit_under_itself_or_its_descendant(cast):
    cast.township_a.parent = cast.branch_a2
    with pytest.raises(ValidationError) as exc:
        cast.township_a.full_clean()
    assert errors_of(exc)["parent"] == ["不能把组织移到它自己或它的下级组织之下。"]
    cast.general_a.parent = cast.general_a
    with pytest.raises(ValidationError) as exc:
        cast.general_a.full_clean()
    assert errors_of(exc)["parent"] == ["不能把组织移到它自己或它的下级组织之下。"]


def test_changing_the_kind_must_keep_the_children_valid(cast):
    # 甲乡机关党总支 has a branch under it: it cannot become a branch itself (a branch under a branch).
    cast.general_a.kind = OrgKind.BRANCH
    with pytest.raises(ValidationError) as exc:
        cast.general_a.full_clean()
    assert "甲机关党支部" in errors_of(exc)["kind"][0]
    # Without children (and without a 党支部书记 account on it) it may.
    cast.sec_a1.organisation = cast.township_a
    cast.sec_a1.role = "township_admin"
    cast.sec_a1.save()
    cast.branch_a1.kind = OrgKind.GENERAL_BRANCH
    cast.branch_a1.full_clean()


def test_no_new_organisation_under_a_retired_one(cast):
    Organisation.objects.filter(pk=cast.general_a.pk).update(retired_at="2024-01-01")
    org = Organisation(
        name="新党支部", kind=OrgKind.BRANCH, parent=Organisation.objects.get(pk=cast.general_a.pk)
    )
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "已撤销" in errors_of(exc)["parent"][0]


def test_two_organisations_of_one_parent_need_different_names(cast):
    with pytest.raises(ValidationError):
        Organisation(name="甲一村党支部", kind=OrgKind.BRANCH, parent=cast.township_a).full_clean()
    Organisation(name="甲一村党支部", kind=OrgKind.BRANCH, parent=cast.township_b).full_clean()


def test_secretary_must_be_a_member_of_the_organisation(cast):
    cast.branch_a1.secretary = cast.zhao
    with pytest.raises(ValidationError) as exc:
        cast.branch_a1.full_clean()
    assert errors_of(exc)["secretary"] == ["书记应为本组织（或其下级组织）的党员。"]
    cast.branch_a1.secretary = cast.zhang
    cast.branch_a1.full_clean()
    # A member of a branch inside the general branch may be its secretary.
    cast.general_a.secretary = cast.wang
    cast.general_a.full_clean()


def test_township_is_found_above_any_organisation(cast):
    assert cast.branch_a2.township() == cast.township_a
    assert cast.township_a.township() == cast.township_a
    assert cast.county.township() is None


# Members ------------------------------------------------------------------------------------------------


def member(cast, **fields):
    data = {"name": "孙七", "organisation": cast.branch_a1, "category": "农村", "gender": "女"}
    data.update(fields)
    return Member(**data)


@pytest.mark.parametrize(
    "mobile", ["1380000111", "138000011112", "12800001111", "23800001111", "1380000111a"]
)
def test_bad_mobile_is_refused_on_the_mobile_field_in_chinese(cast, mobile):
    with pytest.raises(ValidationError) as exc:
        member(cast, mobile=mobile).full_clean()
    messages = errors_of(exc)["mobile"]
    assert any("手机号码应为11位" in m for m in messages), messages


@pytest.mark.parametrize("mobile", ["13800009999", "19912345678", ""])
def test_good_or_blank_mobile_is_accepted(cast, mobile):
    member(cast, mobile=mobile).full_clean()


def test_same_name_and_same_mobile_in_one_organisation_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        member(cast, name="张三", mobile="13800001111").full_clean()
    assert "同名党员须登记不同的手机号码" in " ".join(exc.value.messages)


def test_namesake_without_a_mobile_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        member(cast, name="张三", mobile="").full_clean()
    assert "同名党员须登记各自不同的手机号码" in errors_of(exc)["mobile"][0]


def test_a_mobile_does_not_help_while_the_first_namesake_has_none(cast):
    Member.objects.filter(pk=cast.zhang.pk).update(mobile="")
    with pytest.raises(ValidationError) as exc:
        member(cast, name="张三", mobile="13800009999").full_clean()
    assert "mobile" in errors_of(exc)


def test_namesakes_with_different_mobiles_are_accepted(cast):
    member(cast, name="张三", mobile="13800009999").full_clean()


def test_same_name_in_another_organisation_is_accepted(cast):
    member(cast, name="张三", mobile="", organisation=cast.branch_a2).full_clean()
    member(cast, name="张三", mobile="13800001111", organisation=cast.branch_b1).full_clean()


def test_a_deleted_namesake_does_not_block(cast):
    Member.objects.filter(pk=cast.zhang.pk).update(deleted_at="2024-01-01T00:00:00Z")
    member(cast, name="张三", mobile="13800001111").full_clean()


def test_database_refuses_same_name_and_mobile_even_past_validation(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(name="张三", organisation=cast.branch_a1, category="农村", mobile="13800001111")


def test_no_member_is_put_into_a_retired_organisation(cast):
    Organisation.objects.filter(pk=cast.branch_a2.pk).update(retired_at="2024-01-01")
    with pytest.raises(ValidationError) as exc:
        member(cast, organisation=Organisation.objects.get(pk=cast.branch_a2.pk)).full_clean()
    assert "已撤销" in errors_of(exc)["organisation"][0]


def test_mobile_is_masked_except_for_admins(cast):
    assert mask_mobile("13800001111") == "138****1111"
    assert mask_mobile("") == ""
    assert cast.zhang.mobile_for(scope_for(cast.sec_a1)) == "138****1111"
    assert cast.zhang.mobile_for(scope_for(cast.county_viewer)) == "138****1111"
    assert cast.zhang.mobile_for(NOTHING) == "138****1111"
    assert cast.zhang.mobile_for(None) == "138****1111"
    assert cast.zhang.mobile_for(scope_for(cast.admin_a)) == "13800001111"
    assert cast.zhang.mobile_for(EVERYTHING) == "13800001111"


def test_soft_deleted_member_is_gone_from_the_default_manager_only(cast):
    cast.zhang.mark_deleted()
    cast.zhang.save()
    assert not Member.objects.filter(pk=cast.zhang.pk).exists()
    assert Member.all_objects.deleted().filter(pk=cast.zhang.pk).exists()
    assert list(cast.branch_a1.members.values_list("name", flat=True)) == ["李四"]
