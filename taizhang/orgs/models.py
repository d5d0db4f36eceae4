import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from taizhang.core.cleaning import MOBILE_MESSAGE, Refused, check_join_date, is_mobile
from taizhang.core.fields import alive_unique, record_history, ref
from taizhang.core.models import Record, RecordQuerySet, record_managers
from taizhang.core.roles import ROLE_ORG_KIND
from taizhang.core.scoping import ScopedQuerySetMixin, subtree_ids

from .choices import ALLOWED_PARENTS, Gender, MemberCategory, OrgKind

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
mobile_validator = RegexValidator(MOBILE_RE, "手机号码应为11位中国大陆手机号（以1开头，第二位为3至9）。")


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile and len(mobile) == 11 else mobile


class OrganisationQuerySet(ScopedQuerySetMixin, TreeQuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class Organisation(TreeNode):
    """A node of the tree 县委 > 乡党委 > 党总支 > 党支部.

    Organisations are retired (撤销), never deleted, so that old records keep their organiser.
    """

    scope_path = ""

    name = models.CharField("组织名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("组织类型", max_length=20, choices=OrgKind.choices)
    order = models.PositiveIntegerField("排序", default=0, help_text="同级组织按此数字从小到大排列")
    secretary = ref("Member", "书记", optional=True, on_delete=models.SET_NULL)
    retired_at = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = record_history()

    parent = TreeNodeForeignKey(
        "self", models.PROTECT, verbose_name="上级组织", null=True, blank=True, related_name="children"
    )

    objects = OrganisationQuerySet.as_manager(with_tree_fields=False)

    class Meta:
        verbose_name = verbose_name_plural = "组织"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:org_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def clean(self) -> None:
        if self.pk and self.parent_id and self.parent_id in subtree_ids(self.pk):
            raise ValidationError({"parent": "不能把组织移到它自己或它的下级组织之下。"})
        super().clean()
        allowed = ALLOWED_PARENTS.get(self.kind, ())
        parent_kind = self.parent.kind if self.parent_id else None
        if parent_kind not in allowed:
            labels = "、".join(OrgKind(k).label if k else "无（顶层）" for k in allowed)
            where = self.parent.get_kind_display() if self.parent_id else "顶层"
            raise ValidationError(
                {"parent": f"{self.get_kind_display()}不能设在{where}之下，上级组织应为：{labels}。"}
            )
        if self.pk:  # a new kind must still suit the organisations already under it
            suited = [kind for kind, parents in ALLOWED_PARENTS.items() if self.kind in parents]
            misplaced = self.children.exclude(kind__in=suited).first()
            if misplaced is not None:
                raise ValidationError(
                    {
                        "kind": f"“{self}”下有{misplaced.get_kind_display()}“{misplaced}”，"
                        f"{misplaced.get_kind_display()}不能设在{self.get_kind_display()}之下。"
                    }
                )
        if self.pk:  # a new kind must still suit the accounts attached to it (a 党支部书记 needs a 党支部)
            mismatched = [
                user.username
                for user in self.users.filter(is_active=True)
                if ROLE_ORG_KIND.get(user.role, self.kind) != self.kind
            ]
            if mismatched:
                raise ValidationError(
                    {
                        "kind": f"账号{'、'.join(mismatched)}的角色与{self.get_kind_display()}不符，请先调整这些账号。"
                    }
                )
        if self.parent_id and self.parent.is_retired and not self.is_retired:
            raise ValidationError({"parent": f"上级组织“{self.parent}”已撤销。"})
        if self.secretary_id and (not self.pk or self.secretary.organisation_id not in subtree_ids(self.pk)):
            raise ValidationError({"secretary": "书记应为本组织（或其下级组织）的党员。"})

    def township(self):
        """The township committee at or above this organisation (None above township level)."""
        if self._state.adding:  # not saved yet (a form's, an import's plan): up through its parents
            if self.kind == OrgKind.COMMITTEE:
                return self
            return self.parent.township() if self.parent_id else None
        for node in self.ancestors(include_self=True).reverse():
            if node.kind == OrgKind.COMMITTEE:
                return node
        return None


class MemberQuerySet(RecordQuerySet):
    pass


class Member(Record):
    """A party member (党员)."""

    scope_path = "organisation"
    masked_fields = {"mobile": mask_mobile}  # whole for township admins only, in the history too

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices, blank=True)
    organisation = ref(Organisation, "所在组织", related_name="members")
    category = models.CharField("党员类别", max_length=4, choices=MemberCategory.choices)
    mobile = models.CharField("手机号码", max_length=11, blank=True, validators=[mobile_validator])
    joined_on = models.DateField("入党时间", null=True, blank=True)
    post = models.CharField("职务", max_length=50, blank=True)

    history = record_history()

    objects, all_objects = record_managers(MemberQuerySet)

    class Meta:
        verbose_name = verbose_name_plural = "党员"
        ordering = ["organisation_id", "name", "pk"]
        constraints = [
            alive_unique(
                "organisation",
                "name",
                "mobile",
                name="member_unique_name_mobile_in_org",
                message="同一组织内已有同名党员使用该手机号码；同名党员须登记不同的手机号码。",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "category"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:member_detail", args=[self.pk])

    def mobile_for(self, scope) -> str:
        """The mobile as a viewer with this scope may see it: whole for township admins, else masked."""
        return self.mobile if scope is not None and scope.is_admin else mask_mobile(self.mobile)

    def clean(self) -> None:
        super().clean()
        if self.organisation_id and self.name:
            # Same name and same mobile is refused by the constraint; here: a namesake without a mobile.
            clash = Member.objects.filter(organisation_id=self.organisation_id, name=self.name).exclude(
                pk=self.pk
            )
            if clash.exists() and (not self.mobile or clash.filter(mobile="").exists()):
                raise ValidationError(
                    {
                        "mobile": f"“{self.organisation}”已有名为“{self.name}”的党员，同名党员须登记各自不同的手机号码。"
                    }
                )
        if self.organisation_id and self.organisation.is_retired:
            raise ValidationError({"organisation": f"“{self.organisation}”已撤销，不能再编入党员。"})
        # The rules shared with the ledger import (core.cleaning): ASCII digits only (the validator's \d would
        # take ２ or ٢, and sign-in by the last four digits would fail), a join date that can be.
        errors = {}
        if self.mobile and MOBILE_RE.match(self.mobile) and not is_mobile(self.mobile):
            errors["mobile"] = MOBILE_MESSAGE
        try:
            check_join_date(self.joined_on)
        except Refused as exc:
            errors["joined_on"] = str(exc)
        if errors:
            raise ValidationError(errors)
