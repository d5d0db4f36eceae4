"""问题清单, a ledger of rectification (改); 谈心谈话 and 党建工作体检 are in rectify_talks and rectify_checks, and
register from here.

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

Every sheet matches within the importing campaign. Errors name the ledger's column, not the model field
(the framework's ctx.validate names fields by their verbose names, e.g. 受检组织 for 组织).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation
from taizhang.rectify.choices import EntryKind, MeasureStatus, OwnerKind, ProblemCategory, ProblemSource
from taizhang.rectify.models import Measure, Problem, ProgressEntry
from taizhang.rectify.services import measure_set_status

from ..context import Batch, changed
from ..spec import Column, Row, Sheet, register
from ..values import text
from .common import person, qualified_names, recorded
from .rectify_base import validate
from .rectify_checks import CHECKS
from .rectify_groups import Group, checked_groups, drop_repeated_numbers
from .rectify_talks import TALKS

__all__ = ["CHECKS", "PROBLEMS", "TALKS"]

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


def _found_on(campaign) -> datetime.date:
    return min(campaign.start_date, timezone.localdate())


def _completed_on(campaign, deadline, problem: Problem) -> datetime.date:
    day = min(deadline or campaign.end_date, timezone.localdate())
    return max(day, problem.found_on)


def load_problems(rows, ctx) -> None:
    groups = checked_groups(rows, ctx)
    drop_repeated_numbers(groups, ctx)
    if not groups:
        return
    existing = recorded(
        ctx,
        Problem.objects.filter(campaign=ctx.campaign).select_related("owner_org", "owner_member", "township"),
        ("township_id", "number"),
        {(g.owner.township.pk, g.number) for g in groups},
    )
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
        if not validate(
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
    _load_measures([g for g in groups if g.problem is not None], ctx, outcome)
    for what in ("created", "updated", "unchanged"):
        n = sum(1 for v in outcome.values() if v == what)
        if n:
            ctx.count(what, n)


def _existing_measures(ctx, problems: list[Problem]) -> tuple[dict[tuple[int, str], Measure], dict[int, int]]:
    """The problems' live measures by (problem, 整改措施) (the first in order), and each problem's highest
    measure order, deleted measures included."""
    existing: dict[tuple[int, str], Measure] = {}
    top: dict[int, int] = {}
    for measure in ctx.fetch(
        Measure.all_objects.select_related("responsible_leader", "responsible_person").order_by(
            "order", "pk"
        ),
        problem__in=problems,
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


def _load_measures(groups: list[Group], ctx, outcome: dict[int, str]) -> None:
    problems = [g.problem for g in groups]
    existing, top = _existing_measures(ctx, problems)
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
            if not validate(
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
