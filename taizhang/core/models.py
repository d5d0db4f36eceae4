"""What every record of Taizhang has: timestamps, soft deletion and history."""

from django.db import models
from django.utils import timezone


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class AliveManager(models.Manager):
    """The default manager of a soft-deleted model: deleted records are not there."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


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
