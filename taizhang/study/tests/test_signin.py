"""Sign-in: the organiser opens it for a time window; a member reaches it by the QR link or the 6-digit code,
picks his name and confirms with the last 4 digits of his mobile. Bad links, codes and digits get a clear
message; repeated wrong tries are paused; the organiser can mark anyone present by hand."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from taizhang.study import services, signin_services
from taizhang.study.models import Attendance, SignIn

from .conftest import ABSENT, PRESENT, record


@pytest.fixture
def meeting(branch):
    """Today's theme party day of branch A1 with sign-in open for an hour; 张三 and 李四 listed absent."""
    meeting = record(
        branch,
        date=timezone.localdate(),
        attendance={branch.zhang.pk: (ABSENT, ""), branch.li.pk: (ABSENT, "")},
    )
    branch.sign_in = services.signin_open(actor=branch.sec_a1, meeting=meeting, minutes=60)
    return meeting


def row(meeting, member):
    return Attendance.objects.get(meeting=meeting, member=member)


def sign(client, token, member, digits, via=""):
    return client.post(
        reverse("study:signin_page", args=[token]), {"member": member.pk, "digits": digits, "via": via}
    )


# The organiser's side ----------------------------------------------------------------------------------


def test_opening_gives_a_six_digit_code_and_an_unguessable_link(branch, meeting):
    sign_in = branch.sign_in
    assert re.fullmatch(r"\d{6}", sign_in.code)
    assert len(sign_in.token) >= 32
    assert sign_in.is_open
    assert sign_in.closes_at - sign_in.opens_at == datetime.timedelta(minutes=60)


def test_sign_in_opens_only_on_the_meeting_s_day(cast):
    old = record(cast, date=datetime.date(2023, 10, 15))
    with pytest.raises(ValidationError) as exc:
        services.signin_open(actor=cast.sec_a1, meeting=old)
    assert exc.value.messages == ["只能在会议当天开启签到；这次会议的日期是2023年10月15日。"]


def test_only_the_organiser_s_writers_open_sign_in(cast):
    today = record(cast, date=timezone.localdate())
    for user in (cast.county_viewer, cast.sec_a2, cast.admin_b):
        with pytest.raises(PermissionDenied):
            services.signin_open(actor=user, meeting=today)
    assert not SignIn.objects.exists()


def test_reopening_keeps_the_link(branch, meeting):
    services.signin_close(actor=branch.sec_a1, meeting=meeting)
    again = services.signin_open(actor=branch.sec_a1, meeting=meeting, minutes=30)
    assert again.token == branch.sign_in.token and again.is_open


def test_two_open_sign_ins_never_share_a_code(cast, monkeypatch):
    first = services.signin_open(actor=cast.sec_a1, meeting=record(cast, date=timezone.localdate()))
    codes = iter([int(first.code), 123456])
    monkeypatch.setattr(signin_services.secrets, "randbelow", lambda n: next(codes))
    second = services.signin_open(
        actor=cast.sec_a2,
        meeting=record(cast, organiser=cast.branch_a2, actor=cast.sec_a2, date=timezone.localdate()),
    )
    assert second.code == "123456" != first.code


def test_the_meeting_page_shows_the_qr_code_and_the_short_code_to_its_organiser(branch, meeting, client_as):
    html = client_as(branch.sec_a1).get(reverse("study:meeting_detail", args=[meeting.pk])).content.decode()
    code = branch.sign_in.code
    assert f"{code[:3]} {code[3:]}" in html
    assert "<svg" in html and 'class="segno"' in html
    assert reverse("study:signin_page", args=[branch.sign_in.token]) in html
    # A reader who may not write sees the attendance, not the sign-in.
    html = (
        client_as(branch.county_viewer)
        .get(reverse("study:meeting_detail", args=[meeting.pk]))
        .content.decode()
    )
    assert branch.sign_in.token not in html and "<svg" not in html


def test_the_organiser_marks_a_member_present_by_hand(branch, meeting, client_as):
    response = client_as(branch.sec_a1).post(
        reverse("study:attendance_mark", args=[meeting.pk]), {"member": branch.sun.pk}
    )
    assert response.status_code == 302
    attendance = row(meeting, branch.sun)
    assert (attendance.status, attendance.method) == (PRESENT, "登记")
    assert attendance.history.first().history_user == branch.sec_a1


def test_the_organiser_cannot_mark_someone_outside_the_organiser(branch, meeting):
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=branch.admin_a, meeting=meeting, member=branch.wang)


# The member's side -------------------------------------------------------------------------------------


def test_a_member_signs_in_through_the_qr_link(branch, meeting, client):
    page = client.get(reverse("study:signin_page", args=[branch.sign_in.token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "学习党章" in html and "张三" in html and "孙八" in html
    assert "13800001111" not in html  # no mobiles on a public page

    response = sign(client, branch.sign_in.token, branch.zhang, "1111")
    assert "签到成功" in response.content.decode()
    attendance = row(meeting, branch.zhang)
    assert (attendance.status, attendance.method) == (PRESENT, "扫码") and attendance.signed_at is not None
    assert attendance.history.first().history_change_reason == "扫码签到"


def test_a_member_not_on_the_list_yet_is_added_when_he_signs_in(branch, meeting, client):
    sign(client, branch.sign_in.token, branch.zhou, "9999")
    assert row(meeting, branch.zhou).status == PRESENT


def test_a_second_sign_in_changes_nothing(branch, meeting, client):
    sign(client, branch.sign_in.token, branch.zhang, "1111")
    first = row(meeting, branch.zhang)
    response = sign(client, branch.sign_in.token, branch.zhang, "1111", via="code")
    assert "您已签到" in response.content.decode() and "无需重复签到" in response.content.decode()
    again = row(meeting, branch.zhang)
    assert (again.signed_at, again.method) == (first.signed_at, "扫码")
    assert again.history.count() == first.history.count()


def test_a_member_signs_in_through_the_short_code(branch, meeting, client):
    response = client.post(reverse("study:signin_code"), {"code": branch.sign_in.code})
    assert response.status_code == 302
    assert response.url == reverse("study:signin_page", args=[branch.sign_in.token]) + "?via=code"
    client.get(response.url)
    sign(client, branch.sign_in.token, branch.li, "2222", via="code")
    assert row(meeting, branch.li).method == "签到码"


def test_a_wrong_code_is_refused(branch, meeting, client):
    wrong = "000000" if branch.sign_in.code != "000000" else "111111"
    response = client.post(reverse("study:signin_code"), {"code": wrong})
    left = services.CODE_TRIES - 1
    assert f"签到码不正确，请核对会场显示的签到码。（还可尝试{left}次）" in response.content.decode()
    response = client.post(reverse("study:signin_code"), {"code": "12a"})
    assert "签到码是6位数字" in response.content.decode()


def test_wrong_digits_are_refused(branch, meeting, client):
    response = sign(client, branch.sign_in.token, branch.zhang, "1234")
    assert "手机号码后4位与张三登记的不符，请重新输入。（还可尝试4次）" in response.content.decode()
    assert row(meeting, branch.zhang).status == ABSENT


def test_a_member_without_a_mobile_is_sent_to_the_organiser(branch, meeting, client):
    branch.zhou.mobile = ""
    branch.zhou.save()
    response = sign(client, branch.sign_in.token, branch.zhou, "0000")
    assert "周九没有登记手机号码，无法自助签到" in response.content.decode()


def test_repeated_wrong_tries_are_paused_even_for_the_right_digits(branch, meeting, client):
    for _ in range(services.SIGNIN_TRIES - 1):
        sign(client, branch.sign_in.token, branch.zhang, "0000")
    response = sign(client, branch.sign_in.token, branch.zhang, "0000")
    assert response.status_code == 429 and "错误次数过多" in response.content.decode()
    response = sign(client, branch.sign_in.token, branch.zhang, "1111")
    assert response.status_code == 429
    assert row(meeting, branch.zhang).status == ABSENT


def test_one_phone_s_typos_do_not_lock_out_the_others_on_the_same_wi_fi(branch, meeting, client):
    for _ in range(services.SIGNIN_TRIES):
        sign(client, branch.sign_in.token, branch.zhang, "0000")
    # 李四's phone goes out through the same village hall address.
    assert "签到成功" in sign(client, branch.sign_in.token, branch.li, "2222").content.decode()
    # The pause is for that name from that address: 张三 on the mobile network gets through.
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert "签到成功" in sign(other, branch.sign_in.token, branch.zhang, "1111").content.decode()


def test_guessing_one_member_s_digits_from_many_phones_is_paused(branch, meeting):
    for n in range(services.SIGNIN_TRIES_PER_MEMBER):
        with pytest.raises(services.SignInRefused):
            services.attendance_sign_in(
                sign_in=branch.sign_in,
                member_id=branch.zhang.pk,
                digits=f"{n:04d}",
                method="扫码",
                client=f"ip{n}",
            )
    with pytest.raises(services.SignInRefused) as exc:
        services.attendance_sign_in(
            sign_in=branch.sign_in, member_id=branch.zhang.pk, digits="1111", method="扫码", client="fresh"
        )
    assert exc.value.status == 429


def test_repeated_wrong_codes_are_paused(branch, meeting, client):
    for _ in range(services.CODE_TRIES):
        client.post(
            reverse("study:signin_code"), {"code": "999999" if branch.sign_in.code != "999999" else "888888"}
        )
    response = client.post(reverse("study:signin_code"), {"code": branch.sign_in.code})
    assert response.status_code == 429 and "错误次数过多" in response.content.decode()


def test_an_expired_sign_in_says_when_it_ended(branch, meeting, client):
    SignIn.objects.filter(pk=branch.sign_in.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(reverse("study:signin_page", args=[branch.sign_in.token]))
    assert "签到已于" in response.content.decode() and "结束" in response.content.decode()
    response = sign(client, branch.sign_in.token, branch.zhang, "1111")
    assert "签到已于" in response.content.decode()
    assert row(meeting, branch.zhang).status == ABSENT
    response = client.post(reverse("study:signin_code"), {"code": branch.sign_in.code})
    assert "签到已于" in response.content.decode()


def test_a_closed_sign_in_says_the_organiser_closed_it(branch, meeting, client):
    services.signin_close(actor=branch.sec_a1, meeting=meeting)
    response = sign(client, branch.sign_in.token, branch.zhang, "1111")
    assert "组织者已于" in response.content.decode() and "关闭签到" in response.content.decode()
    assert row(meeting, branch.zhang).status == ABSENT


def test_a_forged_link_is_refused(branch, meeting, client):
    forged = branch.sign_in.token[:-2] + ("aa" if not branch.sign_in.token.endswith("aa") else "bb")
    response = client.get(reverse("study:signin_page", args=[forged]))
    assert response.status_code == 404 and "签到链接无效" in response.content.decode()
    response = sign(client, forged, branch.zhang, "1111")
    assert response.status_code == 404 and row(meeting, branch.zhang).status == ABSENT


def test_a_deleted_meeting_s_link_is_refused(branch, meeting, client):
    services.meeting_delete(actor=branch.sec_a1, meeting=meeting)
    assert client.get(reverse("study:signin_page", args=[branch.sign_in.token])).status_code == 404


def test_a_member_of_another_organisation_cannot_sign_in_here(branch, meeting, client):
    response = sign(client, branch.sign_in.token, branch.zhao, "4444")
    assert "请在名单中点选您的姓名" in response.content.decode()
    assert not Attendance.objects.filter(member=branch.zhao).exists()


def test_the_signin_pages_need_no_login(branch, meeting, client):
    assert client.get(reverse("study:signin_code")).status_code == 200
    assert client.get(reverse("study:signin_page", args=[branch.sign_in.token])).status_code == 200
