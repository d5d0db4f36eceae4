"""The demo township gives the seed summary's study and deployment figures; the scale county repeats it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from taizhang.campaigns.models import Campaign
from taizhang.orgs.models import Organisation
from taizhang.study.models import Attendance, MakeUp, Meeting, PlannedMeeting
from taizhang.study.selectors import coverage, study_figures


@pytest.mark.django_db
def test_the_demo_township_gives_the_seed_s_figures():
    call_command("seed_demo", stdout=StringIO())
    township = Organisation.objects.get(name="XX乡党委")
    campaign = Campaign.current()
    assert study_figures(org=township, campaign=campaign) == {
        "study.central_group": 4,
        "study.seminars": 57,
        "study.lectures": 22,
        "study.training_person_times": 469,
        "deploy.branch_meetings": 20,
        "study.retired_covered": 13,
        "study.mobile_covered": 9,
    }
    topics = set(Meeting.objects.filter(type="专题党课", campaign=campaign).values_list("topic", flat=True))
    assert any("书记讲给书记听" in t for t in topics) and any("党课开讲啦" in t for t in topics)
    assert Meeting.objects.filter(type="动员部署会").exists()
    assert Meeting.objects.filter(type="现场教学", place__contains="教育基地").exists()
    assert Meeting.objects.filter(type="主题党日", campaign=campaign).count() == 100
    # Every retired and mobile member has made something up, each by a recorded method.
    report = coverage(org=township, campaign=campaign)
    away = [r for r in report.rows if r.member.category in ("退休", "流动")]
    assert len(away) == 22 and all(r.covered and r.made_up for r in away)
    assert set(MakeUp.objects.values_list("method", flat=True)) == {
        "送书上门",
        "线上学习",
        "有声读物",
        "集中补学",
    }
    # Not everybody else has caught up yet: the coverage page has something to show.
    assert report.uncovered
    # Old records with a head count only, and sign-ins by QR and code, are among them.
    assert Meeting.objects.filter(head_count__isnull=False, campaign=None).exists()
    assert set(Attendance.objects.values_list("method", flat=True)) >= {"扫码", "签到码", "登记"}
    assert PlannedMeeting.objects.filter(organisation__kind="branch").count() >= 20
    meeting = Meeting.objects.filter(type="党员大会", campaign=campaign).first()
    assert meeting.history.get().history_change_reason == "演示数据"


@pytest.mark.django_db
def test_the_scale_county_adds_meetings_at_the_demo_s_rate_and_wipes_them():
    call_command("seed_demo", stdout=StringIO())
    per_township = Meeting.objects.count(), Attendance.objects.count()
    out = StringIO()
    call_command("seed_scale", "--townships", "2", "--force", stdout=out)
    assert Meeting.objects.count() == 2 * per_township[0]
    assert Attendance.objects.count() == 2 * per_township[1]
    assert "会议活动" in out.getvalue()
    assert not Meeting.history.exists()  # scale data goes in without history
    for township in Organisation.objects.filter(kind="committee"):
        assert study_figures(org=township, campaign=Campaign.current())["study.seminars"] == 57
