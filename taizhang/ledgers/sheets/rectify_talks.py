"""谈心谈话, a ledger of rectification (改).

谈心谈话 is matched by (township, 日期, 谈话人, the set of 谈话对象): each person talked to is one person-time,
so another set of persons is another talk. The talk belongs to the township of the people it names (else
the default township); as in the services, only a township admin writes talks, every person must be of the
township and the talker is not one of them.
Matched within the importing campaign; errors name the ledger's column.
"""

from __future__ import annotations

from taizhang.orgs.models import Member, Organisation
from taizhang.rectify.choices import TalkType
from taizhang.rectify.models import Talk, TalkPerson

from ..context import Batch, changed
from ..spec import Column, Row, Sheet, register
from .common import person, qualified_names
from .rectify_base import members_outside, names, people_of, set_people, validate

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
        outside = members_outside(ctx, persons, township)
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
    found = ctx.fetch(
        Talk.objects.order_by("pk"),
        campaign=ctx.campaign,
        organisation__in={t.pk for _, t, _, _ in parsed},
        on__in={row["日期"] for row, *_ in parsed},
        talker__in={m.pk for _, _, m, _ in parsed},
    )
    talked_to = ctx.people_of(Talk, "persons", found)
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
        if not validate(ctx, row, talk, TALK_FIELD_COLUMNS, exclude=["campaign", "organisation", "talker"]):
            continue
        if talk.pk is None:
            persons_of.append((talk, persons))
        talks.add(talk, these)
    talks.write()
    for talk, persons in persons_of:
        set_people(ctx, talk, "persons", persons)


def export_talks(campaign, org_ids, viewer=None):
    """A talk's 主要内容 only for those who may read it on its page (township admins, the talker)."""
    from taizhang.rectify.selectors import can_read_talk

    shared = qualified_names(org_ids)
    talks = list(
        Talk.objects.filter(campaign=campaign, organisation__in=org_ids)
        .select_related("talker__organisation")
        .order_by("on", "pk")
    )
    persons = people_of(TalkPerson, "talk", talks)
    for talk in talks:
        yield (
            talk.on,
            talk.kind,
            person(talk.talker, shared),
            names(persons.get(talk.pk, []), shared),
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
