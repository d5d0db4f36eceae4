"""Make-up study and coverage: a member's required meetings (of the campaign, organised by his own
organisation, of a required type, attendance recorded by name) are each attended, made up or missing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taizhang.study import selectors, services
from taizhang.study.models import MakeUp

from .conftest import ABSENT, DAY, LEAVE, PRESENT, record


@pytest.fixture
def held(branch):
    """Branch A1's members' meeting (required): 张三 present, 李四 on leave, 孙八 absent, 周九 present; and a
    theme party day (required) that only 张三 attended."""
    c = branch
    c.members_meeting = record(
        c,
        type="党员大会",
        topic="传达主题教育部署",
        attendance={
            c.zhang.pk: (PRESENT, ""),
            c.li.pk: (LEAVE, "年老体弱"),
            c.sun.pk: (ABSENT, ""),
            c.zhou.pk: (PRESENT, ""),
        },
    )
    c.theme_day = record(
        c,
        type="主题党日",
        date=DAY + datetime.timedelta(days=5),
        attendance={
            c.zhang.pk: (PRESENT, ""),
            c.li.pk: (ABSENT, ""),
            c.sun.pk: (ABSENT, ""),
            c.zhou.pk: (ABSENT, ""),
        },
    )
    return c


def states(report):
    return {row.member.name: [(item.meeting.type, item.state) for item in row.items] for row in report.rows}


def make_up(c, member, meeting, **extra):
    data = {"date": meeting.date + datetime.timedelta(days=3), "method": "送书上门"} | extra
    return services.makeup_create(actor=c.sec_a1, member=member, meeting=meeting, **data)


def test_each_required_meeting_is_attended_made_up_or_missing(held, campaign):
    make_up(held, held.li, held.members_meeting)
    report = selectors.coverage(org=held.branch_a1, campaign=campaign)
    assert states(report) == {
        "周九": [("党员大会", "出席"), ("主题党日", "缺")],
        "孙八": [("党员大会", "缺"), ("主题党日", "缺")],
        "张三": [("党员大会", "出席"), ("主题党日", "出席")],
        "李四": [("党员大会", "补学"), ("主题党日", "缺")],
    }
    # Retired and mobile members first (人人学、不漏学、不掉队), then the others, each by name.
    assert [r.member.name for r in report.uncovered] == ["孙八", "李四", "周九"]
    assert report.covered_count() == 1


def test_a_member_with_every_miss_made_up_is_covered(held, campaign):
    for meeting in (held.members_meeting, held.theme_day):
        make_up(held, held.sun, meeting, method="线上学习")
    report = selectors.coverage(org=held.township_a, campaign=campaign)
    assert report.covered_count("流动") == 1
    assert "孙八" not in [r.member.name for r in report.uncovered]


def test_what_is_not_required_does_not_count(held, campaign):
    c = held
    record(c, type="支委会", topic="支委会", attendance={c.li.pk: (ABSENT, "")})  # not a required type
    record(
        c, type="主题党日", date=datetime.date(2023, 5, 5), attendance={c.li.pk: (ABSENT, "")}
    )  # no campaign
    record(c, type="专题研讨", topic="只有人数", head_count=20)  # no names
    record(
        c, organiser=c.township_a, actor=c.admin_a, type="专题研讨", attendance={c.li.pk: (ABSENT, "")}
    )  # not his org
    report = selectors.coverage(org=c.branch_a1, campaign=campaign)
    assert states(report)["李四"] == [("党员大会", "缺"), ("主题党日", "缺")]


def test_a_member_with_no_required_meeting_is_covered(cast, campaign):
    report = selectors.coverage(org=cast.branch_a2, campaign=campaign)
    assert [(r.member.name, r.covered) for r in report.rows] == [("王五", True)]


def test_the_required_types_are_the_campaign_s(held, campaign):
    campaign.required_meeting_types = ["党员大会"]
    campaign.save()
    report = selectors.coverage(org=held.branch_a1, campaign=campaign)
    assert states(report)["李四"] == [("党员大会", "缺")]


def test_coverage_as_of_a_date(held, campaign):
    make_up(held, held.li, held.members_meeting)
    report = selectors.coverage(org=held.branch_a1, campaign=campaign, as_of=DAY + datetime.timedelta(days=1))
    assert states(report)["李四"] == [("党员大会", "缺")]  # the make-up is dated three days later


def test_coverage_runs_five_queries_whatever_the_size(held, campaign, django_assert_num_queries):
    with django_assert_num_queries(5):  # subtree, members, meetings, present, make-ups
        selectors.coverage(org=held.township_a, campaign=campaign)


# Make-up records ---------------------------------------------------------------------------------------


def test_a_make_up_is_recorded_with_history(held):
    makeup = make_up(held, held.sun, held.members_meeting, method="有声读物", note="收听有声书籍")
    assert (makeup.method, makeup.note) == ("有声读物", "收听有声书籍")
    assert makeup.history.get().history_user == held.sec_a1


def test_a_member_who_attended_needs_no_make_up(held):
    with pytest.raises(ValidationError) as exc:
        make_up(held, held.zhang, held.members_meeting)
    assert exc.value.message_dict["member"] == ["张三出席了“传达主题教育部署”，无需补学。"]


def test_a_meeting_of_another_organisation_needs_no_make_up(held):
    other = record(
        held, organiser=held.township_a, actor=held.admin_a, type="党员大会", topic="乡党委党员大会"
    )
    with pytest.raises(ValidationError) as exc:
        services.makeup_create(actor=held.admin_a, member=held.li, meeting=other, date=DAY, method="送书上门")
    assert "不是李四所在组织召开的会议" in exc.value.message_dict["meeting"][0]


def test_a_meeting_of_a_type_not_required_needs_no_make_up(held):
    committee = record(held, type="支委会", topic="支委会", attendance={held.li.pk: (ABSENT, "")})
    with pytest.raises(ValidationError) as exc:
        make_up(held, held.li, committee)
    assert "不是主题教育要求参加的会议" in exc.value.message_dict["meeting"][0]


def test_a_make_up_before_the_meeting_or_in_the_future_is_refused(held):
    with pytest.raises(ValidationError) as exc:
        make_up(held, held.li, held.members_meeting, date=DAY - datetime.timedelta(days=1))
    assert exc.value.message_dict["date"] == ["补学日期不能早于会议日期（2023年10月15日）。"]
    with pytest.raises(ValidationError) as exc:
        make_up(held, held.li, held.members_meeting, date=datetime.date.today() + datetime.timedelta(days=2))
    assert exc.value.message_dict["date"] == ["补学日期不能晚于今天。"]


def test_one_make_up_per_member_and_meeting(held):
    make_up(held, held.li, held.members_meeting)
    with pytest.raises(ValidationError) as exc:
        make_up(held, held.li, held.members_meeting, method="线上学习")
    assert "已登记过这次会议的补学" in str(exc.value)


def test_make_up_is_written_only_within_scope(held):
    for user in (held.county_viewer, held.sec_a2, held.admin_b):
        with pytest.raises(PermissionDenied):
            services.makeup_create(
                actor=user, member=held.li, meeting=held.members_meeting, date=DAY, method="送书上门"
            )
    assert not MakeUp.all_objects.exists()


def test_a_deleted_make_up_no_longer_covers_until_restored(held, campaign):
    makeup = make_up(held, held.li, held.members_meeting)
    services.makeup_delete(actor=held.sec_a1, makeup=makeup)
    assert states(selectors.coverage(org=held.branch_a1, campaign=campaign))["李四"][0] == ("党员大会", "缺")
    services.makeup_restore(actor=held.admin_a, makeup=makeup)
    assert states(selectors.coverage(org=held.branch_a1, campaign=campaign))["李四"][0] == (
        "党员大会",
        "补学",
    )


# Pages -------------------------------------------------------------------------------------------------


def test_the_coverage_page_lists_who_still_misses_something_with_a_make_up_link(held, client_as):
    html = client_as(held.sec_a1).get(reverse("study:coverage")).content.decode()
    assert html.index("孙八") < html.index("李四") < html.index("周九")
    link = f"{reverse('study:makeup_create')}?member={held.sun.pk}&meeting={held.members_meeting.pk}"
    assert link in html
    assert "退休党员覆盖" in html and "流动党员覆盖" in html
    # The county reads it, without the make-up links.
    html = (
        client_as(held.county_viewer)
        .get(reverse("study:coverage"), {"org": held.branch_a1.pk})
        .content.decode()
    )
    assert "孙八" in html and reverse("study:makeup_create") not in html


def test_the_coverage_page_of_another_township_is_a_404(held, client_as):
    assert (
        client_as(held.sec_b1).get(reverse("study:coverage"), {"org": held.branch_a1.pk}).status_code == 404
    )


def test_recording_a_make_up_from_the_coverage_page(held, client_as):
    client = client_as(held.sec_a1)
    url = reverse("study:makeup_create")
    form = client.get(url, {"member": held.sun.pk, "meeting": held.members_meeting.pk})
    assert form.status_code == 200
    assert form.context["form"]["meeting"].value() == str(held.members_meeting.pk)
    # Only what he missed and has not made up is offered.
    offered = {pk for pk, _ in form.context["form"].fields["meeting"].choices}
    assert offered == {held.members_meeting.pk, held.theme_day.pk}
    response = client.post(
        url,
        {
            "member": held.sun.pk,
            "meeting": held.members_meeting.pk,
            "date": "2023-10-20",
            "method": "线上学习",
        },
    )
    assert response.status_code == 302 and response.url.startswith(reverse("study:coverage"))
    assert MakeUp.objects.get().member == held.sun


def test_the_make_up_form_without_a_member_asks_for_one(held, client_as):
    response = client_as(held.sec_a1).get(reverse("study:makeup_create"))
    assert response.status_code == 200 and "孙八" in response.content.decode()


def test_the_coverage_and_make_up_pages_run_as_many_queries_for_more_data(held, client_as, assert_queries):
    client = client_as(held.admin_a)
    pages = [(reverse("study:coverage"), {"org": held.branch_a1.pk}), (reverse("study:makeup_list"), {})]
    make_up(held, held.li, held.members_meeting)
    before = [_queries_of(client, url, params) for url, params in pages]
    for n in range(12):
        meeting = record(
            held,
            type="专题研讨",
            topic=f"研讨{n}",
            attendance={held.sun.pk: (ABSENT, ""), held.zhou.pk: (ABSENT, "")},
        )
        make_up(held, held.sun, meeting, method="线上学习")
    for (url, params), count in zip(pages, before, strict=True):
        with assert_queries(count):
            client.get(url, params)


def _queries_of(client, url, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm: lookups made only once per process (content types) are out of the way
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return len(queries)


def test_the_make_up_pages_on_the_record_kit(held, client_as):
    """Recorded from the coverage page, named in the message; its page is its form, with its history."""
    client = client_as(held.sec_a1)
    data = {
        "member": held.sun.pk,
        "meeting": held.members_meeting.pk,
        "date": "2023-10-20",
        "method": "线上学习",
    }
    response = client.post(reverse("study:makeup_create"), data, follow=True)
    assert "已登记孙八的补学。" in response.content.decode()
    makeup = MakeUp.objects.get()
    page = client.get(reverse("study:makeup_edit", args=[makeup.pk]))
    assert page.context["title"] == "修改补学：孙八" and page.context["history"]
    offered = {pk for pk, _ in page.context["form"].fields["meeting"].choices}
    assert offered == {held.members_meeting.pk, held.theme_day.pk}  # its own meeting stays on offer
    response = client.post(reverse("study:makeup_edit", args=[makeup.pk]), data | {"note": "线上补学"})
    assert response.status_code == 302 and response.url.startswith(reverse("study:coverage"))
    makeup.refresh_from_db()
    assert makeup.note == "线上补学"


def test_a_make_up_for_a_member_out_of_reach_is_refused(held, client_as):
    url = reverse("study:makeup_create")
    assert client_as(held.county_viewer).get(url, {"member": held.sun.pk}).status_code == 403
    assert client_as(held.sec_b1).get(url, {"member": held.sun.pk}).status_code == 404
