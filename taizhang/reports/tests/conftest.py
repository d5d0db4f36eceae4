"""Fixtures of the reports tests: a campaign of test-only indicators over members and organisations (the
record areas' indicators are not declared yet), and Word templates made on the spot."""

from __future__ import annotations

import datetime
import io

import pytest

from taizhang.campaigns.models import Campaign, Part
from taizhang.reports import docx_layout as layout
from taizhang.reports.make_default_template import docx_bytes

MEMBER_INDICATORS = [
    {
        "code": "org.branches",
        "label": "党支部",
        "unit": "个",
        "part": "谋",
        "count": "orgs.Organisation",
        "where": {"self": "branch", "retired_at": None},
    },
    {
        "code": "members.retired",
        "label": "退休党员",
        "unit": "名",
        "part": "学",
        "count": "orgs.Member",
        "where": {"category": "退休"},
    },
    {
        "code": "members.mobile",
        "label": "流动党员",
        "unit": "名",
        "part": "学",
        "count": "orgs.Member",
        "where": {"category": "流动"},
    },
    {
        "code": "members.rural",
        "label": "农村党员",
        "unit": "名",
        "part": "学",
        "count": "orgs.Member",
        "where": {"category": "农村"},
    },
    {"code": "members.pending", "label": "尚未统计的事项", "unit": "项", "part": "学"},
]


@pytest.fixture
def members_campaign(db):
    """A campaign (not current) whose figures count members: 退休 1, 流动 0, 农村 1 in township A."""
    campaign = Campaign.objects.create(
        code="test-members",
        name="测试学习教育（第一期）",
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 6, 30),
        motto="学有所获",
        indicators=MEMBER_INDICATORS,
    )
    Part.objects.create(
        campaign=campaign, order=1, short="谋", slug="plan", name="“谋”字为先", description="部署。"
    )
    Part.objects.create(
        campaign=campaign, order=2, short="学", slug="study", name="“学”字铸魂", description="学习。"
    )
    return campaign


def make_template(*paragraphs: str, title: str = "{{ title }}") -> bytes:
    """A template in the official layout with a title and the given body paragraphs."""
    document = layout.new_document()
    layout.title(document, title)
    for text in paragraphs:
        layout.body(document, text)
    layout.signature(document, "{{ signature }}", "{{ date }}")
    return docx_bytes(document)


def docx_text(content: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
