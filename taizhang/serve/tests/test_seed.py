"""The demo township holds the seed summary's service projects, partnerships, vanguard posts and publicity,
and the scale county the same at the demo's rate."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from taizhang.orgs.models import Organisation
from taizhang.serve import selectors
from taizhang.serve.models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost


@pytest.mark.django_db
def test_demo_gives_the_seed_s_figures():
    call_command("seed_demo", stdout=StringIO())
    committee = Organisation.objects.get(name="XX乡党委")
    assert selectors.figures(committee) == {
        "serve.service_projects_done": 9,
        "publicity.billboards": 5,
        "publicity.banners": 36,
    }
    projects = ServiceProject.objects.filter(township=committee)
    assert projects.count() == 9 and not projects.exclude(status="已完成").exists()
    names = "、".join(projects.values_list("name", flat=True))
    for words in ("库区清理", "农产品滞销", "物流“最后一公里”"):
        assert words in names
    assert {p.partner: p.organisation.name for p in Partnership.objects.select_related("organisation")} == {
        "市商务局": "桔园村党支部",
        "XX电子商务有限公司": "东山村党总支",
    }
    assert "认领一片桔" in Partnership.objects.get(partner="市商务局").content
    assert JointActivity.objects.count() == 4
    assert set(VanguardPost.objects.values_list("kind", flat=True)) == {
        "党员先锋岗",
        "党员责任区",
        "党员突击队",
    }
    assert all(post.members.exists() for post in VanguardPost.objects.all())
    assert PublicityItem.objects.filter(kind="公众号推文").count() == 8
    # Entered through the services by the township admin: validated, with history.
    assert ServiceProject.history.filter(history_user__username="xx-admin").count() == 9


@pytest.mark.django_db
def test_scale_adds_the_same_at_the_demo_s_rate_without_history():
    call_command("seed_scale", "--townships", "2", stdout=StringIO())
    for committee in Organisation.objects.filter(kind="committee"):
        figures = selectors.figures(committee)
        assert (figures["publicity.billboards"], figures["publicity.banners"]) == (5, 36)
        assert ServiceProject.objects.filter(township=committee).count() == 9
        assert figures["serve.service_projects_done"] == 7  # two still open, one of them overdue
        assert ServiceProject.objects.filter(township=committee).overdue().count() == 1
    assert VanguardPost.objects.count() == 12 and Partnership.objects.count() == 4
    assert not ServiceProject.history.exists() and not PublicityItem.history.exists()
