"""The value lists of rectification (the 问题清单, 谈心谈话 and 党建工作体检 sheets use the same words), and the
badge colour of each status."""

from taizhang.core.choices import Vocabulary, badge_table


class OwnerKind(Vocabulary):
    """Who owns a problem (责任主体): the committee's leadership as a body, one of its members, or an
    organisation below the committee."""

    LEADERSHIP = "班子"
    LEADER = "班子成员"
    ORGANISATION = "组织", "基层党组织"


LEADERSHIP_KINDS = (OwnerKind.LEADERSHIP, OwnerKind.LEADER)


class ProblemCategory(Vocabulary):
    THEORY = "理论学习"
    POLITICS = "政治素质"
    ABILITY = "能力本领"
    RESPONSIBILITY = "担当作为"
    STYLE = "工作作风"
    INTEGRITY = "廉洁自律"
    OTHER = "其他"


class ProblemSource(Vocabulary):
    SELF_EXAMINATION = "查摆"
    OPINIONS = "征求意见"
    RESEARCH = "调研"
    HIGHER_LEVEL = "上级反馈"
    INSPECTION = "巡视巡察"
    AUDIT = "审计"
    OTHER = "其他"


class MeasureStatus(Vocabulary):
    NOT_STARTED = "未开始"
    IN_PROGRESS = "整改中"
    DONE = "已完成"
    ONGOING = "长期坚持"


# A measure in one of these is closed (销号); a problem is closed when all its measures are.
MEASURE_DONE = (MeasureStatus.DONE, MeasureStatus.ONGOING)
MEASURE_OPEN = (MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS)
# A status not in the list, in the words of the ledger import (ledgers.values.parse_choice), on every path.
NOT_A_MEASURE_STATUS = f"应为{'、'.join(MeasureStatus.values)}之一。"


class ProblemState(Vocabulary):
    """A problem's state, derived from its measures (never stored)."""

    NO_MEASURES = "未制定措施"
    OPEN = "整改中"
    CLOSED = "已销号"


class EntryKind(Vocabulary):
    """An entry of a measure's progress log: progress, its closing (销号), or the undoing of a closing."""

    PROGRESS = "进展", "整改进展"
    CLOSE = "销号"
    REOPEN = "撤销销号"


class TalkType(Vocabulary):
    HEART_TO_HEART = "谈心谈话"
    REMINDER = "提醒谈话"
    CRITICISM = "批评教育"
    ADMONITION = "诫勉谈话"


class Grade(Vocabulary):
    GOOD = "好"
    FAIRLY_GOOD = "较好"
    AVERAGE = "一般"
    WEAK = "软弱涣散"


class RemedyStatus(Vocabulary):
    ACTIVE = "整顿中"
    ACCEPTED = "已验收"


# Badge classes (app.css) of statuses and deadline states; pages look them up, they decide nothing. A measure
# not started yet shows none.
BADGES = badge_table(
    ok=(MeasureStatus.DONE, MeasureStatus.ONGOING, ProblemState.CLOSED, RemedyStatus.ACCEPTED),
    warn=(MeasureStatus.IN_PROGRESS, ProblemState.OPEN, RemedyStatus.ACTIVE, "due"),
    bad=(ProblemState.NO_MEASURES, "overdue"),
)
# A branch's grade (党建工作体检): the two good grades, an average one, and 软弱涣散.
BADGES |= badge_table(ok=(Grade.GOOD, Grade.FAIRLY_GOOD), warn=(Grade.AVERAGE,), bad=(Grade.WEAK,))
