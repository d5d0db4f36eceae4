from django.db import models

from taizhang.core import deadlines


class PlaceKind(models.TextChoices):
    """Where a research visit went (四下基层: villages, key enterprises, the health centre, schools)."""

    VILLAGE = "村", "村"
    ENTERPRISE = "企业", "企业"
    HEALTH_CENTRE = "卫生院", "卫生院"
    SCHOOL = "学校", "学校"
    OTHER = "其他", "其他"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "未开始", "未开始"
    IN_PROGRESS = "推进中", "推进中"
    DONE = "已完成", "已完成"


DeadlineFilter = deadlines.DeadlineFilter  # the list's filter on core.deadlines' states
