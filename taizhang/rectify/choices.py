"""The value lists of rectification (the 问题清单, 谈心谈话 and 党建工作体检 sheets use the same words), and the
badge colour of each status."""

from django.db import models


class OwnerKind(models.TextChoices):
    """Who owns a problem (责任主体): the committee's leadership as a body, one of its members, or an
    organisation below the committee."""

    LEADERSHIP = "班子", "班子"
    LEADER = "班子成员", "班子成员"
    ORGANISATION = "组织", "基层党组织"


LEADERSHIP_KINDS = (OwnerKind.LEADERSHIP, OwnerKind.LEADER)


class ProblemCategory(models.TextChoices):
    THEORY = "理论学习", "理论学习"
    POLITICS = "政治素质", "政治素质"
    ABILITY = "能力本领", "能力本领"
    RESPONSIBILITY = "担当作为", "担当作为"
    STYLE = "工作作风", "工作作风"
    INTEGRITY = "廉洁自律", "廉洁自律"
    OTHER = "其他", "其他"


class ProblemSource(models.TextChoices):
    SELF_EXAMINATION = "查摆", "查摆"
    OPINIONS = "征求意见", "征求意见"
    RESEARCH = "调研", "调研"
    HIGHER_LEVEL = "上级反馈", "上级反馈"
    INSPECTION = "巡视巡察", "巡视巡察"
    AUDIT = "审计", "审计"
    OTHER = "其他", "其他"


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "未开始", "未开始"
    IN_PROGRESS = "整改中", "整改中"
    DONE = "已完成", "已完成"
    ONGOING = "长期坚持", "长期坚持"


# A measure in one of these is closed (销号); a problem is closed when all its measures are.
MEASURE_DONE = (MeasureStatus.DONE, MeasureStatus.ONGOING)
MEASURE_OPEN = (MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS)
# A status not in the list, in the words of the ledger import (ledgers.values.parse_choice), on every path.
NOT_A_MEASURE_STATUS = f"应为{'、'.join(MeasureStatus.values)}之一。"


class ProblemState(models.TextChoices):
    """A problem's state, derived from its measures (never stored)."""

    NO_MEASURES = "未制定措施", "未制定措施"
    OPEN = "整改中", "整改中"
    CLOSED = "已销号", "已销号"


class EntryKind(models.TextChoices):
    """An entry of a measure's progress log: progress, its closing (销号), or the undoing of a closing."""

    PROGRESS = "进展", "整改进展"
    CLOSE = "销号", "销号"
    REOPEN = "撤销销号", "撤销销号"


class TalkType(models.TextChoices):
    HEART_TO_HEART = "谈心谈话", "谈心谈话"
    REMINDER = "提醒谈话", "提醒谈话"
    CRITICISM = "批评教育", "批评教育"
    ADMONITION = "诫勉谈话", "诫勉谈话"


class Grade(models.TextChoices):
    GOOD = "好", "好"
    FAIRLY_GOOD = "较好", "较好"
    AVERAGE = "一般", "一般"
    WEAK = "软弱涣散", "软弱涣散"


class RemedyStatus(models.TextChoices):
    ACTIVE = "整顿中", "整顿中"
    ACCEPTED = "已验收", "已验收"


# Badge classes (app.css) of statuses and deadline states; pages look them up, they decide nothing.
BADGES = {
    MeasureStatus.NOT_STARTED: "",
    MeasureStatus.IN_PROGRESS: "warn",
    MeasureStatus.DONE: "ok",
    MeasureStatus.ONGOING: "ok",
    ProblemState.NO_MEASURES: "bad",
    ProblemState.OPEN: "warn",
    ProblemState.CLOSED: "ok",
    Grade.GOOD: "ok",
    Grade.FAIRLY_GOOD: "ok",
    Grade.AVERAGE: "warn",
    Grade.WEAK: "bad",
    RemedyStatus.ACTIVE: "warn",
    RemedyStatus.ACCEPTED: "ok",
    "overdue": "bad",
    "due": "warn",
}
