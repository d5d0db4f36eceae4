"""Logging in: a correct login goes home, five wrong passwords lock the account, passwords are argon2."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from taizhang import settings as project_settings
from taizhang.accounts.models import User

LOGIN = "/accounts/login/"
LOCKED = "登录已暂时锁定"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_url_is_the_one_the_settings_name():
    assert reverse("login") == LOGIN


def test_correct_login_redirects_home(cast, client):
    response = attempt(client, "sec_a1", "password-123")
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").wsgi_request.user == cast.sec_a1


def test_login_goes_back_to_the_page_asked_for(cast, client):
    response = client.post(LOGIN + "?next=/members/", {"username": "sec_a1", "password": "password-123"})
    assert response.status_code == 302 and response.url == "/members/"


def test_login_does_not_go_to_another_site(cast, client):
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"username": "sec_a1", "password": "password-123"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_wrong_password_says_so_in_chinese(cast, client):
    response = attempt(client, "sec_a1", "wrong")
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_account_cannot_log_in(cast, client):
    User.objects.filter(pk=cast.sec_a1.pk).update(is_active=False)
    response = attempt(client, "sec_a1", "password-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(cast, client):
    for _ in range(4):
        response = attempt(client, "sec_a1", "wrong")
        assert response.status_code == 200
        assert "账号或密码不正确" in response.content.decode()
    response = attempt(client, "sec_a1", "wrong")  # the fifth
    assert LOCKED in response.content.decode()
    response = attempt(client, "sec_a1", "password-123")  # the sixth, with the right password
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and "15分钟" in html
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock(cast, client):
    for _ in range(4):
        attempt(client, "sec_a1", "wrong")
    response = attempt(client, "sec_a1", "password-123")
    assert response.status_code == 302 and response.url == "/"


def test_a_correct_login_resets_the_count(cast, client):
    for _ in range(4):
        attempt(client, "sec_a1", "wrong")
    attempt(client, "sec_a1", "password-123")
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "sec_a1", "wrong")
    response = attempt(client, "sec_a1", "password-123")
    assert response.status_code == 302


def test_a_locked_account_does_not_lock_the_others(cast, client):
    for _ in range(5):
        attempt(client, "sec_a1", "wrong")
    response = attempt(client, "sec_a2", "password-123")
    assert response.status_code == 302 and response.url == "/"


def test_township_admin_lifts_the_lock(cast, client, client_as):
    for _ in range(5):
        attempt(client, "sec_a1", "wrong")
    admin = client_as(cast.admin_a)
    assert admin.post(reverse("accounts:user_unlock", args=[cast.sec_a1.pk])).status_code == 302
    admin.post(reverse("logout"))
    response = attempt(client, "sec_a1", "password-123")
    assert response.status_code == 302 and response.url == "/"


def test_passwords_are_hashed_with_argon2_by_default(db, settings):
    # conftest switches to MD5 for speed; the project's own setting is what production uses.
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create_user("argon", password="password-123")
    assert user.password.startswith("argon2$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("password-123")


def test_an_argon2_account_logs_in(db, settings, client):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    User.objects.create_user("argon", password="password-123")
    response = attempt(client, "argon", "password-123")
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.parametrize("path", ["/", "/members/", "/orgs/", "/campaigns/"])
def test_pages_need_a_login(db, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={path}"
