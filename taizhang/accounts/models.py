from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from taizhang.core.roles import ROLE_ORG_KIND, Role
from taizhang.core.scoping import ScopedQuerySetMixin


class UserQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account. Role + organisation = what the user may see and change."""

    scope_path = "organisation"

    display_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.NONE)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    member = models.ForeignKey(
        "orgs.Member",
        verbose_name="对应党员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = ScopedUserManager()

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        kind = ROLE_ORG_KIND.get(self.role)
        if kind and not self.organisation_id:
            raise ValidationError({"organisation": f"角色“{self.get_role_display()}”必须指定所属组织。"})
        if kind and self.organisation.kind != kind:
            from taizhang.orgs.choices import OrgKind

            raise ValidationError(
                {
                    "organisation": f"角色“{self.get_role_display()}”的所属组织应为{OrgKind(kind).label}，"
                    f"而“{self.organisation}”是{self.organisation.get_kind_display()}。"
                }
            )

    @property
    def scope(self):
        from taizhang.core.scoping import scope_for

        return scope_for(self)
