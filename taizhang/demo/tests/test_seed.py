from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from taizhang.accounts.models import User
from taizhang.campaigns.models import Campaign, LeadingGroupMember
from taizhang.core.roles import Role
from taizhang.orgs.choices import MemberCategory, OrgKind
from taizhang.orgs.models import Member, Organisation


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_township_has_the_seed_s_shape():
    output = seed()
    committee = Organisation.objects.get(name="XX乡党委")
    assert committee.kind == OrgKind.COMMITTEE
    assert committee.parent.name == "XX县委"
    grassroots = Organisation.objects.filter(parent=committee)
    assert grassroots.count() == 13
    branches = Organisation.objects.descendants(committee).filter(kind=OrgKind.BRANCH)
    assert branches.count() == 20
    township_members = Member.objects.filter(
        organisation__in=Organisation.objects.descendants(committee, include_self=True)
    )
    assert 370 <= township_members.count() <= 390
    assert township_members.filter(category=MemberCategory.RETIRED).count() == 13
    assert township_members.filter(category=MemberCategory.MOBILE).count() == 9
    # A secretary for every organisation, a member of it.
    for org in Organisation.objects.all():
        assert org.secretary is not None, org
        org.full_clean()
    assert "已载入演示乡镇“XX乡党委”" in output


@pytest.mark.django_db
def test_demo_accounts_are_printed_and_work(client):
    output = seed()
    assert User.objects.filter(role=Role.BRANCH_SECRETARY).count() == 20
    admin = User.objects.get(username="xx-admin")
    assert admin.role == Role.TOWNSHIP_ADMIN and admin.organisation.name == "XX乡党委"
    assert User.objects.get(username="county").role == Role.COUNTY_VIEWER
    for username in ("xx-admin", "county", "branch01", "branch20"):
        assert f"账号 {username}  密码 demo2023" in output
    for secretary in User.objects.filter(role=Role.BRANCH_SECRETARY):
        assert secretary.organisation.secretary_id == secretary.member_id
    response = client.post("/accounts/login/", {"username": "branch10", "password": "demo2023"})
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.django_db
def test_demo_makes_the_2023_campaign_current_with_a_leading_group():
    seed()
    campaign = Campaign.current()
    assert campaign.code == "2023-second-batch"
    assert list(campaign.organisations.values_list("name", flat=True)) == ["XX乡党委"]
    group = LeadingGroupMember.objects.filter(campaign=campaign).select_related("member")
    assert group.filter(role="组长").get().member.post == "乡党委书记"
    assert group.count() == 10


@pytest.mark.django_db
def test_demo_refuses_a_database_with_data_unless_forced():
    seed()
    before = Member.objects.count()
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert Member.objects.count() == before
    seed("--force")
    assert Member.objects.count() == before


@pytest.mark.django_db
def test_demo_is_deterministic():
    seed()
    first = list(
        Member.objects.order_by("organisation__name", "name").values_list(
            "organisation__name", "name", "mobile", "category"
        )
    )
    seed("--force")
    second = list(
        Member.objects.order_by("organisation__name", "name").values_list(
            "organisation__name", "name", "mobile", "category"
        )
    )
    assert first == second


@pytest.mark.django_db
def test_demo_records_have_history():
    seed()
    member = Member.objects.filter(organisation__kind=OrgKind.BRANCH).first()
    assert member.history.count() == 1
    assert member.history.first().history_change_reason == "演示数据"


@pytest.mark.django_db
def test_scale_county_repeats_the_demo_township():
    out = StringIO()
    call_command("seed_scale", "--townships", "2", stdout=out)
    county = Organisation.objects.get(kind=OrgKind.COUNTY)
    committees = Organisation.objects.filter(parent=county, kind=OrgKind.COMMITTEE)
    assert committees.count() == 2
    assert Organisation.objects.filter(parent__in=committees).count() == 26
    assert Organisation.objects.filter(kind=OrgKind.BRANCH).count() == 40
    assert 740 <= Member.objects.count() <= 780
    assert User.objects.filter(role=Role.TOWNSHIP_ADMIN).count() == 2
    assert "已生成2个乡镇" in out.getvalue()
