from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from taizhang.core.fields import ref
from taizhang.core.scoping import ScopedQuerySet

from .choices import LeadingGroupRole


class Campaign(models.Model):
    """A time-bounded programme ordered by a higher level (主题教育). Set up from a data file."""

    code = models.SlugField("代码", max_length=50, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField(
        "简称", max_length=30, blank=True, help_text="如“第二批主题教育”，用于工作总结标题"
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    motto = models.CharField("总要求", max_length=200, blank=True)
    description = models.TextField("说明", blank=True)
    required_meeting_types = models.JSONField(
        "须参加的会议类型", default=list, blank=True, help_text="党员须参加、缺席须补学的会议类型"
    )
    indicators = models.JSONField("指标定义", default=list, blank=True)
    organisations = models.ManyToManyField(
        "orgs.Organisation", verbose_name="覆盖组织", blank=True, related_name="campaigns"
    )
    is_current = models.BooleanField("当前主题教育", default=False)
    source_file = models.CharField("数据文件", max_length=200, blank=True)

    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        verbose_name = verbose_name_plural = "主题教育"
        ordering = ["-start_date", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="campaign_one_current"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="campaign_dates_in_order",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期。"})

    @classmethod
    def current(cls):
        return cls.objects.filter(is_current=True).first()


class Part(models.Model):
    """One of a campaign's parts, in order (谋 学 改 研 建 for the 2023 campaign)."""

    campaign = ref(Campaign, "主题教育", on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField("顺序")
    short = models.CharField("简称", max_length=4, help_text="一个字，如“学”")
    slug = models.SlugField("网址名", max_length=20)
    name = models.CharField("名称", max_length=50)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作板块"
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="part_unique_order"),
            models.UniqueConstraint(fields=["campaign", "slug"], name="part_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"“{self.short}”{self.name}"


class LeadingGroupMember(models.Model):
    """A member of a township's leading group (领导小组) for a campaign."""

    scope_path = "organisation"

    campaign = ref(Campaign, "主题教育", on_delete=models.CASCADE, related_name="leading_group")
    organisation = ref("orgs.Organisation", "党委", related_name="leading_group")
    member = ref("orgs.Member", "党员")
    role = models.CharField(
        "职务", max_length=4, choices=LeadingGroupRole.choices, default=LeadingGroupRole.MEMBER
    )
    title = models.CharField("本职", max_length=50, blank=True, help_text="如“乡党委书记”")
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "领导小组成员"
        ordering = ["campaign", "organisation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation", "member"], name="leading_group_unique_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}（{self.role}）"
