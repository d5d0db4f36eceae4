"""为民办实事, 结对共建 and 宣传: the build-and-serve ledgers (建, and publicity of 谋). As in serve/services.py, a
branch secretary imports his own branch's records and a township admin any of his township's: each row is
checked against the scope of the organisation it belongs to.

Decisions, following the models and services:

- 为民办实事 is a numbered list, declared as 干事创业清单 is (numbered.py says how such a list is read).
- 结对共建 is matched by 共建单位 and 本方组织; its joint activities are not in the ledger and are kept.
- 宣传 is matched by 日期, 类型 and 内容或位置 within the township; a blank 组织 is the township committee, so a
  changed 组织 updates the item in place. 数量 is at least 1.
- Exports are the campaign's records as the indicators count them: service projects not done or done in the
  campaign's period, publicity dated in it, every partnership of the organisations.
- Every sheet is loaded whole (chunk=None); a natural key twice in a file is an error naming the other row.
"""

from __future__ import annotations

from taizhang.serve.choices import ProjectStatus, PublicityKind, ServiceClass
from taizhang.serve.models import Partnership, PublicityItem, ServiceProject

from ..context import Batch
from ..spec import Column, Sheet, register
from .common import first_of_key, of_campaign, recorded
from .numbered import NumberedList

# 为民办实事 --------------------------------------------------------------------------------------------


class ProjectList(NumberedList):
    name = "为民办实事"
    order = 85
    model = ServiceProject
    head = (
        Column("项目名称", required=True, width=30, field="serve.ServiceProject.name"),
        Column("类别", field="serve.ServiceProject.category", note="如：基础设施、产业发展、民生保障"),
        Column("办理方式", "choice", choices=tuple(ServiceClass.values)),
    )
    deadline = ("计划完成时间", "planned_on")
    statuses = ProjectStatus
    tail = (Column("成效", width=30),)
    example = (
        1,
        "修缮村内道路",
        "基础设施",
        "限期办",
        "张三",
        "XX村党支部",
        "2023-11-30",
        "已完成",
        "2023-11-25",
        "硬化道路1.2公里",
    )
    dated = "completed_on"

    def values(self, ctx, row, township, leader, prepared):
        return {
            "name": row["项目名称"],
            "category": row["类别"],
            "handling": row["办理方式"] or "",
            "result": row["成效"],
        }

    def exported_head(self, item):
        return (item.name, item.category, item.handling)

    def exported_tail(self, item):
        return (item.result,)


PROJECTS = ProjectList().declare()


# 结对共建 ----------------------------------------------------------------------------------------------


def load_partnerships(rows, ctx) -> None:
    parsed, seen = [], {}
    for row, org in ctx.writable_rows(rows, "本方组织"):
        if not first_of_key(ctx, seen, (org.pk, row["共建单位"]), row, "共建单位", "共建单位和本方组织"):
            continue
        parsed.append((row, org))
    if not parsed:
        return
    existing = recorded(
        ctx,
        Partnership.objects.all(),
        ("organisation_id", "partner"),
        {(org.pk, row["共建单位"]) for row, org in parsed},
    )
    partnerships = Batch(ctx, Partnership)
    for row, org in parsed:
        values = {"signed_on": row["签订日期"], "content": row["共建内容"]}
        partnership = existing.get((org.pk, row["共建单位"])) or Partnership(partner=row["共建单位"])
        partnership.organisation = org  # a recorded one's the same, for clean() without a query
        partnerships.put(row, partnership, values)
    partnerships.write()


def export_partnerships(campaign, org_ids):
    partnerships = (
        Partnership.objects.filter(organisation__in=org_ids)
        .select_related("organisation")
        .order_by("organisation__order", "organisation_id", "partner", "pk")
    )
    for p in partnerships:
        yield (p.partner, p.organisation.name, p.signed_on, p.content)


PARTNERSHIPS = register(
    Sheet(
        name="结对共建",
        order=90,
        chunk=None,
        columns=(
            Column("共建单位", required=True, key=True, width=30, field="serve.Partnership.partner"),
            Column("本方组织", "org", required=True, key=True, width=24),
            Column("签订日期", "date"),
            Column("共建内容", width=40),
        ),
        example=("市商务局机关党支部", "XX村党支部", "2023-09-28", "电商助农、联合开展主题党日"),
        loader=load_partnerships,
        exporter=export_partnerships,
    )
)


# 宣传 --------------------------------------------------------------------------------------------------


def load_publicity(rows, ctx) -> None:
    parsed, seen = [], {}
    for row in rows:
        org = ctx.org(row, "组织") if row["组织"] else None
        if row["组织"] and org is None:
            continue
        township = ctx.row_township(row, orgs=[org])
        if township is None:
            continue
        organisation = org or township
        if not ctx.writable(row, "组织", organisation):
            continue
        key = (township.pk, row["日期"], row["类型"], row["内容或位置"])
        if not first_of_key(ctx, seen, key, row, "内容或位置", "日期、类型和内容或位置"):
            continue
        parsed.append((row, township, organisation))
    if not parsed:
        return
    existing = recorded(
        ctx,
        PublicityItem.objects.select_related("organisation"),
        ("township_id", "date", "kind", "content"),
        {(t.pk, row["日期"], row["类型"], row["内容或位置"]) for row, t, _ in parsed},
    )
    items = Batch(ctx, PublicityItem)
    for row, township, organisation in parsed:
        values = {"organisation": organisation, "quantity": row["数量"]}
        item = existing.get((township.pk, row["日期"], row["类型"], row["内容或位置"])) or PublicityItem(
            township=township, date=row["日期"], kind=row["类型"], content=row["内容或位置"]
        )
        items.put(row, item, values)
    items.write()


def export_publicity(campaign, org_ids):
    records = PublicityItem.objects.select_related("organisation").order_by("date", "kind", "pk")
    items = of_campaign(records, campaign, org_ids, "date")
    for item in items:
        yield (item.date, item.organisation.name, item.kind, item.quantity, item.content)


PUBLICITY = register(
    Sheet(
        name="宣传",
        order=95,
        chunk=None,
        columns=(
            Column("日期", "date", required=True, key=True),
            Column("组织", "org", width=24, note="空白为乡党委"),
            Column("类型", "choice", required=True, key=True, choices=tuple(PublicityKind.values)),
            Column("数量", "int", required=True),
            Column("内容或位置", key=True, width=36, field="serve.PublicityItem.content"),
        ),
        example=("2023-09-10", "XX村党支部", "横幅标语", 3, "村委会门口"),
        loader=load_publicity,
        exporter=export_publicity,
    )
)
