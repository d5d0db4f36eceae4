"""An upload's job: who uploaded which file for which campaign and township, and where its check or import
stands. The queue's own row (django-tasks-db's DBTaskResult) only runs it; this row is what the pages show, from
any server process. See jobs.py for its life."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from taizhang.core.models import WorkerJob


class ImportJob(WorkerJob):
    class Status(models.TextChoices):
        CHECKING = "checking", "正在检查"
        CHECKED = "checked", "检查通过"
        REFUSED = "refused", "有错误"
        IMPORTING = "importing", "正在导入"
        DONE = "done", "导入完成"
        FAILED = "failed", "出错"

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    filename = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CHECKING)
    result = models.JSONField("结果", null=True, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = verbose_name
        constraints = [
            # One import per township at a time, kept by the database whichever server process confirms.
            models.UniqueConstraint(
                fields=["township"], condition=Q(status="importing"), name="ledgers_one_import_per_township"
            )
        ]
        indexes = [models.Index(fields=["status"], name="ledgers_importjob_status")]

    def __str__(self) -> str:
        return self.filename

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def waiting(self) -> bool:
        """Queued, not yet taken by a worker."""
        return self.running and self.started_at is None
