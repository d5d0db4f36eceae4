"""组织 and 党员: the tree and its members, loaded first so that every later sheet can name them."""

from __future__ import annotations

from taizhang.core.scoping import scope_for
from taizhang.orgs.choices import Gender, MemberCategory, OrgKind
from taizhang.orgs.models import Member, Organisation

from ..context import Batch, changed
from ..spec import Column, Sheet, register

KIND_NAMES = {OrgKind.COMMITTEE: "党委", OrgKind.GENERAL_BRANCH: "党总支", OrgKind.BRANCH: "党支部"}
KIND_OF = {label: kind for kind, label in KIND_NAMES.items()}


# 组织 ------------------------------------------------------------------------------------------------


def load_orgs(rows, ctx) -> None:
    """Organisations in any order: a row waits until its parent exists (in the system or an earlier row).
    Secretaries are set after the 党员 sheet (they are members)."""
    pending = list(rows)
    while pending:
        waiting = []
        for row in pending:
            parent_name = row["上级组织"] or ""
            if parent_name and not ctx.orgs_by_name.get(parent_name):
                waiting.append(row)
                continue
            _load_org(row, ctx)
        if len(waiting) == len(pending):
            for row in waiting:
                ctx.error(row, "上级组织", "没有这个组织（系统和本表中都没有）", row["上级组织"])
            break
        pending = waiting
    secretaries = [row for row in rows if row["书记"]]
    if secretaries:
        ctx.later.append(lambda: _set_secretaries(secretaries, ctx))


def _load_org(row, ctx) -> None:
    """One organisation, matched by its name within its township (a committee: by its name among committees)."""
    name, kind = row["组织名称"], KIND_OF[row["组织类型"]]
    parent = None
    if row["上级组织"]:
        parent = ctx.org(row, "上级组织")
        if parent is None:
            return
    elif kind != OrgKind.COMMITTEE:
        ctx.error(row, "上级组织", "党总支、党支部须填写上级组织")
        return
    if kind == OrgKind.COMMITTEE:
        same = [o for o in ctx.orgs_by_name.get(name, []) if o.name == name and o.kind == kind]
    else:
        township = ctx.township_id(parent)
        same = [
            o for o in ctx.orgs_by_name.get(name, []) if o.name == name and ctx.township_id(o) == township
        ]
    org = same[0] if same else Organisation(name=name)
    anchor = parent or (org if org.pk else None)  # whose scope the change is in
    if not ctx.scope.is_admin or not ctx.scope.can_write(anchor.pk if anchor else None):
        ctx.error(row, "组织名称", "只有本乡党委管理员可以导入组织（新的乡党委只能由系统管理员导入）", name)
        return
    # A committee written without 上级组织 stays where it is (under its county): blank means "not stated".
    parent_id = parent.pk if parent else (org.parent_id if org.pk else None)
    fields = changed(org, {"kind": kind, "parent_id": parent_id})
    if parent is not None:
        org.parent = parent  # the instance at hand: a planned one is not in the database yet
    if org.pk and not fields:
        ctx.count("unchanged")
        return
    if not ctx.validate(row, org, exclude=["secretary"]):
        return
    created = org.pk is None
    ctx.save(org)
    ctx.count("created" if created else "updated")
    ctx.add_org(org)


def _set_secretaries(rows, ctx) -> None:
    ctx.sheet = ORGS
    for row in rows:
        org = ctx.org(row, "组织名称")
        if org is None:
            continue
        member = ctx.member(row, "书记", township=ctx.township(org))
        if member is None or org.secretary_id == member.pk:
            continue
        if not ctx.writable(row, "书记", org):
            continue
        org.secretary = member
        ctx.save(org, update_fields=["secretary", "updated_at"])


def export_orgs(campaign, org_ids):
    orgs = Organisation.objects.filter(pk__in=org_ids).exclude(kind=OrgKind.COUNTY)
    orgs = orgs.select_related("parent", "secretary").order_siblings_by("order", "name")
    for org in orgs.with_tree_fields():
        yield (
            org.name,
            KIND_NAMES.get(org.kind, ""),
            org.parent.name if org.parent and org.parent.kind != OrgKind.COUNTY else "",
            org.secretary.name if org.secretary else "",
        )


ORGS = register(
    Sheet(
        name="组织",
        order=10,
        chunk=None,
        columns=(
            Column("组织名称", required=True, key=True, width=30, field="orgs.Organisation.name"),
            Column("组织类型", "choice", required=True, choices=tuple(KIND_OF)),
            Column("上级组织", "org", width=30, note="党委可空"),
            Column("书记", "member"),
        ),
        example=("XX村党支部", "党支部", "XX乡党委", "张三"),
        loader=load_orgs,
        exporter=export_orgs,
    )
)


# 党员 ------------------------------------------------------------------------------------------------


def load_members(rows, ctx) -> None:
    members = Batch(ctx, Member)
    for row, org in ctx.writable_rows(rows, "所在组织"):
        name, mobile = row["姓名"], row["联系电话"] or ""
        namesakes = [m for m in ctx.members_by_name.get(name, []) if m.organisation_id == org.pk]
        member = next((m for m in namesakes if m.mobile == mobile), None)
        if member is None and len(namesakes) == 1 and (not mobile or not namesakes[0].mobile):
            member = namesakes[0]  # the same person, his mobile now known (or not written this time)
        values = {"category": row["党员类别"]}
        if row.has("性别"):
            values["gender"] = row["性别"] or ""
        if row.has("入党时间"):
            values["joined_on"] = row["入党时间"]
        if mobile:
            values["mobile"] = mobile
        if member is None:
            member = Member(name=name, organisation=org, **{"mobile": mobile, **values})
            if ctx.validate(row, member, exclude=["organisation"]):
                members.add(member)
                ctx.members_by_name[name].append(member)
            continue
        fields = changed(member, values)
        if fields and not ctx.validate(row, member, exclude=["organisation"]):
            continue
        members.add(member, fields)
    members.write()


def export_members(campaign, org_ids, viewer=None):
    """Mobiles whole for the command line and township admins, masked for others (as on the pages); a
    masked mobile imported back is read as not stated."""
    scope = scope_for(viewer) if viewer is not None else None
    members = Member.objects.filter(organisation__in=org_ids).select_related("organisation")
    for m in members.order_by("organisation__order", "organisation_id", "name", "pk").iterator(
        chunk_size=2000
    ):
        mobile = m.mobile if viewer is None else m.mobile_for(scope)
        yield (m.name, m.gender, m.organisation.name, m.category, mobile, m.joined_on)


MEMBERS = register(
    Sheet(
        name="党员",
        order=20,
        columns=(
            Column("姓名", required=True, key=True, width=10, field="orgs.Member.name"),
            Column("性别", "choice", choices=tuple(Gender.values)),
            Column("所在组织", "org", required=True, key=True, width=30),
            Column("党员类别", "choice", required=True, choices=tuple(MemberCategory.values)),
            Column("联系电话", "mobile", key=True),
            Column("入党时间", "date", rule="join"),
        ),
        example=("张三", "男", "XX村党支部", "农村", "13800000000", "2001-07-01"),
        loader=load_members,
        exporter=export_members,
    )
)
