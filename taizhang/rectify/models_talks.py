"""Talks (谈心谈话): held for the committee, each person talked to one person-time (人次)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from taizhang.core.fields import record_history, ref
from taizhang.core.managers import alive_with
from taizhang.core.models import Record, record_managers
from taizhang.core.scoping import subtree_ids
from taizhang.orgs.choices import OrgKind

from .choices import TalkType
from .models_base import (
    Rules,
    campaign_field,
    check_in_township,
    chosen,
    cn,
    member_field,
    not_future,
    required,
)


class TalkPerson(models.Model):
    """One person talked to in one talk: one person-time (人次). Those of a deleted talk do not count."""

    scope_path = "talk__organisation"
    campaign_path = "talk__campaign"
    as_of_field = "talk__on"

    talk = ref("rectify.Talk", "谈话", on_delete=models.CASCADE, related_name="talked_to")
    member = ref("orgs.Member", "谈话对象")

    objects = alive_with("talk")

    class Meta:
        verbose_name = verbose_name_plural = "谈话对象"
        constraints = [models.UniqueConstraint(fields=["talk", "member"], name="rectify_talk_person_once")]

    def __str__(self) -> str:
        return str(self.member)


class Talk(Rules, Record):
    """A talk (谈心谈话、提醒谈话、批评教育、诫勉谈话) held for the committee: each person talked to is one
    person-time. Its content is for township admins and the talker only (see selectors.can_read_talk)."""

    scope_path = "organisation"
    write_by = "admin"  # talks are recorded by the township office (core.scoping)
    as_of_field = "on"
    masked_fields = {"content": lambda value: "（内容仅乡党委管理员和谈话人可见）"}

    campaign = campaign_field()
    organisation = ref("orgs.Organisation", "乡党委", related_name="rectify_talks")
    on = models.DateField("谈话日期", error_messages=required("谈话日期"))
    kind = models.CharField(
        "谈话类型", max_length=8, choices=TalkType.choices, error_messages=chosen("谈话类型")
    )
    talker = member_field("谈话人")
    persons = models.ManyToManyField(
        "orgs.Member", verbose_name="谈话对象", through=TalkPerson, related_name="+"
    )
    content = models.TextField("主要内容", blank=True)

    history = record_history(m2m_fields=[persons])
    objects, all_objects = record_managers()

    class Meta:
        verbose_name = "谈话"
        verbose_name_plural = "谈心谈话"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["organisation", "on"])]

    def __str__(self) -> str:
        return f"{cn(self.on)} {self.kind}（{self.talker.name}）"

    def get_absolute_url(self) -> str:
        return reverse("rectify:talk_detail", args=[self.pk])

    def check_rules(self, errors: dict[str, str]) -> None:
        if self.organisation_id and self.organisation.kind != OrgKind.COMMITTEE:
            errors["organisation"] = "谈心谈话记在乡党委名下，请选择乡党委。"
        elif self.organisation_id and self.talker_id:
            check_in_township(errors, subtree_ids(self.organisation_id), "talker", self.talker, "谈话人")
        not_future(errors, "on", self.on, "谈话日期")
