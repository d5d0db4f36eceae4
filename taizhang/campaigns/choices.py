from django.db import models


class LeadingGroupRole(models.TextChoices):
    LEADER = "组长", "组长"
    DEPUTY = "副组长", "副组长"
    MEMBER = "成员", "成员"
