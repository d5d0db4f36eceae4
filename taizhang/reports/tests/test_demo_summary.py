"""The demo township's work summary states the seed summary's figures, and they follow the records."""

import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from docx import Document

from taizhang.campaigns.models import Campaign
from taizhang.orgs.models import Organisation
from taizhang.reports.docx_template import render_summary
from taizhang.reports.selectors import template_for
from taizhang.reports.summary import build_summary

SEED_PHRASES = [
    "党委理论学习中心组学习4次",
    "专题研讨57次",
    "专题党课22场",
    "培训党员469人次",
    "查摆问题13条",
    "查摆问题20条",
    "整改措施15条",
    "整改措施20条",
    "13人次",
    "13个基层党组织",
    "调研9次",
    "干事创业清单13条",
    "9件",
    "广告牌5个",
    "36条",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--force", stdout=StringIO())
        yield
        call_command("flush", "--no-input", verbosity=0)


def summary_text(org) -> str:
    campaign = Campaign.current()
    template, _ = template_for(org, campaign)
    content = render_summary(build_summary(campaign, org), template)
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.mark.django_db
def test_the_demo_summary_states_the_seed_figures(demo):
    text = summary_text(Organisation.objects.get(name="XX乡党委"))
    missing = [phrase for phrase in SEED_PHRASES if phrase not in text]
    assert not missing, f"not in the summary: {missing}\n{text}"


@pytest.mark.django_db
def test_one_more_seminar_makes_it_58(demo):
    from taizhang.study.models import Meeting

    township = Organisation.objects.get(name="XX乡党委")
    branch = Organisation.objects.get(name="西岭村党支部")
    Meeting.objects.create(
        organiser=branch,
        campaign=Campaign.current(),
        type="专题研讨",
        date=datetime.date(2023, 12, 1),
        topic="再学习一次",
    )
    text = summary_text(township)
    assert "专题研讨58次" in text and "专题研讨57次" not in text
