"""走访企业 (see research.py for what the research sheets share).

One row per issue an enterprise raised: the rows of one visit share 日期, 企业名称 and 走访干部 (cells may be
merged); a visit without issues is one row with the issue columns blank. An enterprise not in the township's
register is added to it (the ledger has no sheet of enterprises); a deleted one is refused. A visit's issues
are matched by their text, and the rest in order (so an edited text updates the issue in place); issues
recorded but not in the file are kept, never deleted by an import. Rows sharing a key are one visit's issues,
not an error.
"""

from __future__ import annotations

from collections import defaultdict

from taizhang.research.models import Enterprise, EnterpriseIssue, EnterpriseVisit

from ..context import Batch, changed
from ..spec import Column, Sheet, register
from .common import admins_only, campaign_records, person, recorded, save_one, validate_as

# 走访企业 ----------------------------------------------------------------------------------------------


def load_enterprise_visits(rows, ctx) -> None:
    if not admins_only(ctx, "走访企业"):
        return
    parsed = _parse_enterprise_rows(rows, ctx)
    if not parsed:
        return
    visits = _group_enterprise_visits(ctx, parsed)
    if not visits:
        return
    new_visits, plans = _plan_enterprise_visits(ctx, visits)
    ctx.create(EnterpriseVisit, new_visits)
    _write_enterprise_issues(ctx, new_visits, plans)


def _parse_enterprise_rows(rows, ctx) -> list:
    """The (row, township, cadre) of the rows whose 走访干部 is known and whose township is writable; a row
    with a 解决情况 or 是否解决 but no 企业反映问题 is refused."""
    parsed = []
    for row in rows:
        cadre = ctx.member(row, "走访干部")
        if cadre is None:
            continue
        township = ctx.row_township(row, members=[cadre])
        if township is None or not ctx.writable(row, "", township):
            continue
        if not row["企业反映问题"] and (row["解决情况"] or row["是否解决"] is not None):
            column = "解决情况" if row["解决情况"] else "是否解决"
            ctx.error(row, "企业反映问题", f"填写了{column}，但没有填写企业反映问题")
            continue
        parsed.append((row, township, cadre))
    return parsed


def _enterprises_named(ctx, parsed) -> tuple[dict, set]:
    """Live enterprises by (township id, name), and the (township id, name) of deleted ones, for the
    townships and 企业名称 of the parsed rows."""
    enterprises, deleted = {}, set()
    for e in ctx.fetch(
        Enterprise.all_objects.order_by("pk"),
        organisation__in={t.pk for _, t, _ in parsed},
        name__in={row["企业名称"] for row, *_ in parsed},
    ):
        if e.deleted_at is None:
            enterprises[(e.organisation_id, e.name)] = e
        else:
            deleted.add((e.organisation_id, e.name))
    return enterprises, deleted


def _enterprise_for(ctx, row, township, enterprises: dict, deleted: set, refused: set):
    """The enterprise a row names within its township; a new one added to the register (and to
    `enterprises`) when none is recorded. None when it was deleted or cannot be added (its key then goes
    to `refused`, so that its other rows are skipped without a second error)."""
    key = (township.pk, row["企业名称"])
    enterprise = enterprises.get(key)
    if enterprise is not None:
        return enterprise
    if key in refused:
        return None
    if key in deleted:
        ctx.error(row, "企业名称", "该企业已从企业名录中删除，请先在回收站中恢复", row["企业名称"])
        return None
    enterprise = Enterprise(organisation=township, name=row["企业名称"])
    if not validate_as(ctx, row, "企业名称", enterprise, "新增企业"):
        refused.add(key)  # one error, not one per row of its visits
        return None
    save_one(enterprise, ctx)
    enterprises[key] = enterprise
    return enterprise


def _group_enterprise_visits(ctx, parsed) -> dict[tuple, list]:
    """The rows of each visit, in file order (the visit's issues), by (enterprise id, 日期, cadre id);
    rows whose enterprise is refused are left out."""
    enterprises, deleted = _enterprises_named(ctx, parsed)
    refused: set = set()
    visits: dict[tuple, list] = {}
    for row, township, cadre in parsed:
        enterprise = _enterprise_for(ctx, row, township, enterprises, deleted, refused)
        if enterprise is None:
            continue
        visits.setdefault((enterprise.pk, row["日期"], cadre.pk), []).append((row, enterprise, cadre))
    return visits


def _recorded_visits(ctx, visits: dict) -> tuple[dict, dict]:
    """The recorded visits by (enterprise id, date, cadre id) for the visits of the file, and
    their issues (in the order they were recorded) by visit id."""
    existing = recorded(ctx, EnterpriseVisit.objects.all(), ("enterprise_id", "date", "cadre_id"), visits)
    issues = defaultdict(list)
    for issue in ctx.fetch(EnterpriseIssue.objects.order_by("pk"), visit__in=list(existing.values())):
        issues[issue.visit_id].append(issue)
    return existing, issues


def _plan_enterprise_visits(ctx, visits: dict) -> tuple[list, list]:
    """(new visits, [(visit, its issue changes)]): each visit of the file, recorded or new (validated,
    not yet saved), with the plan of its issues; a visit with an error in itself or its issues is left out."""
    existing, issues = _recorded_visits(ctx, visits)
    new_visits, plans = [], []
    for key, group in visits.items():
        row, enterprise, cadre = group[0]
        visit = existing.get(key)
        if visit is None:
            visit = EnterpriseVisit(
                organisation_id=enterprise.organisation_id, date=row["日期"], enterprise=enterprise
            )
            visit.cadre = cadre
            if not ctx.validate(row, visit):
                continue
            new_visits.append(visit)
        plan = _plan_issues(ctx, group, issues.get(visit.pk, []) if visit.pk else [])
        if plan is not None:
            plans.append((visit, plan))
    return new_visits, plans


def _write_enterprise_issues(ctx, new_visits: list, plans: list) -> None:
    """Write the planned issues (a new one attached to its visit, now created) and count each recorded
    visit as updated or unchanged (new visits are counted by their creation)."""
    written = Batch(ctx, EnterpriseIssue, counted=False)  # counted per visit
    for visit, changes in plans:
        for issue, these in changes:
            if issue.pk is None:
                issue.visit = visit
            written.add(issue, these)
        if visit not in new_visits:
            ctx.count("updated" if changes else "unchanged")
    written.write()


def _plan_issues(ctx, group, recorded):
    """The (issue, changed fields) of one visit's new and changed issues: the file's issues matched to the
    recorded ones by their text, the rest in order; None after an error."""
    wanted = [
        (
            row,
            {"content": row["企业反映问题"], "handling": row["解决情况"], "resolved": bool(row["是否解决"])},
        )
        for row, _, _ in group
        if row["企业反映问题"]
    ]
    free = list(recorded)
    pairs = []
    for row, values in wanted:
        match = next((i for i in free if i.content == values["content"]), None)
        if match is not None:
            free.remove(match)
        pairs.append([row, values, match])
    for pair in pairs:
        if pair[2] is None and free:
            pair[2] = free.pop(0)
    changes, ok = [], True
    for row, values, issue in pairs:
        if issue is None:
            issue, these = EnterpriseIssue(**values), []
        else:
            these = changed(issue, values)
            if not these:
                continue
        if not ctx.validate(row, issue, exclude=["visit"]):
            ok = False
            continue
        changes.append((issue, these))
    return changes if ok else None


def export_enterprise_visits(campaign, org_ids):
    records = EnterpriseVisit.objects.select_related("enterprise", "cadre__organisation").order_by(
        "date", "enterprise__name", "cadre__name", "pk"
    )
    visits, shared = campaign_records(records, campaign, org_ids, "date")
    issues = defaultdict(list)
    for issue in EnterpriseIssue.objects.filter(visit__in=visits).order_by("pk"):
        issues[issue.visit_id].append(issue)
    for v in visits:
        head = (v.date, v.enterprise.name, person(v.cadre, shared))
        if not issues.get(v.pk):
            yield (*head, "", "", None)
        for issue in issues.get(v.pk, []):
            yield (*head, issue.content, issue.handling, "是" if issue.resolved else "否")


ENTERPRISE_VISITS = register(
    Sheet(
        name="走访企业",
        order=80,
        chunk=None,
        columns=(
            Column("日期", "date", required=True, key=True),
            Column(
                "企业名称",
                required=True,
                key=True,
                width=30,
                field="research.Enterprise.name",
                note="名录中没有的企业将新增",
            ),
            Column("走访干部", "member", required=True, key=True),
            Column("企业反映问题", width=40, note="一行一个问题；同一次走访的多个问题分行填写"),
            Column("解决情况", width=30),
            Column("是否解决", "yes_no", choices=("是", "否")),
        ),
        example=("2023-10-12", "XX农业发展有限公司", "张三", "用工难", "已对接劳务市场", "是"),
        loader=load_enterprise_visits,
        exporter=export_enterprise_visits,
    )
)
