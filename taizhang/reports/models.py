import uuid

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from taizhang.core.models import UploadedFile, record_managers


def _template_path(instance, filename: str) -> str:
    return f"report-templates/{instance.campaign.code}/{uuid.uuid4().hex}.docx"


class SummaryTemplate(UploadedFile):
    """A township's own Word template for its work summary in a campaign (工作总结模板).

    Every upload is kept: the newest that is not withdrawn is the one in use; withdrawing (恢复默认模板) soft-
    deletes the township's uploads, and the template shipped with the project is used again. The file is stored
    under MEDIA_ROOT under a generated name and served only to users who may see the township.
    """

    scope_path = "organisation"

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="乡党委", on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="主题教育", on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField("模板文件", upload_to=_template_path, max_length=200)
    size = models.PositiveIntegerField("大小")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "工作总结模板"
        verbose_name_plural = "工作总结模板"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "campaign", "deleted_at"])]

    def get_absolute_url(self) -> str:
        return reverse("reports:template_file", args=[self.pk])
