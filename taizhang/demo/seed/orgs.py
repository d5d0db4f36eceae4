"""Organisations, members and accounts of the demo township (the seed's: 13 grassroots organisations holding
20 branches, about 380 members of whom 13 retired and 9 mobile), and of each township of the scale county."""

from __future__ import annotations

import datetime

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from taizhang.accounts.models import User
from taizhang.core.roles import Role
from taizhang.orgs.choices import MemberCategory, OrgKind
from taizhang.orgs.models import Member, Organisation

from .context import SeedContext, Township
from .names import mobile_pool, name_pool

REASON = "演示数据"

# (name, short name, kind, branches: [(name, short, members, kind of members)]). Member kinds: 机关 employed,
# 村 rural with one mobile and maybe one retired member (the nine villages), 村组 rural, 退休 all retired.
GRASSROOTS = [
    (
        "机关党总支",
        "机关党总支",
        OrgKind.GENERAL_BRANCH,
        [
            ("机关第一党支部", "机关一支部", 16, "机关"),
            ("机关第二党支部", "机关二支部", 14, "机关"),
            ("乡直单位党支部", "乡直支部", 15, "机关"),
            ("退休干部党支部", "退休支部", 9, "退休"),
        ],
    ),
    (
        "东山村党总支",
        "东山村",
        OrgKind.GENERAL_BRANCH,
        [
            ("东山村第一党支部", "东山一支部", 22, "村组"),
            ("东山村第二党支部", "东山二支部", 20, "村组"),
            ("东山村第三党支部", "东山三支部", 18, "村组"),
            ("东山村第四党支部", "东山四支部", 17, "村组"),
            ("东山村第五党支部", "东山五支部", 16, "村组"),
        ],
    ),
    ("西岭村党支部", "西岭村", OrgKind.BRANCH, 26, "村"),
    ("南溪村党支部", "南溪村", OrgKind.BRANCH, 24, "村"),
    ("北坑村党支部", "北坑村", OrgKind.BRANCH, 22, "村"),
    ("桔园村党支部", "桔园村", OrgKind.BRANCH, 25, "村"),
    ("竹林村党支部", "竹林村", OrgKind.BRANCH, 23, "村"),
    ("库湾村党支部", "库湾村", OrgKind.BRANCH, 21, "村"),
    ("古厝村党支部", "古厝村", OrgKind.BRANCH, 24, "村"),
    ("溪口村党支部", "溪口村", OrgKind.BRANCH, 20, "村"),
    ("石门村党支部", "石门村", OrgKind.BRANCH, 22, "村"),
    ("乡卫生院党支部", "卫生院", OrgKind.BRANCH, 12, "机关"),
    ("乡中心小学党支部", "中心小学", OrgKind.BRANCH, 13, "机关"),
]
# Villages holding one retired member each besides the retirees' branch (9 + 4 = 13 retired).
RETIRED_IN_VILLAGES = {"西岭村党支部", "桔园村党支部", "古厝村党支部", "石门村党支部"}

LEADING_GROUP = [  # (post, leading-group role)
    ("乡党委书记", "组长"),
    ("乡党委副书记、乡长", "副组长"),
    ("乡党委副书记", "副组长"),
    ("乡党委组织委员", "成员"),
    ("乡党委宣传委员", "成员"),
    ("乡纪委书记", "成员"),
    ("乡人大主席", "成员"),
    ("乡党委委员、武装部长", "成员"),
    ("副乡长", "成员"),
    ("副乡长", "成员"),
]


def _branch_specs():
    """Every branch with its grassroots organisation: (grassroots index, name, short, size, kind)."""
    for index, spec in enumerate(GRASSROOTS):
        if spec[2] == OrgKind.GENERAL_BRANCH:
            for name, short, size, kind in spec[3]:
                yield index, name, short, size, kind
        else:
            yield index, spec[0], spec[1], spec[3], spec[4]


def build_township(ctx: SeedContext, *, name: str, short: str, order: int, prefix: str = "") -> Township:
    rng = ctx.rng
    committee = Organisation(
        name=name, short_name=short, kind=OrgKind.COMMITTEE, parent=ctx.county, order=order
    )
    bulk_create_with_history([committee], Organisation, default_change_reason=REASON)
    committee = Organisation.objects.get(parent=ctx.county, name=name)

    grassroots = [
        Organisation(name=prefix + g[0], short_name=g[1], kind=g[2], parent=committee, order=i + 1)
        for i, g in enumerate(GRASSROOTS)
    ]
    bulk_create_with_history(grassroots, Organisation, default_change_reason=REASON)
    grassroots = list(Organisation.objects.filter(parent=committee).order_by("order"))

    inner = []
    for gi, spec in enumerate(GRASSROOTS):
        if spec[2] == OrgKind.GENERAL_BRANCH:
            for bi, (bname, bshort, _, _) in enumerate(spec[3]):
                inner.append(
                    Organisation(
                        name=prefix + bname,
                        short_name=bshort,
                        kind=OrgKind.BRANCH,
                        parent=grassroots[gi],
                        order=bi + 1,
                    )
                )
    bulk_create_with_history(inner, Organisation, default_change_reason=REASON)
    by_name = {o.name: o for o in Organisation.objects.filter(parent__in=grassroots)}
    by_name.update({o.name: o for o in grassroots})

    branches = [by_name[prefix + spec[1]] for spec in _branch_specs()]
    sizes = [(by_name[prefix + bname], size, kind, bname) for _, bname, _, size, kind in _branch_specs()]
    total = sum(size for _, size, _, _ in sizes)
    names = name_pool(rng, total)
    mobiles = mobile_pool(rng, total)

    members: list[Member] = []
    members_by_org: dict[int, list[Member]] = {}
    cursor = 0
    for org, size, kind, bare_name in sizes:
        here = []
        for i in range(size):
            if kind == "退休":
                category = MemberCategory.RETIRED
            elif kind == "机关":
                category = MemberCategory.EMPLOYED
            elif kind == "村" and i == size - 1:
                category = MemberCategory.MOBILE  # one member of every village branch works away
            elif i == size - 2 and bare_name in RETIRED_IN_VILLAGES:
                category = MemberCategory.RETIRED
            else:
                category = MemberCategory.RURAL
            born = (
                1950 + rng.randrange(0, 50)
                if category != MemberCategory.RETIRED
                else 1940 + rng.randrange(0, 20)
            )
            joined = datetime.date(
                min(born + 22 + rng.randrange(0, 20), 2023), rng.randrange(1, 13), rng.randrange(1, 29)
            )
            here.append(
                Member(
                    name=names[cursor],
                    gender="女" if rng.random() < 0.3 else "男",
                    organisation=org,
                    category=category,
                    mobile=mobiles[cursor],
                    joined_on=joined,
                    post="",
                )
            )
            cursor += 1
        here[0].post = "党支部书记"
        members_by_org[org.pk] = here
        members.extend(here)

    # The committee's leading members belong to the first government branch, after its own secretary.
    government = members_by_org[branches[0].pk]
    leaders = []
    for (post, role), member in zip(LEADING_GROUP, government[1:], strict=False):
        member.post = post
        leaders.append((member, role, post))
    bulk_create_with_history(members, Member, default_change_reason=REASON)
    saved = {(m.organisation_id, m.name): m for m in Member.objects.filter(organisation__in=branches)}
    members = [saved[(m.organisation_id, m.name)] for m in members]
    members_by_org = {org_id: [saved[(org_id, m.name)] for m in ms] for org_id, ms in members_by_org.items()}
    leaders = [(saved[(m.organisation_id, m.name)], role, post) for m, role, post in leaders]

    # A secretary for every organisation: the committee's is its secretary, a general branch's is the
    # secretary of its first branch (兼任), a branch's is its first member.
    for branch in branches:
        branch.secretary = members_by_org[branch.pk][0]
    committee.secretary = leaders[0][0]
    for org in grassroots:
        if org.kind == OrgKind.GENERAL_BRANCH:
            first = min((b for b in branches if b.parent_id == org.pk), key=lambda b: b.order)
            org.secretary = first.secretary
    bulk_update_with_history(
        [committee, *grassroots, *branches], Organisation, ["secretary"], default_change_reason=REASON
    )

    return Township(
        committee=committee,
        grassroots=grassroots,
        branches=branches,
        members=members,
        members_by_org=members_by_org,
        leaders=leaders,
    )


def _make_user(ctx, username, *, who, role, organisation, member=None, display_name=""):
    user = User(
        username=username, role=role, organisation=organisation, member=member, display_name=display_name
    )
    user.set_password(ctx.password)
    user.save()
    ctx.logins.append((who, username, ctx.password))
    return user


def _county(ctx: SeedContext, name: str) -> Organisation:
    """The county at the top, with its secretary as a member of its own."""
    county = Organisation(name=name, short_name=name.removesuffix("委"), kind=OrgKind.COUNTY)
    bulk_create_with_history([county], Organisation, default_change_reason=REASON)
    county = Organisation.objects.get(parent=None, name=name)
    secretary = Member(
        name="周正阳",
        gender="男",
        organisation=county,
        category=MemberCategory.EMPLOYED,
        mobile="13905990001",
        joined_on=datetime.date(1998, 7, 1),
        post="县委书记",
    )
    bulk_create_with_history([secretary], Member, default_change_reason=REASON)
    county.secretary = Member.objects.get(organisation=county)
    bulk_update_with_history([county], Organisation, ["secretary"], default_change_reason=REASON)
    return county


def demo(ctx: SeedContext) -> None:
    ctx.county = _county(ctx, "XX县委")
    township = build_township(ctx, name="XX乡党委", short="XX乡", order=1)
    ctx.townships.append(township)
    committee = township.committee
    township.admin = _make_user(
        ctx,
        "xx-admin",
        who="乡党委管理员（主题教育办公室）",
        role=Role.TOWNSHIP_ADMIN,
        organisation=committee,
        member=township.leaders[3][0],
        display_name=f"{township.leaders[3][0].name}（组织委员）",
    )
    _make_user(
        ctx,
        "county",
        who="县委主题教育办（只读）",
        role=Role.COUNTY_VIEWER,
        organisation=ctx.county,
        display_name="县委主题教育办",
    )
    for i, branch in enumerate(township.branches, start=1):
        _make_user(
            ctx,
            f"branch{i:02d}",
            who=f"党支部书记：{branch.name}",
            role=Role.BRANCH_SECRETARY,
            organisation=branch,
            member=branch.secretary,
            display_name=f"{branch.secretary.name}（{branch.short_name}书记）",
        )


def scale(ctx: SeedContext, count: int) -> None:
    ctx.county = _county(ctx, "XX县委")
    for i in range(1, count + 1):
        name = f"第{i:02d}乡党委"
        township = build_township(ctx, name=name, short=f"第{i:02d}乡", order=i, prefix=f"第{i:02d}乡")
        ctx.townships.append(township)
        township.admin = _make_user(
            ctx,
            f"admin{i:02d}",
            who=f"{name}管理员",
            role=Role.TOWNSHIP_ADMIN,
            organisation=township.committee,
        )
        _make_user(
            ctx,
            f"t{i:02d}-branch01",
            who=f"{township.branches[0].name}书记",
            role=Role.BRANCH_SECRETARY,
            organisation=township.branches[0],
            member=township.branches[0].secretary,
        )
        ctx.say(f"  {name}：{len(township.members)}名党员\n")
    _make_user(ctx, "county", who="县委主题教育办（只读）", role=Role.COUNTY_VIEWER, organisation=ctx.county)
