"""调研走访, 干事创业清单 and 走访企业: the research ledgers (研). Research records are the township's own, as
in research/services.py: only a township admin (or a superuser, or the command line) imports them, and
only for the townships in his scope.

None of these sheets has an organisation column: a row belongs to the township of the people it names
(带队领导 and 参加人员; 责任领导; 走访干部), else to the one 责任单位 names, else to the default one (--org, or
the importing user's township).

Decisions, following the models and services:

- 调研走访 names its topic by title (调研课题) within the row's township. A topic not yet recorded is
  created in the row's township, led (牵头领导) by the row's 带队领导: the ledger has no sheet of topics, and
  an export must re-import into an empty database. A topic that exists keeps its leader. A topic of that
  title that was deleted is refused (restore it first), as ResearchVisit.clean refuses it. The visit's
  参加人员 must be of the same township; they are the visit's whole list, as the form sets it (a participant
  no longer listed is removed; a blank cell leaves none). They are exported in the order they were
  recorded as members (a many-to-many keeps no order).
- 干事创业清单 names its 来源调研课题 the same way; an unknown one is created only when the row names a
  责任领导 (who then leads it), else the row is refused: a topic needs a leader. 责任单位 is "an organisation
  or free text": a name of an organisation of the row's township is that organisation; other text is the
  unit's name (ActionItem.unit) under the township committee, as the form stores it; blank is the
  committee. A done item (已完成) needs a 完成时间, and an item with one must be done (ActionItem.clean). A
  blank 状态 is 未开始. The ledger has no 提出日期: a new item is taken as collected on the earliest of its
  完成时间, 完成时限, today and the campaign's last day, so that it counts in the campaign it is imported
  for; an existing item keeps its own. Its 完成情况 and 来源调研走访 are not in the ledger and are kept.
- 走访企业 is one row per issue an enterprise raised: the rows of one visit share 日期, 企业名称 and 走访干部
  (cells may be merged); a visit without issues is one row with the issue columns blank. An enterprise not
  in the township's register is added to it (the ledger has no sheet of enterprises); a deleted one is
  refused. A visit's issues are matched by their text, and the rest in order (so an edited text updates
  the issue in place); issues recorded but not in the file are kept, never deleted by an import.
- Every sheet is loaded whole (chunk=None): these ledgers hold tens to hundreds of rows, the rows of one
  enterprise visit must be seen together, and a key twice in a file (but for 走访企业, whose rows sharing a
  key are one visit's issues) is an error that names the other row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q

from taizhang.core.deadlines import today
from taizhang.core.history import stamp
from taizhang.core.scoping import subtree_ids
from taizhang.orgs.models import Member
from taizhang.research.choices import ActionStatus, PlaceKind
from taizhang.research.models import (
    ActionItem,
    Enterprise,
    EnterpriseIssue,
    EnterpriseVisit,
    ResearchTopic,
    ResearchVisit,
)

from ..context import Batch, changed
from ..spec import Column, Sheet, register
from ..values import text
from .study import person, qualified_names

# Shared with serve.py ----------------------------------------------------------------------------------


def admins_only(ctx, what: str) -> bool:
    """Research records are written by township admins only (research/services.py); one error for the sheet."""
    if ctx.scope.is_admin:
        return True
    ctx.error(None, "", f"只有乡党委管理员可以导入{what}，本表不能导入")
    return False


def first_of_key(ctx, seen: dict, key, row, column: str, what: str) -> bool:
    """Whether this row is the first of its natural key in the file; an error naming the other row if not
    (what: the key's columns, e.g. 日期和调研地点)."""
    if key in seen:
        ctx.error(row, column, f"与第{seen[key]}行的{what}相同，同一条记录只能填写一行", row[column])
        return False
    seen[key] = row.number
    return True


def people_township(ctx, row, people, unit_column: str = ""):
    """The township of a row without an organisation column: that of the people it names; else that of the
    organisation its 责任单位 names when the name is of one township only; else the default one."""
    people = [p for p in people if p is not None]
    if people:
        return ctx.row_township(row, members=people)
    if unit_column:
        name = text(row[unit_column])
        townships = {ctx.township_id(o) for o in ctx.orgs_by_name.get(name, [])} - {None}
        if len(townships) == 1:
            return ctx.orgs_by_pk[townships.pop()]
    return ctx.row_township(row)


def responsible_unit(ctx, row, column: str, township):
    """(organisation, unit name) of a 责任单位 cell, "an organisation or free text": an organisation of the
    township by its name or short name; other text is the name of a unit that is no party organisation, held
    by the township committee (as the forms store it); blank is the committee. None after an error."""
    name = text(row[column])
    if not name:
        return township, ""
    candidates = [o for o in ctx.orgs_by_name.get(name, []) if ctx.township_id(o) is not None]
    inside = list(dict.fromkeys(o for o in candidates if ctx.township_id(o) == township.pk))
    if len(inside) == 1:
        return inside[0], ""
    if len(inside) > 1:
        names = "、".join(o.name for o in inside)
        ctx.error(row, column, f"有{len(inside)}个组织叫这个名称（{names}），请写组织全称", name)
        return None
    if candidates:
        where = "、".join(dict.fromkeys(ctx.township(o).name for o in candidates))
        ctx.error(row, column, f"这是{where}的组织，不是{township.name}的；本行属于{township.name}", name)
        return None
    return township, name


def writable_unit(ctx, row, column: str, org) -> bool:
    """ctx.writable for the organisation a 责任单位 cell stands for, saying so when the cell is a unit's name
    (held by the township committee) rather than the organisation's."""
    cell = text(row[column])
    if cell and cell not in (org.name, org.short_name) and not ctx.scope.can_write(org.pk):
        ctx.error(
            row, column, f"不是党组织的责任单位记在{org.name}名下，不在您的管理范围内，本行不能导入", cell
        )
        return False
    return ctx.writable(row, column, org)


def validate_as(ctx, row, column: str, obj, what: str) -> bool:
    """Validate a record a row implies (a new topic, a new enterprise); every message is put on one column."""
    try:
        obj.clean_fields()
        obj.clean()
    except ValidationError as exc:
        for message in exc.messages:
            ctx.error(row, column, f"{what}：{message}", row[column])
        return False
    return True


def save_one(obj, ctx) -> None:
    """stamp() and save() one record (for the few a sheet implies), counted nowhere."""
    stamp(obj, ctx.actor, ctx.reason)
    obj.save()


def save_with_members(obj, field: str, people: list, ctx) -> None:
    """Save a record with its many-to-many members so that its history holds one entry with both (as the
    services' _save_with_members, without their actor check: the importer has checked the scope)."""
    creating = obj.pk is None
    stamp(obj, ctx.actor, ctx.reason)
    obj.skip_history_when_saving = True
    try:
        obj.save()
        getattr(obj, field).set(people)
    finally:
        del obj.skip_history_when_saving
    stamp(obj, ctx.actor, ctx.reason)
    obj.save(update_fields=["updated_at"])  # the history entry, now that the members are in place
    if creating:
        obj.history.update(history_type="+")


def in_campaign(campaign, field: str, *, or_unknown: bool = False) -> Q:
    """Records of the campaign, for records without a campaign: the date in its period (or unknown), as the
    indicators count them (`within`)."""
    if campaign is None:
        return Q()
    q = Q(**{f"{field}__range": (campaign.start_date, campaign.end_date)})
    return q | Q(**{f"{field}__isnull": True}) if or_unknown else q


def shared_names(org_ids, township_ids) -> set[str]:
    """Names to write 姓名（组织名称）: shared by two members of the exported organisations or of the
    townships the records belong to (a leader may be of the township, outside an exported branch)."""
    wide = set(org_ids)
    for township_id in set(township_ids) - {None}:
        wide |= subtree_ids(township_id)
    return qualified_names(wide)


def topics_named(ctx, pairs) -> tuple[dict, set]:
    """Live topics by (township id, title), and the (township id, title) of deleted ones, for the pairs."""
    pairs = set(pairs)
    if not pairs:
        return {}, set()
    live, deleted = {}, set()
    for topic in ResearchTopic.all_objects.filter(
        organisation__in={t for t, _ in pairs}, title__in={title for _, title in pairs}
    ).order_by("pk"):
        key = (topic.organisation_id, topic.title)
        if topic.deleted_at is None:
            live[key] = topic
        else:
            deleted.add(key)
    return live, deleted


def topic_for(ctx, row, column: str, township, leader, live: dict, deleted: set):
    """The topic a row names within its township; a new one (led by `leader`) when none is recorded."""
    title = text(row[column])
    key = (township.pk, title)
    topic = live.get(key)
    if topic is not None:
        return topic
    if key in deleted:
        ctx.error(row, column, "该调研课题已删除，请先在回收站中恢复该课题", title)
        return None
    if leader is None:
        ctx.error(
            row,
            column,
            f"{township.name}没有这个调研课题；请先在“调研走访”表或系统中建立，或填写责任领导（以其为牵头领导新建课题）",
            title,
        )
        return None
    topic = ResearchTopic(organisation=township, title=title, leader=leader)
    if not validate_as(ctx, row, column, topic, f"新建调研课题“{title}”"):
        return None
    save_one(topic, ctx)
    live[key] = topic
    return topic


# 调研走访 ----------------------------------------------------------------------------------------------


def normalise_lines(value: str) -> str:
    return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


def load_visits(rows, ctx) -> None:
    if not admins_only(ctx, "调研走访"):
        return
    parsed = _parse_visit_rows(rows, ctx)
    if not parsed:
        return
    live, deleted = topics_named(ctx, {(t.pk, text(row["调研课题"])) for row, t, _, _ in parsed})
    existing, listed = _recorded_research_visits(parsed)
    for row, township, leader, people in parsed:
        topic = topic_for(ctx, row, "调研课题", township, leader, live, deleted)
        if topic is None:
            continue
        values = {
            "topic": topic,
            "leader": leader,
            "place_kind": row["地点类型"],
            "findings": normalise_lines(row["发现问题"]),
        }
        visit = existing.get((township.pk, row["日期"], row["调研地点"]))
        if visit is None:
            visit = ResearchVisit(organisation=township, date=row["日期"], place=row["调研地点"], **values)
            fields = ["new"]
        else:
            fields = changed(visit, values)
            if set(listed.get(visit.pk, [])) != {m.pk for m in people}:
                fields.append("participants")
        if not fields:
            ctx.count("unchanged")
            continue
        if not ctx.validate(row, visit):
            continue
        created = visit.pk is None
        save_with_members(visit, "participants", people, ctx)
        ctx.count("created" if created else "updated")


def _parse_visit_rows(rows, ctx) -> list:
    """The (row, township, leader, participants) of the rows whose 带队领导 and 参加人员 are known, whose
    township is writable and has all the participants, and whose (日期, 调研地点) is the first of its
    township in the file."""
    parsed, seen = [], {}
    for row in rows:
        leader = ctx.member(row, "带队领导")
        if leader is None:
            continue
        near = ctx.township(leader.organisation)
        people = ctx.members(row, "参加人员", township=near) if row["参加人员"] else []
        if people is None:
            continue
        township = ctx.row_township(row, members=[leader, *people])
        if township is None or not ctx.writable(row, "", township):
            continue
        outside = [m.name for m in people if ctx.township_id(m.organisation) != township.pk]
        if outside:
            ctx.error(row, "参加人员", f"{'、'.join(outside)}不是{township.name}的党员", row["参加人员"])
            continue
        if not first_of_key(
            ctx, seen, (township.pk, row["日期"], row["调研地点"]), row, "调研地点", "日期和调研地点"
        ):
            continue
        parsed.append((row, township, leader, people))
    return parsed


def _recorded_research_visits(parsed) -> tuple[dict, dict]:
    """The recorded visits by (township id, date, place) for the parsed rows' townships, dates and places,
    and the ids of each one's participants (in the order they were listed) by visit id."""
    existing = {
        (v.organisation_id, v.date, v.place): v
        for v in ResearchVisit.objects.filter(
            organisation__in={t.pk for _, t, _, _ in parsed},
            date__in={row["日期"] for row, *_ in parsed},
            place__in={row["调研地点"] for row, *_ in parsed},
        ).select_related("topic", "leader")
    }
    listed = defaultdict(list)
    through = ResearchVisit.participants.through
    for visit_id, member_id in (
        through.objects.filter(researchvisit__in=[v.pk for v in existing.values()])
        .order_by("pk")
        .values_list("researchvisit_id", "member_id")
    ):
        listed[visit_id].append(member_id)
    return existing, listed


def export_visits(campaign, org_ids):
    visits = list(
        ResearchVisit.objects.filter(in_campaign(campaign, "date"), organisation__in=org_ids)
        .select_related("topic", "leader__organisation")
        .order_by("date", "place", "pk")
    )
    shared = shared_names(org_ids, {v.organisation_id for v in visits})
    through = ResearchVisit.participants.through
    listed = defaultdict(list)
    for visit_id, member_id in (
        through.objects.filter(researchvisit__in=[v.pk for v in visits])
        .order_by("pk")
        .values_list("researchvisit_id", "member_id")
    ):
        listed[visit_id].append(member_id)
    members = {
        m.pk: m
        for m in Member.all_objects.filter(
            pk__in={pk for ids in listed.values() for pk in ids}
        ).select_related("organisation")
    }
    for v in visits:
        yield (
            v.date,
            v.topic.title,
            person(v.leader, shared),
            v.place,
            v.place_kind,
            "、".join(person(members[pk], shared) for pk in sorted(listed.get(v.pk, [])) if pk in members),
            v.findings,
        )


VISITS = register(
    Sheet(
        name="调研走访",
        order=70,
        chunk=None,
        columns=(
            Column("日期", "date", required=True, key=True),
            Column(
                "调研课题",
                required=True,
                width=30,
                field="research.ResearchTopic.title",
                note="本乡没有的课题将新建，由带队领导牵头",
            ),
            Column("带队领导", "member", required=True),
            Column("调研地点", required=True, key=True, width=20, field="research.ResearchVisit.place"),
            Column("地点类型", "choice", required=True, choices=tuple(PlaceKind.values)),
            Column("参加人员", "members", width=30, note="姓名之间用“、”分隔"),
            Column("发现问题", width=40, note="每行一条"),
        ),
        example=(
            "2023-09-20",
            "推动乡村产业振兴",
            "张三",
            "XX村",
            "村",
            "李四、王五",
            "村集体经济收入来源单一",
        ),
        loader=load_visits,
        exporter=export_visits,
    )
)


# 干事创业清单 ------------------------------------------------------------------------------------------


def collected_on(ctx, deadline, completed_on) -> datetime.date:
    """提出日期 of a new item (the ledger has none): the earliest date it cannot be later than."""
    end = getattr(ctx.campaign, "end_date", None)
    return min(d for d in (completed_on, deadline, today(), end) if d is not None)


def load_actions(rows, ctx) -> None:
    if not admins_only(ctx, "干事创业清单"):
        return
    parsed, seen = [], {}
    for row in rows:
        leader = ctx.member(row, "责任领导", required=False)
        if row["责任领导"] and leader is None:
            continue
        township = people_township(ctx, row, [leader], "责任单位")
        if township is None:
            continue
        unit = responsible_unit(ctx, row, "责任单位", township)
        if unit is None or not writable_unit(ctx, row, "责任单位", unit[0]):
            continue
        if not first_of_key(ctx, seen, (township.pk, row["序号"]), row, "序号", "序号"):
            continue
        parsed.append((row, township, leader, unit))
    if not parsed:
        return
    live, deleted = topics_named(
        ctx, {(t.pk, text(row["来源调研课题"])) for row, t, _, _ in parsed if row["来源调研课题"]}
    )
    existing = {
        (item.township_id, item.serial): item
        for item in ActionItem.objects.filter(
            township__in={t.pk for _, t, _, _ in parsed}, serial__in={row["序号"] for row, *_ in parsed}
        ).select_related("organisation", "leader", "source_topic", "source_visit")
    }
    items = Batch(ctx, ActionItem)
    for row, township, leader, (organisation, unit) in parsed:
        topic = None
        if row["来源调研课题"]:
            topic = topic_for(ctx, row, "来源调研课题", township, leader, live, deleted)
            if topic is None:
                continue
        values = {
            "content": row["事项"],
            "source_topic": topic,
            "leader": leader,
            "organisation": organisation,
            "unit": unit,
            "deadline": row["完成时限"],
            "status": row["状态"] or ActionStatus.NOT_STARTED,
            "completed_on": row["完成时间"],
        }
        item = existing.get((township.pk, row["序号"]))
        if item is None:
            item = ActionItem(
                township=township,
                serial=row["序号"],
                raised_on=collected_on(ctx, row["完成时限"], row["完成时间"]),
                **values,
            )
            these = []
        else:
            these = changed(item, values)
        if (item.pk is None or these) and not ctx.validate(row, item):
            continue
        items.add(item, these)
    items.write()


def export_actions(campaign, org_ids):
    items = list(
        ActionItem.objects.filter(
            in_campaign(campaign, "raised_on", or_unknown=True), organisation__in=org_ids
        )
        .select_related("township", "organisation", "leader__organisation", "source_topic")
        .order_by("township__order", "township_id", "serial")
    )
    shared = shared_names(org_ids, {item.township_id for item in items})
    for item in items:
        yield (
            item.serial,
            item.content,
            item.source_topic.title if item.source_topic_id else "",
            person(item.leader, shared) if item.leader_id else "",
            item.unit or item.organisation.name,
            item.deadline,
            item.status,
            item.completed_on,
        )


ACTIONS = register(
    Sheet(
        name="干事创业清单",
        order=75,
        chunk=None,
        columns=(
            Column("序号", "int", required=True, key=True, note="本乡内的编号"),
            Column("事项", required=True, width=40),
            Column("来源调研课题", width=30),
            Column("责任领导", "member"),
            Column("责任单位", "org_or_text", width=24, note="本乡党组织名称，或其他单位名称"),
            Column("完成时限", "date", rule="deadline"),
            Column("状态", "choice", choices=tuple(ActionStatus.values)),
            Column("完成时间", "date", note="已完成的须填写"),
        ),
        example=(
            1,
            "拓宽村集体经济收入渠道",
            "推动乡村产业振兴",
            "张三",
            "XX村党支部",
            "2023-12-31",
            "已完成",
            "2023-12-20",
        ),
        loader=load_actions,
        exporter=export_actions,
    )
)


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


def _enterprises_named(parsed) -> tuple[dict, set]:
    """Live enterprises by (township id, name), and the (township id, name) of deleted ones, for the
    townships and 企业名称 of the parsed rows."""
    enterprises, deleted = {}, set()
    for e in Enterprise.all_objects.filter(
        organisation__in={t.pk for _, t, _ in parsed}, name__in={row["企业名称"] for row, *_ in parsed}
    ).order_by("pk"):
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
    enterprises, deleted = _enterprises_named(parsed)
    refused: set = set()
    visits: dict[tuple, list] = {}
    for row, township, cadre in parsed:
        enterprise = _enterprise_for(ctx, row, township, enterprises, deleted, refused)
        if enterprise is None:
            continue
        visits.setdefault((enterprise.pk, row["日期"], cadre.pk), []).append((row, enterprise, cadre))
    return visits


def _recorded_visits(visits: dict) -> tuple[dict, dict]:
    """The recorded visits by (enterprise id, date, cadre id) for the visits' enterprises and dates, and
    their issues (in the order they were recorded) by visit id."""
    existing = {
        (v.enterprise_id, v.date, v.cadre_id): v
        for v in EnterpriseVisit.objects.filter(
            enterprise__in={k[0] for k in visits}, date__in={k[1] for k in visits}
        )
    }
    issues = defaultdict(list)
    for issue in EnterpriseIssue.objects.filter(visit__in=list(existing.values())).order_by("pk"):
        issues[issue.visit_id].append(issue)
    return existing, issues


def _plan_enterprise_visits(ctx, visits: dict) -> tuple[list, list]:
    """(new visits, [(visit, its issue changes)]): each visit of the file, recorded or new (validated,
    not yet saved), with the plan of its issues; a visit with an error in itself or its issues is left out."""
    existing, issues = _recorded_visits(visits)
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
    visits = list(
        EnterpriseVisit.objects.filter(in_campaign(campaign, "date"), organisation__in=org_ids)
        .select_related("enterprise", "cadre__organisation")
        .order_by("date", "enterprise__name", "cadre__name", "pk")
    )
    shared = shared_names(org_ids, {v.organisation_id for v in visits})
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
