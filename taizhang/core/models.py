"""What every record of Taizhang has: timestamps, soft deletion and history."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .cleaning import Refused, check_deadline
from .scoping import ScopedQuerySetMixin


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class AliveManager(models.Manager):
    """The default manager of a soft-deleted model: deleted records are not there."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class RecordQuerySet(ScopedQuerySetMixin, SoftDeleteQuerySet):
    """The queryset of every scoped, soft-deleted record: visible_to / writable_by, alive / deleted."""


def record_managers(queryset_class: type[models.QuerySet] = RecordQuerySet):
    """(objects, all_objects) for a scoped, soft-deleted model: `objects` hides deleted records."""
    return AliveManager.from_queryset(queryset_class)(), models.Manager.from_queryset(queryset_class)()


class Record(models.Model):
    """Base of every ledger record.

    Deletion is soft: `deleted_at` is set and the default manager (`objects`) hides the record, so a
    township admin can restore it; `all_objects` sees everything. Who changed what and when is kept by
    the history (django-simple-history) that each concrete model declares.
    """

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def mark_deleted(self) -> None:
        self.deleted_at = timezone.now()

    def clean_fields(self, exclude=None) -> None:
        """Field validation, and a deadline (a model's `deadline_field`) within ten years (core.cleaning):
        the same rule for forms, the ledger import and any other writer."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        name = getattr(type(self), "deadline_field", None)
        if name and name not in (exclude or ()) and name not in errors:
            try:
                check_deadline(getattr(self, name), label=str(self._meta.get_field(name).verbose_name))
            except Refused as exc:
                errors[name] = [str(exc)]
        if errors:
            raise ValidationError(errors)


def acting_user_field(verbose_name: str) -> models.ForeignKey:
    """The user who did something to a record (uploaded it, wrote it, closed it): the record keeps its place
    when the account is removed, and the user gets no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class UploadedFile(Record):
    """A file someone uploaded: its name as uploaded, its SHA-256 and who uploaded it. The concrete model
    declares the `file` itself (where it is stored) and its `size`."""

    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = acting_user_field("上传人")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


def _attachment_path(instance, filename: str) -> str:
    today = timezone.localdate()
    return f"attachments/{today:%Y/%m}/{filename}"


class Attachment(UploadedFile):
    """A file attached to any scoped record. Served by core.views.attachment_file only to users who may see
    the record it belongs to; stored under MEDIA_ROOT (outside the static root) under a generated name."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)
    thumbnail = models.FileField("缩略图", upload_to=_attachment_path, max_length=200, blank=True)
    kind = models.CharField("类型", max_length=8)
    purpose = models.CharField("用途", max_length=20, blank=True, help_text="如“照片”“会议记录”“佐证材料”")
    size = models.PositiveBigIntegerField("大小")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = AliveManager.from_queryset(SoftDeleteQuerySet)()
    all_objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpg", "png")


def attachments_of(obj):
    """The live attachments of a record (one query)."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("uploaded_by")


class WorkerBeat(models.Model):
    """The last sign of life of each job worker (`taizhang worker`), written every few seconds by the worker
    (core.workers) and read by /healthz: is a worker running?"""

    worker_id = models.CharField("任务进程", max_length=64, unique=True)
    host = models.CharField("主机", max_length=255, blank=True)
    pid = models.PositiveIntegerField("进程号", null=True)
    started_at = models.DateTimeField("启动时间", default=timezone.now)
    seen_at = models.DateTimeField("最近一次心跳", default=timezone.now, db_index=True)

    unversioned = True  # bookkeeping no figure reads: a heartbeat does not make cached figures stale

    class Meta:
        verbose_name = "后台任务进程"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class DataVersion(models.Model):
    """One row: the version of all recorded data, moved after every committed write (core.versions)."""

    epoch = models.CharField("纪元", max_length=32)
    value = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"{self.epoch[:8]}-{self.value}"


class WorkerJob(models.Model):
    """What every kind of job the worker runs keeps (core.jobkinds reads it): its name in addresses and its
    folder, its owner, the queue's task, and who runs it with the lease renewed every few seconds. A job's
    progress is written that often and no figure reads it: it must not make cached figures stale."""

    # Not guessable, unlike the id. (An integer id as well: the figure cache's fingerprint takes MAX(id).)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    progress = models.CharField("进度", max_length=200, blank=True)
    task_id = models.CharField("队列任务", max_length=64, blank=True)
    host = models.CharField(max_length=255, blank=True)  # the worker's host (and process namespace)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    unversioned = True  # core.versions

    class Meta:
        abstract = True


class DownloadJob(WorkerJob):
    """A large download (a county's report, an archive, a big ledger export) built by the job worker: what was
    asked (a registered builder's name and its parameters), by whom, where it stands, and the file once built
    (under var/downloads/<token>/). Read by its page from any server process; see core.downloads."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在生成"
        DONE = "done", "已完成"
        FAILED = "failed", "出错"

    RUNNING = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField("类别", max_length=64)  # a builder's name in core.downloads' registry
    params = models.JSONField("参数", default=dict)  # what was asked; access is the owner's at build time
    title = models.CharField("名称", max_length=255)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField("错误", max_length=500, blank=True)
    filename = models.CharField("文件名", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "下载任务"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["owner", "status"], name="core_downloadjob_owner_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def waiting(self) -> bool:
        """Queued, not yet taken by a worker."""
        return self.status == self.Status.QUEUED
