"""What the rectification tests share: the current campaign, a leading group for township A (王五 is its
组织委员 and admin_a's own member record, so admin_a is "the leader"), uploads, and short-hand writers."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from taizhang.campaigns.models import Campaign, LeadingGroupMember
from taizhang.rectify import services
from taizhang.rectify.choices import OwnerKind

FOUND = datetime.date(2023, 9, 15)


def png(name="整改照片.png"):
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 rectification report", content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def campaign(db):
    return Campaign.current()


@pytest.fixture
def leaders(cast, campaign):
    """Township A's leading group: 王五 (组织委员, admin_a's member record) and 张三; the committee's
    secretary is 王五."""
    LeadingGroupMember.objects.create(
        campaign=campaign, organisation=cast.township_a, member=cast.wang, role="成员", title="乡党委组织委员"
    )
    LeadingGroupMember.objects.create(
        campaign=campaign, organisation=cast.township_a, member=cast.zhang, role="成员", title="副乡长"
    )
    cast.township_a.secretary = cast.wang
    cast.township_a.save()
    cast.admin_a.member = cast.wang
    cast.admin_a.save()
    return cast


def make_problem(actor, org, *, kind=OwnerKind.ORGANISATION, member=None, found_on=FOUND, **extra):
    data = {
        "owner_kind": kind,
        "owner_org": org,
        "owner_member": member,
        "content": extra.pop("content", "理论学习不够系统深入"),
        "category": extra.pop("category", "理论学习"),
        "source": extra.pop("source", "查摆"),
        "standard": extra.pop("standard", "每月集中学习不少于一次"),
        "found_on": found_on,
        **extra,
    }
    return services.problem_create(actor=actor, **data)


def make_measure(actor, problem, *, deadline=datetime.date(2023, 12, 31), **extra):
    data = {"content": extra.pop("content", "制定学习计划并按月落实"), "deadline": deadline, **extra}
    return services.measure_create(actor=actor, problem=problem, **data)


def close(actor, measure, *, evidence=None, on=datetime.date(2023, 12, 20), note="已按计划完成学习"):
    """销号 (a township admin's sign-off, with evidence)."""
    return services.measure_sign_off(
        actor=actor,
        measure=measure,
        completed_on=on,
        completion_note=note,
        evidence=[png()] if evidence is None else evidence,
    )
