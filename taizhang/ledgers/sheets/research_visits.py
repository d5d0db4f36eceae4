"""调研走访, and the research topics it and 干事创业清单 name (see research.py for what the research sheets share).

调研走访 names its topic by title (调研课题) within the row's township. A topic not yet recorded is created in
the row's township, led (牵头领导) by the row's 带队领导: the ledger has no sheet of topics, and an export must
re-import into an empty database. A topic that exists keeps its leader. A topic of that title that was
deleted is refused (restore it first), as ResearchVisit.clean refuses it. The visit's 参加人员 must be of the
same township; they are the visit's whole list, as the form sets it (a participant no longer listed is
removed; a blank cell leaves none). They are exported in the order they were recorded as members (a
many-to-many keeps no order).
"""

from __future__ import annotations

from collections import defaultdict

from taizhang.orgs.models import Member
from taizhang.research.choices import PlaceKind
from taizhang.research.models import ResearchTopic, ResearchVisit

from ..context import changed
from ..spec import Column, Sheet, register
from ..values import text
from .common import admins_only, campaign_records, first_of_key, person, recorded, save_one, validate_as

# Research topics -----------------------------------------------------------------------------------------


def topics_named(ctx, pairs) -> tuple[dict, set]:
    """Live topics by (township id, title), and the (township id, title) of deleted ones, for the pairs."""
    pairs = set(pairs)
    if not pairs:
        return {}, set()
    live, deleted = {}, set()
    for topic in ctx.fetch(
        ResearchTopic.all_objects.order_by("pk"),
        organisation__in={t for t, _ in pairs},
        title__in={title for _, title in pairs},
    ):
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
    existing, listed = _recorded_research_visits(ctx, parsed)
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
        ctx.save_with_members(visit, "participants", people)
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


def participants_of(visit_ids) -> dict[int, list[int]]:
    """The ids of each visit's participants, in the order they were listed, by visit id."""
    listed = defaultdict(list)
    through = ResearchVisit.participants.through
    for visit_id, member_id in (
        through.objects.filter(researchvisit__in=visit_ids)
        .order_by("pk")
        .values_list("researchvisit_id", "member_id")
    ):
        listed[visit_id].append(member_id)
    return listed


def _recorded_research_visits(ctx, parsed) -> tuple[dict, dict]:
    """The recorded visits by (township id, date, place) for the parsed rows' townships, dates and places,
    and the ids of each one's participants (participants_of)."""
    existing = recorded(
        ctx,
        ResearchVisit.objects.select_related("topic", "leader"),
        ("organisation_id", "date", "place"),
        {(t.pk, row["日期"], row["调研地点"]) for row, t, _, _ in parsed},
    )
    return existing, ctx.people_of(ResearchVisit, "participants", existing.values())


def export_visits(campaign, org_ids):
    records = ResearchVisit.objects.select_related("topic", "leader__organisation")
    visits, shared = campaign_records(records.order_by("date", "place", "pk"), campaign, org_ids, "date")
    listed = participants_of([v.pk for v in visits])
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
