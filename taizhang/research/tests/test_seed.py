"""The demo township holds the seed summary's research: its topic, 9 visits, 13 action items all done and a
year of monthly enterprise visits; the scale county the same at the demo's rate."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from taizhang.accounts.models import User
from taizhang.orgs.models import Organisation
from taizhang.research import selectors
from taizhang.research.models import (
    ActionItem,
    EnterpriseIssue,
    EnterpriseVisit,
    ResearchTopic,
    ResearchVisit,
)


@pytest.mark.django_db
def test_demo_gives_the_seed_s_figures():
    call_command("seed_demo", stdout=StringIO())
    committee = Organisation.objects.get(name="XX乡党委")
    assert selectors.figures(committee) == {
        "research.visits": 9,
        "research.action_items": 13,
        "research.action_items_done": 13,
    }
    topic = ResearchTopic.objects.get()
    assert topic.title == "党建引领乡村振兴助推农文旅融合发展"
    assert topic.leader.post == "乡党委书记"
    kinds = set(ResearchVisit.objects.values_list("place_kind", flat=True))
    assert kinds == {"村", "企业", "卫生院", "学校"}
    # Every action item came from a finding of a visit, in one step.
    for item in ActionItem.objects.select_related("source_visit"):
        assert item.content in item.source_visit.finding_lines
        assert item.source_topic == topic and item.raised_on == item.source_visit.date
    contents = "、".join(ActionItem.objects.values_list("result", flat=True))
    assert "水毁道路整修" in contents and "路灯" in contents


@pytest.mark.django_db
def test_demo_has_a_year_of_monthly_enterprise_visits():
    call_command("seed_demo", stdout=StringIO())
    months = {(d.year, d.month) for d in EnterpriseVisit.objects.values_list("date", flat=True)}
    assert len(months) == 12
    assert EnterpriseIssue.objects.filter(resolved=True).count() >= 20
    admin = User.objects.get(username="xx-admin")
    october = selectors.enterprise_month(admin, datetime.date(2023, 10, 1))
    assert [c.cadre.post for c in october.cadres_without_visit] == ["乡党委宣传委员"]
    assert [row.enterprise.name for row in october.enterprises_without_visit] == ["XX主题民宿"]
    january = selectors.enterprise_month(admin, datetime.date(2024, 1, 1))
    assert sum(len(row.open_issues) for row in january.enterprises) == 2


@pytest.mark.django_db
def test_scale_adds_the_same_at_the_demo_s_rate_without_history():
    call_command("seed_scale", "--townships", "2", stdout=StringIO())
    for committee in Organisation.objects.filter(kind="committee"):
        assert selectors.figures(committee) == {
            "research.visits": 9,
            "research.action_items": 13,
            "research.action_items_done": 10,  # three still open, two of them overdue
        }
        assert ActionItem.objects.filter(township=committee).overdue().count() == 2
        assert EnterpriseVisit.objects.filter(organisation=committee).count() == 71
    assert not ResearchVisit.history.exists() and not ActionItem.history.exists()
