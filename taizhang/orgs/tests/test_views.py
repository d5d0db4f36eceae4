"""The organisation and member pages: what they show to whom, their forms, and how many queries they run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from taizhang.conftest import make_member, make_org
from taizhang.orgs import services
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Member, Organisation


def page(client, name, *args, **params) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


# Masked mobiles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "shown"), [("sec_a1", "138****1111"), ("county_viewer", "138****1111")])
def test_mobile_is_masked_on_list_and_detail(cast, client_as, role, shown):
    client = client_as(getattr(cast, role))
    for html in (page(client, "orgs:member_list"), page(client, "orgs:member_detail", cast.zhang.pk)):
        assert shown in html
        assert "13800001111" not in html


@pytest.mark.parametrize("role", ["admin_a", "root"])
def test_mobile_is_whole_for_admins(cast, client_as, role):
    client = client_as(getattr(cast, role))
    for html in (page(client, "orgs:member_list"), page(client, "orgs:member_detail", cast.zhang.pk)):
        assert "13800001111" in html


def test_mobile_changes_in_the_history_are_masked_too(cast, client_as):
    services.member_update(actor=cast.admin_a, member=cast.zhang, mobile="13900005678")
    html = page(client_as(cast.county_viewer), "orgs:member_detail", cast.zhang.pk)
    assert "138****1111 → 139****5678" in html
    assert "13800001111" not in html and "13900005678" not in html
    html = page(client_as(cast.admin_a), "orgs:member_detail", cast.zhang.pk)
    assert "13800001111 → 13900005678" in html


# Member forms ------------------------------------------------------------------------------------------


def member_data(cast, **fields):
    data = {
        "name": "孙七",
        "gender": "女",
        "organisation": cast.branch_a1.pk,
        "category": "农村",
        "mobile": "",
    }
    data.update(fields)
    return data


def test_secretary_s_only_branch_is_preselected(cast, client_as):
    response = client_as(cast.sec_a1).get(reverse("orgs:member_create"))
    assert response.context["form"].fields["organisation"].initial == cast.branch_a1.pk


def test_adding_a_member_goes_to_the_new_member(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("orgs:member_create"), member_data(cast, mobile="136 0000 5555")
    )
    member = Member.objects.get(name="孙七")
    assert response.status_code == 302 and response.url == reverse("orgs:member_detail", args=[member.pk])
    assert member.mobile == "13600005555"  # spaces typed on a phone are dropped


def test_add_another_comes_back_to_an_empty_form(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("orgs:member_create"), {**member_data(cast), "add_another": "1"}
    )
    assert response.status_code == 302 and response.url == reverse("orgs:member_create")


@pytest.mark.parametrize("mobile", ["1380000111", "12800001111"])
def test_bad_mobile_is_shown_under_its_field(cast, client_as, mobile):
    response = client_as(cast.sec_a1).post(reverse("orgs:member_create"), member_data(cast, mobile=mobile))
    assert response.status_code == 200
    assert any("手机号码应为11位" in e for e in response.context["form"].errors["mobile"])
    assert "手机号码应为11位" in response.content.decode()
    assert not Member.objects.filter(name="孙七").exists()


def test_namesake_without_mobile_is_shown_under_the_mobile_field(cast, client_as):
    response = client_as(cast.sec_a1).post(reverse("orgs:member_create"), member_data(cast, name="张三"))
    assert response.status_code == 200
    assert "同名党员须登记各自不同的手机号码" in response.context["form"].errors["mobile"][0]
    assert Member.objects.filter(name="张三").count() == 1


def test_namesake_with_the_same_mobile_is_refused_on_the_form(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("orgs:member_create"), member_data(cast, name="张三", mobile="13800001111")
    )
    assert response.status_code == 200
    assert "同名党员须登记不同的手机号码" in response.content.decode()
    assert Member.objects.filter(name="张三").count() == 1


def test_edit_form_has_no_organisation_field(cast, client_as):
    response = client_as(cast.sec_a1).get(reverse("orgs:member_edit", args=[cast.zhang.pk]))
    assert "organisation" not in response.context["form"].fields


def test_transfer_offers_only_writable_organisations(cast, client_as):
    response = client_as(cast.admin_a).get(reverse("orgs:member_transfer", args=[cast.zhang.pk]))
    offered = {
        label.strip("　") for value, label in response.context["form"].fields["organisation"].choices if value
    }
    assert offered == {"甲乡党委", "甲一村党支部", "甲乡机关党总支", "甲机关党支部"}


def test_transfer_through_the_page(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("orgs:member_transfer", args=[cast.zhang.pk]), {"organisation": cast.branch_a2.pk}
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=cast.zhang.pk).organisation == cast.branch_a2


# Soft delete, trash, restore ---------------------------------------------------------------------------


def test_deleted_member_disappears_from_list_detail_and_counts(cast, client_as):
    client = client_as(cast.sec_a1)
    response = client.post(reverse("orgs:member_delete", args=[cast.zhang.pk]), follow=True)
    assert response.redirect_chain == [(reverse("orgs:member_list"), 302)]
    assert "已删除党员张三" in response.content.decode()  # the message; the list no longer has him
    assert "张三" not in page(client, "orgs:member_list")
    assert "共1名" in page(client, "orgs:member_list")
    assert client.get(reverse("orgs:member_detail", args=[cast.zhang.pk])).status_code == 404
    assert "张三" not in page(client, "orgs:org_detail", cast.branch_a1.pk)
    tree = client_as(cast.admin_a).get(reverse("orgs:org_tree")).context["rows"]
    assert {row.org.name: row.members_total for row in tree}["甲乡党委"] == 2


def test_township_admin_sees_the_deleted_member_in_trash_and_restores_it(cast, client_as):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    client = client_as(cast.admin_a)
    assert "张三" in page(client, "orgs:trash")
    response = client.post(reverse("orgs:member_restore", args=[cast.zhang.pk]))
    assert response.status_code == 302 and response.url == reverse("orgs:member_detail", args=[cast.zhang.pk])
    assert "张三" in page(client, "orgs:member_list")
    assert "张三" not in page(client, "orgs:trash")


def test_other_township_does_not_see_the_deleted_member_in_its_trash(cast, client_as):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    assert "张三" not in page(client_as(cast.admin_b), "orgs:trash")


def test_branch_secretary_cannot_restore(cast, client_as):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    response = client_as(cast.sec_a1).post(reverse("orgs:member_restore", args=[cast.zhang.pk]))
    assert response.status_code == 403
    assert Member.all_objects.get(pk=cast.zhang.pk).is_deleted


def test_restoring_into_a_taken_name_and_mobile_says_why_and_does_not_restore(cast, client_as):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    services.member_create(
        actor=cast.sec_a1, name="张三", organisation=cast.branch_a1, category="农村", mobile="13800001111"
    )
    client = client_as(cast.admin_a)
    response = client.post(reverse("orgs:member_restore", args=[cast.zhang.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgs:trash")
    html = response.content.decode()
    assert "无法恢复张三" in html and "同名党员须登记不同的手机号码" in html
    assert Member.all_objects.get(pk=cast.zhang.pk).is_deleted


def test_restoring_a_live_member_is_a_404(cast, client_as):
    response = client_as(cast.admin_a).post(reverse("orgs:member_restore", args=[cast.zhang.pk]))
    assert response.status_code == 404


# Organisation pages ------------------------------------------------------------------------------------


def test_retiring_a_branch_with_members_shows_the_reason(cast, client_as):
    response = client_as(cast.admin_a).post(reverse("orgs:org_retire", args=[cast.branch_a1.pk]), follow=True)
    assert "还有2名党员" in response.content.decode()
    assert not Organisation.objects.get(pk=cast.branch_a1.pk).is_retired


def test_retire_then_reinstate_through_the_page(cast, client_as):
    services.member_transfer(actor=cast.admin_a, member=cast.wang, organisation=cast.branch_a1)
    cast.sec_a2.is_active = False  # an organisation with an account in use cannot be retired
    cast.sec_a2.save()
    client = client_as(cast.admin_a)
    url = reverse("orgs:org_retire", args=[cast.branch_a2.pk])
    html = client.post(url, follow=True).content.decode()
    assert "已撤销“甲机关党支部”" in html and "撤销组织" in html
    assert Organisation.objects.get(pk=cast.branch_a2.pk).is_retired
    assert "甲机关党支部" not in page(client, "orgs:org_tree")
    assert "甲机关党支部" in page(client, "orgs:org_tree", retired="1")
    client.post(url)
    assert not Organisation.objects.get(pk=cast.branch_a2.pk).is_retired


def test_branch_under_county_is_refused_on_the_form(cast, client_as):
    response = client_as(cast.root).post(
        reverse("orgs:org_create"),
        {"name": "县直党支部", "kind": "branch", "parent": cast.county.pk, "order": 1},
    )
    assert response.status_code == 200
    assert "上级组织应为" in response.context["form"].errors["parent"][0]
    assert not Organisation.objects.filter(name="县直党支部").exists()


def test_new_organisation_page_starts_under_the_given_parent(cast, client_as):
    response = client_as(cast.admin_a).get(reverse("orgs:org_create"), {"parent": cast.general_a.pk})
    assert str(response.context["form"]["parent"].value()) == str(cast.general_a.pk)


def test_township_admin_renames_his_own_committee_through_the_page(cast, client_as):
    client = client_as(cast.admin_a)
    form = client.get(reverse("orgs:org_edit", args=[cast.township_a.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    data["short_name"] = "甲乡"
    response = client.post(reverse("orgs:org_edit", args=[cast.township_a.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    township = Organisation.objects.get(pk=cast.township_a.pk)
    assert township.short_name == "甲乡" and township.parent_id == cast.county.pk


def test_township_admin_still_cannot_move_his_committee_through_the_page(cast, client_as):
    data = {"name": "甲乡党委", "kind": "committee", "parent": "", "order": 1}
    response = client_as(cast.admin_a).post(reverse("orgs:org_edit", args=[cast.township_a.pk]), data)
    assert response.status_code == 403
    data["parent"] = cast.township_b.pk
    response = client_as(cast.admin_a).post(reverse("orgs:org_edit", args=[cast.township_a.pk]), data)
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert Organisation.objects.get(pk=cast.township_a.pk).parent_id == cast.county.pk


def test_admin_edits_a_branch_and_sets_its_secretary(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("orgs:org_edit", args=[cast.branch_a1.pk]),
        {
            "name": "甲一村党支部",
            "kind": "branch",
            "parent": cast.township_a.pk,
            "order": 1,
            "secretary": cast.zhang.pk,
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=cast.branch_a1.pk).secretary == cast.zhang


def test_kind_change_that_strands_children_is_refused_on_the_form(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("orgs:org_edit", args=[cast.general_a.pk]),
        {"name": "甲乡机关党总支", "kind": "branch", "parent": cast.township_a.pk, "order": 2},
    )
    assert response.status_code == 200
    assert "甲机关党支部" in response.context["form"].errors["kind"][0]
    assert Organisation.objects.get(pk=cast.general_a.pk).kind == OrgKind.GENERAL_BRANCH


# Query counts ------------------------------------------------------------------------------------------


def _count(client, url, assert_queries, expected=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if expected is None:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)
    with assert_queries(expected):
        assert client.get(url).status_code == 200
    return expected


def _grow(cast):
    """30 more members spread over new and old organisations, with secretaries."""
    orgs = [cast.branch_a1, cast.branch_a2]
    for i in range(5):
        orgs.append(make_org(f"甲{i + 3}村党支部", OrgKind.BRANCH, cast.township_a, 10 + i))
    for i in range(30):
        make_member(f"党员{i:02d}", orgs[i % len(orgs)], mobile=f"1350000{i:04d}", post="委员")
    for org in orgs[2:]:
        org.secretary = org.members.first()
        org.save()


@pytest.mark.parametrize("role", ["admin_a", "sec_a1", "county_viewer", "root"])
@pytest.mark.parametrize("url_name", ["orgs:member_list", "orgs:org_tree"])
def test_page_runs_a_constant_number_of_queries(cast, client_as, assert_queries, role, url_name):
    client = client_as(getattr(cast, role))
    url = reverse(url_name)
    client.get(url)  # warm the session
    baseline = _count(client, url, assert_queries)
    assert baseline <= 10
    _grow(cast)
    _count(client, url, assert_queries, expected=baseline)


def test_member_list_filtered_by_organisation_runs_a_constant_number_of_queries(
    cast, client_as, assert_queries
):
    client = client_as(cast.admin_a)
    url = reverse("orgs:member_list") + f"?org={cast.township_a.pk}&q=&category="
    client.get(url)
    baseline = _count(client, url, assert_queries)
    _grow(cast)
    _count(client, url, assert_queries, expected=baseline)


def test_the_area_trash_is_the_kits_and_restores_to_the_member_page(cast, client_as):
    services.member_delete(actor=cast.sec_a1, member=cast.zhang)
    client = client_as(cast.admin_a)
    html = page(client, "orgs:trash")
    restore = reverse("orgs:restore", args=["member", cast.zhang.pk])
    assert restore in html and "张三" in html
    response = client.post(restore, follow=True)
    assert response.redirect_chain == [(reverse("orgs:member_detail", args=[cast.zhang.pk]), 302)]
    assert "已恢复党员张三。" in response.content.decode()
