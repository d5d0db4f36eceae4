from taizhang.core import deadlines
from taizhang.core.choices import Vocabulary, WorkStatus


class ServiceClass(Vocabulary):
    """How a service project is handled (办理方式)."""

    NOW = "立刻办"
    BY_DEADLINE = "限期办"
    PHASED = "分期办"


ProjectStatus = WorkStatus  # a service project's progress: 未开始, 推进中, 已完成


DeadlineFilter = deadlines.DeadlineFilter  # the list's filter on core.deadlines' states


# The project list's groups: overdue projects first, whatever their status, then the rest by status.
OVERDUE_GROUP = "已逾期"
GROUP_ORDER = [OVERDUE_GROUP, ProjectStatus.IN_PROGRESS, ProjectStatus.NOT_STARTED, ProjectStatus.DONE]


class PostKind(Vocabulary):
    POST = "党员先锋岗"
    ZONE = "党员责任区"
    TEAM = "党员突击队"


class PublicityKind(Vocabulary):
    BILLBOARD = "广告牌"
    BANNER = "横幅标语"
    POST = "公众号推文"
    SCREEN = "显示屏"
    BOARD = "宣传栏"
    OTHER = "其他"


# The unit a quantity of each kind is counted in.
PUBLICITY_UNITS = {
    "广告牌": "个",
    "横幅标语": "条",
    "公众号推文": "篇",
    "显示屏": "块",
    "宣传栏": "个",
    "其他": "项",
}
