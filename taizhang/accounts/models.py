from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from taizhang.core.fields import record_history, ref
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
    organisation = ref("orgs.Organisation", "所属组织", optional=True, related_name="users")
    member = ref("orgs.Member", "对应党员", optional=True, on_delete=models.SET_NULL, related_name="users")

    history = record_history(excluded_fields=["password", "last_login"])
    objects = ScopedUserManager()

    class Meta:
        verbose_name = verbose_name_plural = "账号"

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
