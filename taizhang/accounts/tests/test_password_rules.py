"""A password may not be, contain or resemble the account's name or the person's name, whichever form sets it:
one's own password change, an admin's reset, a new account. The refusal is in Chinese."""

from __future__ import annotations

import pytest

from taizhang.accounts.models import User
from taizhang.core.roles import Role

OWN = "/accounts/password/"


@pytest.fixture
def zhang(cast):
    User.objects.filter(pk=cast.sec_a1.pk).update(display_name="张明华")
    cast.sec_a1.refresh_from_db()
    return cast.sec_a1


def change_own(client, new):
    return client.post(OWN, {"old_password": "password-123", "new_password1": new, "new_password2": new})


def password_kept(user) -> bool:
    user.refresh_from_db()
    return user.check_password("password-123")


@pytest.mark.parametrize(
    "password, says",
    [
        ("sec_a1sec_a1", "密码不能包含账号"),  # the user name, twice
        ("SEC_A1-2026!", "密码不能包含账号"),  # any case
        ("张明华@2026党建", "密码不能包含姓名"),  # the person's name
        ("sec_a1x", "太相似"),  # too short to be refused for containing it, refused as similar
    ],
)
def test_ones_own_new_password_may_not_hold_the_names(zhang, client_as, password, says):
    response = change_own(client_as(zhang), password)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert password_kept(zhang)


def test_a_password_without_the_names_is_taken(zhang, client_as):
    response = change_own(client_as(zhang), "红船精神-1921")
    assert response.status_code == 302
    assert not password_kept(zhang)


def test_an_admins_reset_may_not_use_the_persons_name(cast, zhang, client_as):
    client = client_as(cast.admin_a)
    response = client.post(f"/accounts/users/{zhang.pk}/password/", {"password": "zmh张明华2026"})
    assert response.status_code == 200 and "密码不能包含姓名" in response.content.decode()
    assert password_kept(zhang)
    response = client.post(f"/accounts/users/{zhang.pk}/password/", {"password": "红船精神-1921"})
    assert response.status_code == 302 and not password_kept(zhang)


def test_a_new_account_may_not_have_its_name_as_password(cast, client_as):
    client = client_as(cast.admin_a)
    data = {
        "username": "branch21",
        "display_name": "李红",
        "role": Role.BRANCH_SECRETARY,
        "organisation": cast.branch_a1.pk,
        "is_active": "on",
    }
    response = client.post("/accounts/users/new/", {**data, "password": "branch21"})
    assert response.status_code == 200 and "密码不能包含账号" in response.content.decode()
    response = client.post("/accounts/users/new/", {**data, "password": "李红李红2026"})
    assert response.status_code == 200 and "密码不能包含姓名" in response.content.decode()
    assert not User.objects.filter(username="branch21").exists()
    response = client.post("/accounts/users/new/", {**data, "password": "红船精神-1921"})
    assert response.status_code == 302 and User.objects.filter(username="branch21").exists()
