from django.db import models

from taizhang.core import deadlines


class ServiceClass(models.TextChoices):
    """How a service project is handled (办理方式)."""

    NOW = "立刻办", "立刻办"
    BY_DEADLINE = "限期办", "限期办"
    PHASED = "分期办", "分期办"


class ProjectStatus(models.TextChoices):
    NOT_STARTED = "未开始", "未开始"
    IN_PROGRESS = "推进中", "推进中"
    DONE = "已完成", "已完成"


DeadlineFilter = deadlines.DeadlineFilter  # the list's filter on core.deadlines' states


# The project list's groups: overdue projects first, whatever their status, then the rest by status.
OVERDUE_GROUP = "已逾期"
GROUP_ORDER = [OVERDUE_GROUP, ProjectStatus.IN_PROGRESS, ProjectStatus.NOT_STARTED, ProjectStatus.DONE]


class PostKind(models.TextChoices):
    POST = "党员先锋岗", "党员先锋岗"
    ZONE = "党员责任区", "党员责任区"
    TEAM = "党员突击队", "党员突击队"


class PublicityKind(models.TextChoices):
    BILLBOARD = "广告牌", "广告牌"
    BANNER = "横幅标语", "横幅标语"
    POST = "公众号推文", "公众号推文"
    SCREEN = "显示屏", "显示屏"
    BOARD = "宣传栏", "宣传栏"
    OTHER = "其他", "其他"


# The unit a quantity of each kind is counted in.
PUBLICITY_UNITS = {
    "广告牌": "个",
    "横幅标语": "条",
    "公众号推文": "篇",
    "显示屏": "块",
    "宣传栏": "个",
    "其他": "项",
}
