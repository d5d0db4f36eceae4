from taizhang.core import deadlines
from taizhang.core.choices import Vocabulary, WorkStatus


class PlaceKind(Vocabulary):
    """Where a research visit went (四下基层: villages, key enterprises, the health centre, schools)."""

    VILLAGE = "村"
    ENTERPRISE = "企业"
    HEALTH_CENTRE = "卫生院"
    SCHOOL = "学校"
    OTHER = "其他"


ActionStatus = WorkStatus  # an action item's progress: 未开始, 推进中, 已完成


DeadlineFilter = deadlines.DeadlineFilter  # the list's filter on core.deadlines' states
