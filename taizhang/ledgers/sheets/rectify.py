"""问题清单, 谈心谈话 and 党建工作体检: the ledgers of rectification (改).

问题清单 is one row per measure (整改措施); the rows of one problem share its 序号, and the problem's cells
(序号, 责任主体, 问题描述, 问题类别, 问题来源, 整改标准) may be merged over them, repeated, or left blank:
    - A row with a blank 序号 continues the problem above it. A row with a 序号 continues the problem of that
      序号 when its 责任主体 is blank or the same; another 责任主体 with the same 序号 is another problem (two
      townships' 序号 1 in one county file).
    - A continuing row that repeats a problem cell must repeat it unchanged (a row error says which row gave
      the other value: a blank 序号 under the wrong problem shows up here). 整改标准 is the exception: the
      model keeps one per problem, so the distinct standards of its rows are kept together, one per line.
    - 序号, 责任主体 and 问题描述 are starred in the contract but needed only once per problem, so the columns
      are not `required` for the importer (it would refuse the blank cells of the follow-on rows); this sheet
      checks them per problem and still names them to find the header row (ProblemSheet.required).
    - 责任主体 is an organisation's name (a 党总支 or 党支部), 班子 (the committee's leadership) or 班子成员：姓名
      (one of its members; ：or :). Also accepted: 乡党委名称班子, and the committee's own name, both meaning
      its 班子. An export writes 班子, or 乡党委名称班子 when the exported organisations hold several
      committees (plain 班子 would not say whose it is on re-import).
    - A problem is matched by (township, campaign, 序号); a measure by its problem and 整改措施 text. Measures
      of a problem that the file does not list are left alone (an import never deletes).
    - 发现日期 has no column: an existing problem keeps its date; a new one gets the campaign's start date, or
      today if that is earlier. A 整改时限 before that date is refused as the model refuses it (a deadline
      before the campaign began is a typo, not a reason to move the date found).
    - 整改状态 left blank keeps an existing measure's status (a new one is 未开始): a ledger that does not
      track progress does not reset it. The status is set by the same rule as the measure form
      (rectify.services.measure_set_status): 已完成/长期坚持 with or without 完成情况 and without evidence;
      such a measure is done (the figures count it) but not signed off (销号): that is the township admin's
      step on the measure's page, with evidence, which a ledger has none of, so the import never signs off
      and writes nothing into the progress log. 完成时间 has no column, so a measure done by the import gets
      its 整改时限, or the campaign's end date when it has none, but never a day after today nor before the
      problem's date; an already done measure keeps its date. A signed-off measure's status is changed, as
      on the pages, by a township admin only; moving it back to 未开始/整改中 undoes the sign-off and is
      logged. 完成情况 is kept as written.
    - The sheet's counts are per row (per measure): created when the row made its measure (or, on a
      problem's first row, the problem), updated when it changed anything, unchanged otherwise.

谈心谈话 is matched by (township, 日期, 谈话人, the set of 谈话对象): each person talked to is one person-time,
so another set of persons is another talk. The talk belongs to the township of the people it names (else
the default township); as in the services, only a township admin writes talks, every person must be of the
township and the talker is not one of them. 党建工作体检 is matched by (日期, 组织); only a township admin
writes health checks, and a check from which a weak-organisation remedy started keeps its grade.

Every sheet matches within the importing campaign. Errors name the ledger's column, not the model field
(the framework's ctx.validate names fields by their verbose names, e.g. 受检组织 for 组织).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from taizhang.core.history import stamp
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Member, Organisation
from taizhang.rectify.choices import (
    EntryKind,
    Grade,
    MeasureStatus,
    OwnerKind,
    ProblemCategory,
    ProblemSource,
    TalkType,
)
from taizhang.rectify.models import HealthCheck, Measure, Problem, ProgressEntry, Talk, TalkPerson
from taizhang.rectify.services import measure_set_status

from ..context import Batch, changed
from ..spec import Column, Row, Sheet, register
from ..values import text
from .study import person, qualified_names

BELOW_COMMITTEE = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
LEADER_TEXT = re.compile(r"^班子成员[：:](?P<name>.+)$")


# Shared helpers --------------------------------------------------------------------------------------


def _validate(ctx, row: Row, obj, columns: dict[str, str], *, exclude=(), rows=None) -> bool:
    """Like ctx.validate, but each error names the ledger's column (columns: model field -> column name, ""
    for none) and shows the cell's value; rows: column -> the row that gave it (a problem's several rows)."""
    try:
        obj.clean_fields(exclude=list(exclude))
        obj.clean()
    except ValidationError as exc:
        items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
        for name, messages in items:
            column = columns.get(name, "")
            where = (rows or {}).get(column, row)
            value = where[column] if column else ""
            for message in messages:
                ctx.error(where, column, message, value)
        return False
    return True


def _member(ctx, row: Row, column: str, township) -> tuple[Member | None, bool]:
    """The member a cell names (None when blank) and whether the cell is right."""
    if not text(row[column]):
        return None, True
    member = ctx.member(row, column, township=township)
    return member, member is not None


def _set_m2m(ctx, obj, manager_name: str, members: list[Member]) -> bool:
    """Set a many-to-many list of members (with history) when it differs; whether it did."""
    manager = getattr(obj, manager_name)
    if obj.pk and {m.pk for m in members} == set(manager.values_list("pk", flat=True)):
        return False
    stamp(obj, ctx.actor, ctx.reason)
    manager.set(members)
    return True


def _outside(ctx, members, township) -> list[str]:
    return [m.name for m in members if ctx.township_id(m.organisation) != township.pk]


# 问题清单 --------------------------------------------------------------------------------------------

PROBLEM_CELLS = ("责任主体", "问题描述", "问题类别", "问题来源")  # the same on every row of a problem
MEASURE_CELLS = ("责任领导", "责任人", "整改时限", "整改状态", "完成情况")
STATUS_FIELDS = ("status", "completed_on", "signed_off_at", "signed_off_by_id")  # set by measure_set_status
PROBLEM_FIELD_COLUMNS = {
    "number": "序号",
    "owner_kind": "责任主体",
    "owner_org": "责任主体",
    "owner_member": "责任主体",
    "is_special": "责任主体",
    "lead": "责任主体",
    "content": "问题描述",
    "category": "问题类别",
    "source": "问题来源",
    "standard": "整改标准",
}
MEASURE_FIELD_COLUMNS = {
    "content": "整改措施",
    "responsible_leader": "责任领导",
    "responsible_person": "责任人",
    "deadline": "整改时限",
    "status": "整改状态",
    "completed_on": "整改状态",
    "completion_note": "完成情况",
}


@dataclass
class ProblemSheet(Sheet):
    """A sheet whose starred columns are needed once per problem, not on every row: they find the header
    row (`required`), while the columns themselves are optional for the importer's row parsing."""

    starred: tuple[str, ...] = ()

    @property
    def required(self) -> set[str]:
        return set(self.starred)


@dataclass
class _Owner:
    kind: str
    org: Organisation | None  # the committee for 班子 / 班子成员
    member: Member | None = None
    township: Organisation | None = None


@dataclass
class _Group:
    """The rows of one problem, its cells and where each came from."""

    number: int
    rows: list[Row] = field(default_factory=list)
    owner_text: str = ""
    cells: dict[str, object] = field(default_factory=dict)
    where: dict[str, Row] = field(default_factory=dict)
    standards: list[str] = field(default_factory=list)
    owner: _Owner | None = None
    people: dict[int, tuple[Member | None, Member | None]] = field(default_factory=dict)
    problem: Problem | None = None


def _owner_text(value) -> str:
    return re.sub(r"\s+", "", text(value)).replace(":", "：")


def _split(rows: list[Row], ctx) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
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
                current = _Group(number)
                groups.append(current)
        current.rows.append(row)
        if owner and not current.owner_text:
            current.owner_text = owner
    return groups


def _collect(group: _Group, ctx) -> bool:
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


def _resolve_owner(group: _Group, ctx) -> _Owner | None:
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
        return _Owner(OwnerKind.LEADER, township, member, township)
    if raw == "班子":
        return _Owner(OwnerKind.LEADERSHIP, None)  # the township: from the people named, or the default
    if raw.endswith("班子") and raw not in ctx.orgs_by_name:
        committees = [o for o in ctx.orgs_by_name.get(raw[:-2], []) if o.kind == OrgKind.COMMITTEE]
        if len(committees) == 1:
            return _Owner(OwnerKind.LEADERSHIP, committees[0], None, committees[0])
        ctx.error(row, "责任主体", f"没有名为“{raw[:-2]}”的乡党委", raw)
        return None
    org = ctx.org(cell, "责任主体")
    if org is None:
        return None
    if org.kind == OrgKind.COMMITTEE:
        return _Owner(OwnerKind.LEADERSHIP, org, None, org)
    township = ctx.township(org)
    if org.kind not in BELOW_COMMITTEE or township is None:
        ctx.error(row, "责任主体", "责任主体应为党总支、党支部的名称，或“班子”“班子成员：姓名”", raw)
        return None
    return _Owner(OwnerKind.ORGANISATION, org, None, township)


def _resolve_people(group: _Group, ctx) -> bool:
    """The 责任领导 and 责任人 of each row (within the problem's township when it is known); for a 班子
    problem without a named committee, the township is then that of these people, or the default one."""
    township = group.owner.township
    ok = True
    people = []
    for row in group.rows:
        leader, good_leader = _member(ctx, row, "责任领导", township)
        doer, good_doer = _member(ctx, row, "责任人", township)
        ok = ok and good_leader and good_doer
        group.people[row.number] = (leader, doer)
        people += [leader, doer]
    if ok and township is None:
        township = ctx.row_township(group.where["责任主体"], members=[p for p in people if p])
        if township is None:
            return False
        group.owner.township = group.owner.org = township
    return ok


def _found_on(campaign) -> datetime.date:
    return min(campaign.start_date, timezone.localdate())


def _completed_on(campaign, deadline, problem: Problem) -> datetime.date:
    day = min(deadline or campaign.end_date, timezone.localdate())
    return max(day, problem.found_on)


def _checked_groups(rows, ctx) -> list[_Group]:
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


def _drop_repeated_numbers(groups: list[_Group], ctx) -> None:
    """Remove from groups (in place), with an error, each problem whose 序号 an earlier problem of the same
    township already uses."""
    by_key: dict[tuple[int, int], _Group] = {}
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


def load_problems(rows, ctx) -> None:
    groups = _checked_groups(rows, ctx)
    _drop_repeated_numbers(groups, ctx)
    if not groups:
        return
    existing = {
        (p.township_id, p.number): p
        for p in Problem.objects.filter(
            campaign=ctx.campaign,
            township__in={g.owner.township.pk for g in groups},
            number__in={g.number for g in groups},
        ).select_related("owner_org", "owner_member", "township")
    }
    outcome: dict[int, str] = {}  # row number -> created | updated | unchanged
    problems = Batch(ctx, Problem, counted=False)  # counted per row, below
    for group in groups:
        owner, first = group.owner, group.rows[0]
        problem = existing.get((owner.township.pk, group.number))
        values = {
            "owner_kind": owner.kind,
            "owner_org": owner.org,
            "owner_member": owner.member,
            "content": group.cells["问题描述"],
            "category": group.cells.get("问题类别") or "",
            "source": group.cells.get("问题来源") or "",
            "standard": "\n".join(group.standards),
        }
        if problem is None:
            problem = Problem(
                campaign=ctx.campaign,
                township=owner.township,
                number=group.number,
                found_on=_found_on(ctx.campaign),
                **values,
            )
            these = []
        else:
            if problem.owner_org_id != owner.org.pk and not ctx.writable(
                group.where["责任主体"], "责任主体", problem.owner_org
            ):
                continue
            these = changed(problem, values)
        if not _validate(
            ctx,
            first,
            problem,
            PROBLEM_FIELD_COLUMNS,
            exclude=["campaign", "township", "owner_org", "owner_member", "lead"],
            rows=group.where,
        ):
            continue
        group.problem = problem
        problems.add(problem, these)
        if problem.pk is None:
            outcome[first.number] = "created"
        elif these:
            outcome[first.number] = "updated"
    problems.write()
    _load_measures([g for g in groups if g.problem is not None and g.problem.pk], ctx, outcome)
    for what in ("created", "updated", "unchanged"):
        n = sum(1 for v in outcome.values() if v == what)
        if n:
            ctx.count(what, n)


def _existing_measures(problems: list[Problem]) -> tuple[dict[tuple[int, str], Measure], dict[int, int]]:
    """The problems' live measures by (problem, 整改措施) (the first in order), and each problem's highest
    measure order, deleted measures included."""
    existing: dict[tuple[int, str], Measure] = {}
    top: dict[int, int] = {}
    for measure in (
        Measure.all_objects.filter(problem__in=problems)
        .select_related("responsible_leader", "responsible_person")
        .order_by("order", "pk")
    ):
        top[measure.problem_id] = max(top.get(measure.problem_id, 0), measure.order)
        if not measure.is_deleted:
            existing.setdefault((measure.problem_id, measure.content), measure)
    return existing, top


def _blank_measure_row(row: Row, ctx, outcome: dict[int, str]) -> None:
    """A problem's row without 整改措施: an error when it fills in other measure cells, else unchanged."""
    extra = [c for c in MEASURE_CELLS if text(row[c])]
    if extra:
        ctx.error(row, "整改措施", f"请填写整改措施。本行填写了{'、'.join(extra)}，却没有整改措施")
    else:
        outcome.setdefault(row.number, "unchanged")


def _load_measures(groups: list[_Group], ctx, outcome: dict[int, str]) -> None:
    problems = [g.problem for g in groups]
    existing, top = _existing_measures(problems)
    measures, entries = Batch(ctx, Measure, counted=False), []
    today = timezone.localdate()
    for group in groups:
        problem = group.problem
        seen: dict[str, Row] = {}
        for row in group.rows:
            content = text(row["整改措施"])
            if not content:
                _blank_measure_row(row, ctx, outcome)
                continue
            if content in seen:
                ctx.error(
                    row,
                    "整改措施",
                    f"与第{seen[content].number}行是同一问题的同一项整改措施，请合并为一行",
                    content,
                )
                continue
            seen[content] = row
            leader, doer = group.people[row.number]
            measure = existing.get((problem.pk, content))
            status = row["整改状态"] or (measure.status if measure else MeasureStatus.NOT_STARTED)
            values = {
                "responsible_leader": leader,
                "responsible_person": doer,
                "deadline": row["整改时限"],
                "completion_note": text(row["完成情况"]),
            }
            if measure is None:
                measure = Measure(
                    problem=problem, content=content, order=(top.get(problem.pk, 0) + 1), **values
                )
                these = []
            else:
                measure.problem = problem
                these = changed(measure, values)
            before = {name: getattr(measure, name) for name in STATUS_FIELDS}
            try:  # the status by the same rule as the measure form (services.measure_set_status)
                undone = measure_set_status(
                    measure,
                    status,
                    is_admin=ctx.scope.is_admin,
                    default_completed_on=_completed_on(ctx.campaign, row["整改时限"], problem),
                )
            except ValidationError as exc:
                for message in exc.message_dict["status"]:
                    ctx.error(row, "整改状态", message, status)
                continue
            these += [name for name in STATUS_FIELDS if getattr(measure, name) != before[name]]
            if not _validate(
                ctx,
                row,
                measure,
                MEASURE_FIELD_COLUMNS,
                exclude=["problem", "responsible_leader", "responsible_person"],
            ):
                continue
            if measure.pk is None:
                top[problem.pk] = measure.order
            measures.add(measure, these)
            if measure.pk is None:
                outcome[row.number] = "created"
            elif these:
                outcome.setdefault(row.number, "updated")
            else:
                outcome.setdefault(row.number, "unchanged")
            if undone:  # an admin moved a signed-off measure back to work: logged as measure_update does
                entries.append(
                    (measure, EntryKind.REOPEN, today, f"导入台账：整改状态改为“{measure.status}”")
                )
    measures.write()
    author = ctx._user()
    ctx.create_quietly(
        ProgressEntry,
        [
            ProgressEntry(measure=m, kind=kind, on=on, text=note, author=author)
            for m, kind, on, note in entries
        ],
    )


def export_problems(campaign, org_ids):
    shared = qualified_names(org_ids)
    several = Organisation.objects.filter(pk__in=org_ids, kind=OrgKind.COMMITTEE).count() > 1
    problems = list(
        Problem.objects.filter(campaign=campaign, owner_org__in=org_ids)
        .select_related("owner_org", "owner_member__organisation", "township")
        .order_by("township__order", "township_id", "number")
    )
    measures: dict[int, list[Measure]] = {}
    for measure in (
        Measure.objects.filter(problem__in=problems)
        .select_related("responsible_leader__organisation", "responsible_person__organisation")
        .order_by("order", "pk")
    ):
        measures.setdefault(measure.problem_id, []).append(measure)

    def who(member):
        return person(member, shared) if member is not None else ""

    for problem in problems:
        if problem.owner_kind == OwnerKind.LEADERSHIP:
            owner = f"{problem.township.name}班子" if several else "班子"
        elif problem.owner_kind == OwnerKind.LEADER:
            owner = f"班子成员：{who(problem.owner_member)}"
        else:
            owner = problem.owner_org.name
        cells = (problem.number, owner, problem.content, problem.category, problem.source)
        for measure in measures.get(problem.pk) or [None]:
            if measure is None:
                yield (*cells, "", problem.standard, "", "", None, "", "")
                continue
            yield (
                *cells,
                measure.content,
                problem.standard,
                who(measure.responsible_leader),
                who(measure.responsible_person),
                measure.deadline,
                measure.status,
                measure.completion_note,
            )


PROBLEMS = register(
    ProblemSheet(
        name="问题清单",
        order=50,
        chunk=None,
        starred=("序号", "责任主体", "问题描述"),
        columns=(
            Column("序号", "int", key=True, width=6, note="必填；同一问题的各项措施共用序号，可合并单元格"),
            Column("责任主体", "org_or_text", width=20, note="必填；组织名称，或“班子”“班子成员：姓名”"),
            Column("问题描述", width=40, note="必填"),
            Column("问题类别", "choice", choices=tuple(ProblemCategory.values)),
            Column("问题来源", "choice", choices=tuple(ProblemSource.values)),
            Column("整改措施", key=True, width=40, note="每项措施一行"),
            Column("整改标准", width=30),
            Column("责任领导", "member"),
            Column("责任人", "member"),
            Column("整改时限", "date", rule="deadline"),
            Column("整改状态", "choice", choices=tuple(MeasureStatus.values)),
            Column("完成情况", width=30, note="可不填；销号时由乡党委管理员凭佐证材料办理"),
        ),
        example=(
            1,
            "班子",
            "理论学习不够系统深入",
            "理论学习",
            "查摆",
            "制定班子学习计划，每月集中学习一次",
            "学习计划落实到位",
            "张三",
            "李四",
            "2023-12-31",
            "整改中",
            "",
        ),
        loader=load_problems,
        exporter=export_problems,
    )
)


# 谈心谈话 --------------------------------------------------------------------------------------------

TALK_FIELD_COLUMNS = {"on": "日期", "kind": "类型", "talker": "谈话人", "content": "主要内容"}


def _parse_talks(rows, ctx) -> list[tuple[Row, Organisation, Member, list[Member]]]:
    """(row, township, talker, persons) for each row whose people resolve, of one township the user may
    write as its admin, the talker not among the persons; errors for the others."""
    parsed = []
    for row in rows:
        talker = ctx.member(row, "谈话人")
        hint = ctx.township(talker.organisation) if talker else None
        persons = ctx.members(row, "谈话对象", township=hint)
        if talker is None or persons is None:
            continue
        if not persons:
            ctx.error(row, "谈话对象", "请填写谈话对象，至少一人", row["谈话对象"])
            continue
        township = ctx.row_township(row, members=[talker, *persons])
        if township is None or not ctx.writable(row, "谈话人", township):
            continue
        if not ctx.scope.is_admin:
            ctx.error(row, "谈话人", "只有乡党委管理员可以导入谈心谈话", row["谈话人"])
            continue
        outside = _outside(ctx, persons, township)
        if outside:
            ctx.error(row, "谈话对象", f"谈话对象“{'、'.join(outside)}”不是本乡党员", row["谈话对象"])
            continue
        if talker in persons:
            ctx.error(row, "谈话对象", "谈话人不能同时是谈话对象", row["谈话对象"])
            continue
        parsed.append((row, township, talker, persons))
    return parsed


def load_talks(rows, ctx) -> None:
    parsed = _parse_talks(rows, ctx)
    if not parsed:
        return
    found = list(
        Talk.objects.filter(
            campaign=ctx.campaign,
            organisation__in={t.pk for _, t, _, _ in parsed},
            on__in={row["日期"] for row, *_ in parsed},
            talker__in={m.pk for _, _, m, _ in parsed},
        ).order_by("pk")
    )
    talked_to: dict[int, set[int]] = {}
    for talk_id, member_id in TalkPerson.objects.filter(talk__in=found).values_list("talk_id", "member_id"):
        talked_to.setdefault(talk_id, set()).add(member_id)
    existing: dict[tuple, Talk] = {}
    for talk in found:
        key = (talk.organisation_id, talk.on, talk.talker_id, frozenset(talked_to.get(talk.pk, ())))
        existing.setdefault(key, talk)
    seen: dict[tuple, Row] = {}
    talks, persons_of = Batch(ctx, Talk), []
    for row, township, talker, persons in parsed:
        key = (township.pk, row["日期"], talker.pk, frozenset(p.pk for p in persons))
        if key in seen:
            ctx.error(
                row,
                "谈话对象",
                f"与第{seen[key].number}行是同一次谈话（日期、谈话人、谈话对象都相同）",
                row["谈话对象"],
            )
            continue
        seen[key] = row
        values = {"kind": row["类型"], "content": row["主要内容"]}
        talk = existing.get(key)
        if talk is None:
            talk = Talk(campaign=ctx.campaign, organisation=township, on=row["日期"], talker=talker, **values)
            these = []
        else:
            talk.organisation, talk.talker = township, talker
            these = changed(talk, values)
        if not _validate(ctx, row, talk, TALK_FIELD_COLUMNS, exclude=["campaign", "organisation", "talker"]):
            continue
        if talk.pk is None:
            persons_of.append((talk, persons))
        talks.add(talk, these)
    talks.write()
    for talk, persons in persons_of:
        _set_m2m(ctx, talk, "persons", persons)


def export_talks(campaign, org_ids, viewer=None):
    """A talk's 主要内容 only for those who may read it on its page (township admins, the talker)."""
    from taizhang.rectify.selectors import can_read_talk

    shared = qualified_names(org_ids)
    talks = list(
        Talk.objects.filter(campaign=campaign, organisation__in=org_ids)
        .select_related("talker__organisation")
        .order_by("on", "pk")
    )
    persons: dict[int, list[Member]] = {}
    for tp in TalkPerson.objects.filter(talk__in=talks).select_related("member__organisation").order_by("pk"):
        persons.setdefault(tp.talk_id, []).append(tp.member)
    for talk in talks:
        yield (
            talk.on,
            talk.kind,
            person(talk.talker, shared),
            "、".join(person(m, shared) for m in persons.get(talk.pk, [])),
            talk.content if viewer is None or can_read_talk(viewer, talk) else "",
        )


TALKS = register(
    Sheet(
        name="谈心谈话",
        order=55,
        columns=(
            Column("日期", "date", required=True, key=True),
            Column("类型", "choice", required=True, choices=tuple(TalkType.values)),
            Column("谈话人", "member", required=True, key=True),
            Column("谈话对象", "members", required=True, key=True, width=30, note="每人计一人次，用“、”分隔"),
            Column("主要内容", width=40),
        ),
        example=("2023-10-20", "谈心谈话", "张三", "李四、王五", "交流思想，指出工作作风方面的不足"),
        loader=load_talks,
        exporter=export_talks,
    )
)


# 党建工作体检 ----------------------------------------------------------------------------------------

CHECK_FIELD_COLUMNS = {"organisation": "组织", "checked_on": "日期", "grade": "等次", "findings": "发现问题"}


def _parse_checks(rows, ctx) -> list[tuple[Row, Organisation, list[Member]]]:
    """(row, organisation, checkers) for each row whose organisation the user may write as its township's
    admin and whose checkers are of that township; errors for the others."""
    parsed = []
    for row in rows:
        org = ctx.org(row, "组织")
        if org is None or not ctx.writable(row, "组织", org):
            continue
        if not ctx.scope.is_admin:
            ctx.error(row, "组织", "只有乡党委管理员可以导入党建工作体检", org.name)
            continue
        township = ctx.township(org)
        checkers = ctx.members(row, "检查人", township=township) if text(row["检查人"]) else []
        if checkers is None:
            continue
        outside = _outside(ctx, checkers, township) if township is not None else []
        if outside:
            ctx.error(row, "检查人", f"检查人“{'、'.join(outside)}”不是本乡党员", row["检查人"])
            continue
        parsed.append((row, org, checkers))
    return parsed


def load_checks(rows, ctx) -> None:
    parsed = _parse_checks(rows, ctx)
    if not parsed:
        return
    existing: dict[tuple, HealthCheck] = {}
    for check in HealthCheck.objects.filter(
        campaign=ctx.campaign,
        organisation__in={org.pk for _, org, _ in parsed},
        checked_on__in={row["日期"] for row, _, _ in parsed},
    ).order_by("pk"):
        existing.setdefault((check.organisation_id, check.checked_on), check)
    seen: dict[tuple, Row] = {}
    checks, checkers_of = Batch(ctx, HealthCheck), []
    for row, org, checkers in parsed:
        key = (org.pk, row["日期"])
        if key in seen:
            ctx.error(row, "日期", f"与第{seen[key].number}行是同一次体检（日期、组织相同）", row["日期"])
            continue
        seen[key] = row
        values = {"grade": row["等次"] or "", "findings": row["发现问题"]}
        check = existing.get(key)
        if check is None:
            check = HealthCheck(campaign=ctx.campaign, organisation=org, checked_on=row["日期"], **values)
            these = []
        else:
            check.organisation = org
            old_grade = check.grade
            these = changed(check, values)
            if "grade" in these and check.grade != Grade.WEAK and check.remedies.exists():
                ctx.error(
                    row,
                    "等次",
                    f"已据此次体检（等次“{old_grade}”）开展软弱涣散整顿，等次不能再改；整顿验收时会重新定级",
                    row["等次"],
                )
                continue
        if not _validate(ctx, row, check, CHECK_FIELD_COLUMNS, exclude=["campaign", "organisation"]):
            continue
        counted = check.pk is None or bool(these)  # by the batch; else below, with its checkers
        checkers_of.append((check, checkers, counted))
        if counted:
            checks.add(check, these)
    checks.write()
    for check, checkers, counted in checkers_of:
        if _set_m2m(ctx, check, "checkers", checkers):
            if not counted:
                ctx.count("updated")
        elif not counted:
            ctx.count("unchanged")


def export_checks(campaign, org_ids):
    shared = qualified_names(org_ids)
    checks = list(
        HealthCheck.objects.filter(campaign=campaign, organisation__in=org_ids)
        .select_related("organisation")
        .order_by("checked_on", "organisation__order", "organisation_id", "pk")
    )
    through = HealthCheck.checkers.through
    pairs = list(
        through.objects.filter(healthcheck__in=checks)
        .order_by("pk")
        .values_list("healthcheck_id", "member_id")
    )
    members = {
        m.pk: m
        for m in Member.all_objects.filter(pk__in={m for _, m in pairs}).select_related("organisation")
    }
    checkers: dict[int, list[Member]] = {}
    for check_id, member_id in pairs:
        checkers.setdefault(check_id, []).append(members[member_id])
    for check in checks:
        yield (
            check.checked_on,
            check.organisation.name,
            check.grade,
            check.findings,
            "、".join(person(m, shared) for m in checkers.get(check.pk, [])),
        )


CHECKS = register(
    Sheet(
        name="党建工作体检",
        order=60,
        columns=(
            Column("日期", "date", required=True, key=True),
            Column("组织", "org", required=True, key=True, width=24),
            Column("等次", "choice", choices=tuple(Grade.values)),
            Column("发现问题", width=40),
            Column("检查人", "members", width=24, note="姓名之间用“、”分隔"),
        ),
        example=("2023-11-10", "XX村党支部", "较好", "三会一课记录不够规范", "张三、李四"),
        loader=load_checks,
        exporter=export_checks,
    )
)
