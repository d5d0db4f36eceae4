"""Scoping: what each role of the cast may read and write, and that nothing is moved out of reach."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from taizhang.core.scoping import get_visible_or_404, invalidate_scope, require_write, scope_for
from taizhang.orgs import services
from taizhang.orgs.models import Member, Organisation

ALL_MEMBERS = {"张三", "李四", "王五", "赵六"}
TOWNSHIP_A = {"张三", "李四", "王五"}

# fmt: off
VISIBLE_MEMBERS = {
    "root":          ALL_MEMBERS,
    "county_viewer": ALL_MEMBERS,
    "admin_a":       TOWNSHIP_A,
    "sec_a1":        {"张三", "李四"},
    "sec_a2":        {"王五"},
    "admin_b":       {"赵六"},
    "sec_b1":        {"赵六"},
    "nobody":        set(),
}

VISIBLE_ORGS = {
    "root":          {"XX县委", "甲乡党委", "甲一村党支部", "甲乡机关党总支", "甲机关党支部", "乙乡党委", "乙一村党支部"},
    "county_viewer": {"XX县委", "甲乡党委", "甲一村党支部", "甲乡机关党总支", "甲机关党支部", "乙乡党委", "乙一村党支部"},
    "admin_a":       {"甲乡党委", "甲一村党支部", "甲乡机关党总支", "甲机关党支部"},
    "sec_a1":        {"甲一村党支部"},
    "sec_a2":        {"甲机关党支部"},
    "admin_b":       {"乙乡党委", "乙一村党支部"},
    "sec_b1":        {"乙一村党支部"},
    "nobody":        set(),
}

WRITABLE_ORGS = {
    "root":          VISIBLE_ORGS["root"],
    "county_viewer": set(),
    "admin_a":       VISIBLE_ORGS["admin_a"],
    "sec_a1":        {"甲一村党支部"},
    "sec_a2":        {"甲机关党支部"},
    "admin_b":       VISIBLE_ORGS["admin_b"],
    "sec_b1":        {"乙一村党支部"},
    "nobody":        set(),
}
# fmt: on


@pytest.mark.parametrize("role", VISIBLE_MEMBERS)
def test_each_role_reads_exactly_its_members(cast, role):
    user = getattr(cast, role)
    assert set(Member.objects.visible_to(user).values_list("name", flat=True)) == VISIBLE_MEMBERS[role]


@pytest.mark.parametrize("role", VISIBLE_ORGS)
def test_each_role_reads_and_writes_exactly_its_organisations(cast, role):
    user = getattr(cast, role)
    assert set(Organisation.objects.visible_to(user).values_list("name", flat=True)) == VISIBLE_ORGS[role]
    assert set(Organisation.objects.writable_by(user).values_list("name", flat=True)) == WRITABLE_ORGS[role]


@pytest.mark.parametrize("role", VISIBLE_MEMBERS)
def test_member_list_page_shows_only_members_in_scope(cast, client_as, role):
    page = client_as(getattr(cast, role)).get(reverse("orgs:member_list")).content.decode()
    shown = {name for name in ALL_MEMBERS if name in page}
    assert shown == VISIBLE_MEMBERS[role]
    assert f"共{len(VISIBLE_MEMBERS[role])}名" in page


@pytest.mark.parametrize(
    ("role", "query", "expected"),
    [
        ("root", "王", {"王五"}),
        ("county_viewer", "赵", {"赵六"}),
        ("admin_a", "赵", set()),
        ("admin_a", "王", {"王五"}),
        ("sec_a1", "王", set()),
        ("sec_a1", "张", {"张三"}),
        ("sec_b1", "张", set()),
        ("nobody", "张", set()),
    ],
)
def test_member_search_finds_only_members_in_scope(cast, client_as, role, query, expected):
    page = client_as(getattr(cast, role)).get(reverse("orgs:member_list"), {"q": query}).content.decode()
    assert {name for name in ALL_MEMBERS if name in page} == expected


def test_filtering_the_list_by_a_foreign_organisation_shows_nothing_of_it(cast, client_as):
    # sec_a1 asks for the members of branch B1 by its id: the filter refuses the choice, the list stays his.
    page = (
        client_as(cast.sec_a1).get(reverse("orgs:member_list"), {"org": cast.branch_b1.pk}).content.decode()
    )
    assert "赵六" not in page
    assert "张三" in page


def test_org_tree_shows_only_organisations_in_scope(cast, client_as):
    page = client_as(cast.sec_a1).get(reverse("orgs:org_tree")).content.decode()
    assert "甲一村党支部" in page
    for other in ("甲机关党支部", "乙一村党支部", "乙乡党委"):
        assert other not in page
    page = client_as(cast.nobody).get(reverse("orgs:org_tree")).content.decode()
    assert "您的账号还没有对应的组织" in page


def test_county_viewer_reads_everything_but_writes_nothing(cast, client_as):
    client = client_as(cast.county_viewer)
    for member in (cast.zhang, cast.wang, cast.zhao):
        assert client.get(reverse("orgs:member_detail", args=[member.pk])).status_code == 200
    response = client.post(
        reverse("orgs:member_edit", args=[cast.zhao.pk]),
        {"name": "赵六", "gender": "男", "category": "在职", "mobile": "13700004444"},
    )
    assert response.status_code == 403
    assert "您无权修改" in response.content.decode()
    cast.zhao.refresh_from_db()
    assert cast.zhao.category == "农村"
    with pytest.raises(PermissionDenied):
        services.member_update(actor=cast.county_viewer, member=cast.zhao, post="支委")
    with pytest.raises(PermissionDenied):
        services.member_create(
            actor=cast.county_viewer, name="新人", organisation=cast.branch_b1, category="农村"
        )
    assert not Member.objects.filter(name="新人").exists()


def test_township_admin_writes_in_his_township_only(cast):
    services.member_update(actor=cast.admin_a, member=cast.wang, post="支部委员")
    assert Member.objects.get(pk=cast.wang.pk).post == "支部委员"
    with pytest.raises(PermissionDenied):
        services.member_update(actor=cast.admin_a, member=cast.zhao, post="支部委员")
    assert Member.objects.get(pk=cast.zhao.pk).post == ""


def test_branch_secretary_cannot_see_a_member_of_another_branch(cast, client_as):
    with pytest.raises(Http404):
        get_visible_or_404(Member, cast.sec_a1, pk=cast.wang.pk)
    client = client_as(cast.sec_a1)
    assert client.get(reverse("orgs:member_detail", args=[cast.wang.pk])).status_code == 404
    assert client.get(reverse("orgs:org_detail", args=[cast.branch_a2.pk])).status_code == 404
    # The township above him is not his either.
    assert client.get(reverse("orgs:org_detail", args=[cast.township_a.pk])).status_code == 404


def test_out_of_scope_and_missing_records_answer_the_same(cast, client_as):
    client = client_as(cast.sec_a1)
    out_of_scope = client.get(reverse("orgs:member_detail", args=[cast.wang.pk]))
    missing = client.get(reverse("orgs:member_detail", args=[999999]))
    assert out_of_scope.status_code == missing.status_code == 404

    def without_csrf(response):  # the CSRF token is masked afresh in every response
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())

    assert without_csrf(out_of_scope) == without_csrf(missing)
    assert "王五" not in out_of_scope.content.decode()


def test_user_without_role_sees_nothing(cast):
    scope = scope_for(cast.nobody)
    assert scope.read == frozenset() and scope.write == frozenset() and not scope.is_admin
    assert not Member.objects.visible_to(cast.nobody).exists()
    assert not Organisation.objects.visible_to(cast.nobody).exists()


def test_user_with_a_role_but_no_organisation_sees_nothing(cast):
    cast.nobody.role = "branch_secretary"
    invalidate_scope(cast.nobody)
    assert not Member.objects.visible_to(cast.nobody).exists()


def test_inactive_user_sees_nothing(cast):
    cast.admin_a.is_active = False
    invalidate_scope(cast.admin_a)
    assert not Member.objects.visible_to(cast.admin_a).exists()


def test_superuser_reads_and_writes_everything(cast):
    scope = scope_for(cast.root)
    assert scope.read is None and scope.write is None and scope.is_admin
    services.member_update(actor=cast.root, member=cast.zhao, post="村支书")
    assert Member.objects.get(pk=cast.zhao.pk).post == "村支书"


# Moving things out of scope ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["branch_b1", "branch_a2"])
def test_secretary_cannot_transfer_a_member_out_of_his_scope(cast, target):
    before = cast.zhang.history.count()
    with pytest.raises(PermissionDenied):
        services.member_transfer(actor=cast.sec_a1, member=cast.zhang, organisation=getattr(cast, target))
    zhang = Member.objects.get(pk=cast.zhang.pk)
    assert zhang.organisation_id == cast.branch_a1.pk
    assert zhang.history.count() == before


@pytest.mark.parametrize("target", ["branch_b1", "branch_a2"])
def test_crafted_transfer_post_to_a_foreign_organisation_is_refused(cast, client_as, target):
    response = client_as(cast.sec_a1).post(
        reverse("orgs:member_transfer", args=[cast.zhang.pk]), {"organisation": getattr(cast, target).pk}
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert Member.objects.get(pk=cast.zhang.pk).organisation_id == cast.branch_a1.pk


def test_township_admin_cannot_transfer_into_another_township(cast):
    with pytest.raises(PermissionDenied):
        services.member_transfer(actor=cast.admin_a, member=cast.zhang, organisation=cast.branch_b1)
    assert Member.objects.get(pk=cast.zhang.pk).organisation_id == cast.branch_a1.pk


def test_township_admin_transfers_within_his_township(cast):
    services.member_transfer(actor=cast.admin_a, member=cast.zhang, organisation=cast.branch_a2)
    assert Member.objects.get(pk=cast.zhang.pk).organisation_id == cast.branch_a2.pk


def test_township_admin_cannot_create_an_organisation_under_another_township(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=cast.admin_a, name="乙二村党支部", kind="branch", parent=cast.township_b
        )
    assert not Organisation.objects.filter(name="乙二村党支部").exists()


def test_township_admin_cannot_create_a_top_level_organisation(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=cast.admin_a, name="丙乡党委", kind="committee", parent=None)
    assert not Organisation.objects.filter(name="丙乡党委").exists()


def test_crafted_org_create_post_under_another_township_is_refused(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("orgs:org_create"),
        {"name": "乙二村党支部", "kind": "branch", "parent": cast.township_b.pk, "order": 1},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Organisation.objects.filter(name="乙二村党支部").exists()


def test_township_admin_cannot_move_his_organisation_to_another_township(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=cast.admin_a, org=cast.branch_a1, parent=cast.township_b)
    assert Organisation.objects.get(pk=cast.branch_a1.pk).parent_id == cast.township_a.pk


def test_township_admin_cannot_move_his_own_committee(cast):
    # He may rename it, but placing it in the county is the county's (the superuser's) business.
    services.organisation_update(actor=cast.admin_a, org=cast.township_a, short_name="甲乡")
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=cast.admin_a, org=cast.township_a, parent=None)
    township = Organisation.objects.get(pk=cast.township_a.pk)
    assert township.parent_id == cast.county.pk and township.short_name == "甲乡"


def test_crafted_org_edit_post_moving_it_to_another_township_is_refused(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("orgs:org_edit", args=[cast.branch_a1.pk]),
        {"name": "甲一村党支部", "kind": "branch", "parent": cast.township_b.pk, "order": 1},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert Organisation.objects.get(pk=cast.branch_a1.pk).parent_id == cast.township_a.pk


def test_crafted_org_edit_post_with_a_foreign_secretary_is_refused(cast, client_as):
    response = client_as(cast.admin_a).post(
        reverse("orgs:org_edit", args=[cast.branch_a1.pk]),
        {
            "name": "甲一村党支部",
            "kind": "branch",
            "parent": cast.township_a.pk,
            "order": 1,
            "secretary": cast.zhao.pk,
        },
    )
    assert response.status_code == 200
    assert "secretary" in response.context["form"].errors
    assert Organisation.objects.get(pk=cast.branch_a1.pk).secretary_id is None


def test_crafted_member_create_post_in_a_foreign_organisation_is_refused(cast, client_as):
    response = client_as(cast.sec_a1).post(
        reverse("orgs:member_create"),
        {"name": "孙七", "gender": "女", "organisation": cast.branch_b1.pk, "category": "农村", "mobile": ""},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Member.all_objects.filter(name="孙七").exists()


def test_member_edit_post_cannot_move_the_member(cast, client_as):
    # The edit form has no organisation field: moving is a transfer. A smuggled value is ignored.
    response = client_as(cast.sec_a1).post(
        reverse("orgs:member_edit", args=[cast.zhang.pk]),
        {
            "name": "张三",
            "gender": "男",
            "category": "农村",
            "mobile": "13800001111",
            "organisation": cast.branch_b1.pk,
        },
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=cast.zhang.pk).organisation_id == cast.branch_a1.pk


def test_service_refuses_a_write_checked_only_in_the_view(cast):
    # The service checks by itself; a view that forgot would still not let sec_a1 write in branch A2.
    with pytest.raises(PermissionDenied):
        services.member_update(actor=cast.sec_a1, member=cast.wang, post="委员")
    with pytest.raises(PermissionDenied):
        services.member_delete(actor=cast.sec_a1, member=cast.wang)
    with pytest.raises(PermissionDenied):
        services.member_create(actor=cast.sec_a1, name="孙七", organisation=cast.branch_a2, category="农村")
    wang = Member.objects.get(pk=cast.wang.pk)
    assert wang.post == "" and not wang.is_deleted
    with pytest.raises(PermissionDenied):
        require_write(cast.sec_a1, cast.wang)


def test_scope_follows_a_new_organisation_of_the_admin(cast):
    org = services.organisation_create(
        actor=cast.admin_a, name="甲二村党支部", kind="branch", parent=cast.township_a
    )
    # The admin's cached scope was refreshed: he can put a member in it at once.
    member = services.member_create(actor=cast.admin_a, name="孙七", organisation=org, category="农村")
    assert member.organisation == org
