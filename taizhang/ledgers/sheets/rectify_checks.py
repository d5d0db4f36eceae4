"""党建工作体检, a ledger of rectification (改).

党建工作体检 is matched by (日期, 组织); only a township admin
writes health checks, and a check from which a weak-organisation remedy started keeps its grade.
Matched within the importing campaign; errors name the ledger's column (the framework's ctx.validate names
fields by their verbose names, e.g. 受检组织 for 组织).
"""

from __future__ import annotations

from taizhang.orgs.models import Member, Organisation
from taizhang.rectify.choices import Grade
from taizhang.rectify.models import HealthCheck

from ..context import Batch, changed
from ..spec import Column, Row, Sheet, register
from ..values import text
from .common import qualified_names
from .rectify_base import members_outside, names, people_of, set_people, validate

CHECK_FIELD_COLUMNS = {"organisation": "组织", "checked_on": "日期", "grade": "等次", "findings": "发现问题"}


def _parse_checks(rows, ctx) -> list[tuple[Row, Organisation, list[Member]]]:
    """(row, organisation, checkers) for each row whose organisation the user may write as its township's
    admin and whose checkers are of that township; errors for the others."""
    parsed = []
    for row, org in ctx.writable_rows(rows, "组织"):
        if not ctx.scope.is_admin:
            ctx.error(row, "组织", "只有乡党委管理员可以导入党建工作体检", org.name)
            continue
        township = ctx.township(org)
        checkers = ctx.members(row, "检查人", township=township) if text(row["检查人"]) else []
        if checkers is None:
            continue
        outside = members_outside(ctx, checkers, township) if township is not None else []
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
    for check in ctx.fetch(
        HealthCheck.objects.order_by("pk"),
        campaign=ctx.campaign,
        organisation__in={org.pk for _, org, _ in parsed},
        checked_on__in={row["日期"] for row, _, _ in parsed},
    ):
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
        if not validate(ctx, row, check, CHECK_FIELD_COLUMNS, exclude=["campaign", "organisation"]):
            continue
        counted = check.pk is None or bool(these)  # by the batch; else below, with its checkers
        checkers_of.append((check, checkers, counted))
        if counted:
            checks.add(check, these)
    checks.write()
    for check, checkers, counted in checkers_of:
        if set_people(ctx, check, "checkers", checkers):
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
    checkers = people_of(HealthCheck.checkers.through, "healthcheck", checks)
    for check in checks:
        yield (
            check.checked_on,
            check.organisation.name,
            check.grade,
            check.findings,
            names(checkers.get(check.pk, []), shared),
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
