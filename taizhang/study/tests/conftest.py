"""What the study tests share: the 2023 campaign, a fuller branch A1, uploads, and short-hand writers.

Branch A1 (sec_a1) has 张三 and 李四 (retired) from the shared cast; `branch` adds 孙八 (mobile) and 周九.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from taizhang.campaigns.models import Campaign
from taizhang.conftest import make_member
from taizhang.orgs.choices import MemberCategory
from taizhang.study import services

DAY = datetime.date(2023, 10, 15)  # inside the 2023 campaign (2023-09-01 … 2024-01-31)
PRESENT, LEAVE, ABSENT = "出席", "请假", "缺席"


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    """Sign-in throttling counts in the cache; uploads go to a temporary media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(db):
    return Campaign.objects.get(code="2023-second-batch")


@pytest.fixture
def branch(cast):
    """Branch A1 with four members: 张三, 李四 (retired), 孙八 (mobile), 周九."""
    cast.sun = make_member("孙八", cast.branch_a1, MemberCategory.MOBILE, mobile="13800008888")
    cast.zhou = make_member("周九", cast.branch_a1, mobile="13800009999")
    return cast


def record(
    cast, *, organiser=None, type="主题党日", date=DAY, topic="学习党章", attendance=None, actor=None, **extra
):
    """A meeting recorded through the service (by sec_a1 for branch A1 unless told)."""
    return services.meeting_create(
        actor=actor or cast.sec_a1,
        organiser=organiser or cast.branch_a1,
        type=type,
        date=date,
        topic=topic,
        attendance=attendance,
        **extra,
    )


def png(name="会场.png", size=(60, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name="会议记录.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes of the meeting", content_type="application/pdf")
