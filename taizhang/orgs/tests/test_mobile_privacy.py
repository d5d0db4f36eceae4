"""A branch secretary never sees a member's whole mobile, not even in the edit form, yet can correct it."""

from taizhang.orgs.models import Member


def form_data(**changes):
    data = {"name": "张三", "gender": "男", "category": "农村", "mobile": "", "post": ""}
    data.update(changes)
    return data


def test_edit_form_does_not_show_the_whole_mobile_to_a_branch_secretary(cast, client_as):
    body = client_as(cast.sec_a1).get(f"/members/{cast.zhang.pk}/edit/").content.decode()
    assert "13800001111" not in body
    assert "138****1111" in body


def test_edit_form_shows_the_whole_mobile_to_a_township_admin(cast, client_as):
    body = client_as(cast.admin_a).get(f"/members/{cast.zhang.pk}/edit/").content.decode()
    assert 'value="13800001111"' in body


def test_a_blank_mobile_from_a_branch_secretary_keeps_the_number(cast, client_as):
    response = client_as(cast.sec_a1).post(f"/members/{cast.zhang.pk}/edit/", form_data(post="组长"))
    assert response.status_code == 302
    zhang = Member.objects.get(pk=cast.zhang.pk)
    assert zhang.mobile == "13800001111" and zhang.post == "组长"


def test_a_branch_secretary_can_replace_the_number(cast, client_as):
    response = client_as(cast.sec_a1).post(f"/members/{cast.zhang.pk}/edit/", form_data(mobile="13911112222"))
    assert response.status_code == 302
    assert Member.objects.get(pk=cast.zhang.pk).mobile == "13911112222"


def test_a_township_admin_can_clear_the_number(cast, client_as):
    response = client_as(cast.admin_a).post(f"/members/{cast.zhang.pk}/edit/", form_data(mobile=""))
    assert response.status_code == 302
    assert Member.objects.get(pk=cast.zhang.pk).mobile == ""


def test_a_mobile_written_with_hyphens_is_accepted(cast, client_as):
    response = client_as(cast.admin_a).post(
        f"/members/{cast.zhang.pk}/edit/", form_data(mobile="139-1111-2222")
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=cast.zhang.pk).mobile == "13911112222"
