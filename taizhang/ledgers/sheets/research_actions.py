"""干事创业清单, a numbered list (numbered.py) of the research area (see research.py for what the research
sheets share).

It names its 来源调研课题 as 调研走访 does; an unknown one is created only when the row names a 责任领导 (who then
leads it), else the row is refused: a topic needs a leader. The ledger has no 提出日期: a new item is taken as
collected on the earliest of its 完成时间, 完成时限, today and the campaign's last day, so that it counts in the
campaign it is imported for; an existing item keeps its own. Its 完成情况 and 来源调研走访 are not in the
ledger and are kept.
"""

from __future__ import annotations

import datetime

from taizhang.core.deadlines import today
from taizhang.research.choices import ActionStatus
from taizhang.research.models import ActionItem

from ..spec import Column
from ..values import text
from .numbered import NumberedList
from .research_visits import topic_for, topics_named


def collected_on(ctx, deadline, completed_on) -> datetime.date:
    """提出日期 of a new item (the ledger has none): the earliest date it cannot be later than."""
    end = getattr(ctx.campaign, "end_date", None)
    return min(d for d in (completed_on, deadline, today(), end) if d is not None)


class ActionList(NumberedList):
    name = "干事创业清单"
    order = 75
    model = ActionItem
    head = (Column("事项", required=True, width=40), Column("来源调研课题", width=30))
    deadline = ("完成时限", "deadline")
    statuses = ActionStatus
    example = (
        1,
        "拓宽村集体经济收入渠道",
        "推动乡村产业振兴",
        "张三",
        "XX村党支部",
        "2023-12-31",
        "已完成",
        "2023-12-20",
    )
    dated = "raised_on"
    related = ("organisation", "leader", "source_topic", "source_visit")
    exported = ("township", "organisation", "leader__organisation", "source_topic")
    for_admins = True

    def prepare(self, ctx, parsed):
        """The topics the rows name: (live by (township id, title), deleted keys), see topics_named."""
        return topics_named(
            ctx, {(t.pk, text(row["来源调研课题"])) for row, t, _, _ in parsed if row["来源调研课题"]}
        )

    def values(self, ctx, row, township, leader, prepared):
        topic = None
        if row["来源调研课题"]:
            live, deleted = prepared
            topic = topic_for(ctx, row, "来源调研课题", township, leader, live, deleted)
            if topic is None:
                return None
        return {"content": row["事项"], "source_topic": topic}

    def new_values(self, ctx, row):
        return {"raised_on": collected_on(ctx, row["完成时限"], row["完成时间"])}

    def exported_head(self, item):
        return (item.content, item.source_topic.title if item.source_topic_id else "")


ACTIONS = ActionList().declare()
