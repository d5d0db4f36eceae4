"""How the rows of 问题清单 make problems (see the sheet, rectify.py): which rows belong to one problem, the
problem cells they agree on, its 责任主体 and the people of each row, resolved; errors for the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Member, Organisation
from taizhang.rectify.choices import OwnerKind
from taizhang.rectify.models import BELOW_COMMITTEE, Problem

from ..spec import Row
from ..values import text
from .rectify_base import member_cell

PROBLEM_CELLS = ("责任主体", "问题描述", "问题类别", "问题来源")  # the same on every row of a problem
LEADER_TEXT = re.compile(r"^班子成员[：:](?P<name>.+)$")


@dataclass
class Owner:
    kind: str
    org: Organisation | None  # the committee for 班子 / 班子成员
    member: Member | None = None
    township: Organisation | None = None


@dataclass
class Group:
    """The rows of one problem, its cells and where each came from."""

    number: int
    rows: list[Row] = field(default_factory=list)
    owner_text: str = ""
    cells: dict[str, object] = field(default_factory=dict)
    where: dict[str, Row] = field(default_factory=dict)
    standards: list[str] = field(default_factory=list)
    owner: Owner | None = None
    people: dict[int, tuple[Member | None, Member | None]] = field(default_factory=dict)
    problem: Problem | None = None


def _owner_text(value) -> str:
    return re.sub(r"\s+", "", text(value)).replace(":", "：")


def _split(rows: list[Row], ctx) -> list[Group]:
    groups: list[Group] = []
    current: Group | None = None
    for row in rows:
        number, owner = row["序号"], _owner_text(row["责任主体"])
        if number is None:
            if current is None:
                ctx.error(
                    row,
                    "序号",
                    "必填项，不能为空（序号为空的行是上一个问题的另一项整改措施，但上面没有问题）",
                )
                continue
        elif not (
            current is not None
            and current.number == number
            and (not owner or not current.owner_text or owner == current.owner_text)
        ):
            earlier = [
                g
                for g in groups
                if g.number == number and (not owner or not g.owner_text or g.owner_text == owner)
            ]
            current = earlier[-1] if earlier else None
            if current is None:
                current = Group(number)
                groups.append(current)
        current.rows.append(row)
        if owner and not current.owner_text:
            current.owner_text = owner
    return groups


def _collect(group: Group, ctx) -> bool:
    """The problem's cells from its rows; an error for each row that gives another value."""
    ok = True
    for row in group.rows:
        for column in PROBLEM_CELLS:
            value = _owner_text(row[column]) if column == "责任主体" else row[column]
            if value in (None, ""):
                continue
            if column not in group.cells:
                group.cells[column], group.where[column] = value, row
            elif value != group.cells[column]:
                first = group.where[column]
                ctx.error(
                    row,
                    column,
                    f"与同一问题（序号{group.number}，第{first.number}行）的{column}“{text(group.cells[column])}”"
                    "不一致；序号相同或为空的行是同一问题的另一项措施，另一个问题请另编序号",
                    row[column],
                )
                ok = False
        standard = text(row["整改标准"])
        if standard and standard not in group.standards:
            group.standards.append(standard)
            group.where.setdefault("整改标准", row)
    for column in ("责任主体", "问题描述"):
        if column not in group.cells:
            ctx.error(group.rows[0], column, f"必填项，不能为空（序号{group.number}的各行都没有填写）")
            ok = False
    return ok


def _resolve_owner(group: Group, ctx) -> Owner | None:
    raw, row = group.cells["责任主体"], group.where["责任主体"]
    cell = Row(row.number, {"责任主体": raw})
    if raw == "班子成员":
        ctx.error(row, "责任主体", "请写明是哪一位班子成员，如“班子成员：张三”", raw)
        return None
    match = LEADER_TEXT.match(raw)
    if match:
        member = ctx.member(Row(row.number, {"责任主体": match["name"]}), "责任主体")
        if member is None:
            return None
        township = ctx.township(member.organisation)
        if township is None:
            ctx.error(row, "责任主体", "该党员不在任何乡党委之下", raw)
            return None
        return Owner(OwnerKind.LEADER, township, member, township)
    if raw == "班子":
        return Owner(OwnerKind.LEADERSHIP, None)  # the township: from the people named, or the default
    if raw.endswith("班子") and raw not in ctx.orgs_by_name:
        committees = [o for o in ctx.orgs_by_name.get(raw[:-2], []) if o.kind == OrgKind.COMMITTEE]
        if len(committees) == 1:
            return Owner(OwnerKind.LEADERSHIP, committees[0], None, committees[0])
        ctx.error(row, "责任主体", f"没有名为“{raw[:-2]}”的乡党委", raw)
        return None
    org = ctx.org(cell, "责任主体")
    if org is None:
        return None
    if org.kind == OrgKind.COMMITTEE:
        return Owner(OwnerKind.LEADERSHIP, org, None, org)
    township = ctx.township(org)
    if org.kind not in BELOW_COMMITTEE or township is None:
        ctx.error(row, "责任主体", "责任主体应为党总支、党支部的名称，或“班子”“班子成员：姓名”", raw)
        return None
    return Owner(OwnerKind.ORGANISATION, org, None, township)


def _resolve_people(group: Group, ctx) -> bool:
    """The 责任领导 and 责任人 of each row (within the problem's township when it is known); for a 班子
    problem without a named committee, the township is then that of these people, or the default one."""
    township = group.owner.township
    ok = True
    people = []
    for row in group.rows:
        leader, good_leader = member_cell(ctx, row, "责任领导", township)
        doer, good_doer = member_cell(ctx, row, "责任人", township)
        ok = ok and good_leader and good_doer
        group.people[row.number] = (leader, doer)
        people += [leader, doer]
    if ok and township is None:
        township = ctx.row_township(group.where["责任主体"], members=[p for p in people if p])
        if township is None:
            return False
        group.owner.township = group.owner.org = township
    return ok


def checked_groups(rows, ctx) -> list[Group]:
    """The problems of the rows whose cells agree, whose 责任主体 and people resolve and which the user
    may write; errors for the others."""
    groups = []
    for group in _split(rows, ctx):
        if not _collect(group, ctx):
            continue
        group.owner = _resolve_owner(group, ctx)
        if group.owner is None or not _resolve_people(group, ctx):
            continue
        if not ctx.writable(group.where["责任主体"], "责任主体", group.owner.org):
            continue
        groups.append(group)
    return groups


def drop_repeated_numbers(groups: list[Group], ctx) -> None:
    """Remove from groups (in place), with an error, each problem whose 序号 an earlier problem of the same
    township already uses."""
    by_key: dict[tuple[int, int], Group] = {}
    for group in list(groups):
        key = (group.owner.township.pk, group.number)
        if key in by_key:
            first = by_key[key]
            ctx.error(
                group.where["责任主体"],
                "责任主体",
                f"序号{group.number}在本乡已用于第{first.where['责任主体'].number}行的问题"
                f"（责任主体“{first.cells['责任主体']}”），同一乡镇的问题序号不能重复",
                group.cells["责任主体"],
            )
            groups.remove(group)
            continue
        by_key[key] = group
