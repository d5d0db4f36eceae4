"""A request the busy database cannot serve gets the Chinese 503 page, which keeps what was typed; any other
failure gets the Chinese 500 page. Neither is Django's English "Server Error (500)"."""

from __future__ import annotations

import re
import sqlite3

import pytest
from django.db import OperationalError
from django.test import Client

from taizhang.core.busy import database_busy
from taizhang.core.tests import busy_urls

pytestmark = pytest.mark.urls("taizhang.core.tests.busy_urls")


@pytest.fixture
def browser(cast):
    """A signed-in client that checks CSRF tokens, as a browser's requests are checked, and shows error
    pages rather than raising."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(cast.sec_a1)
    client.token = client.get("/accounts/password/").cookies["csrftoken"].value  # a form page sets it
    return client


def hidden_fields(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)


def test_a_page_the_busy_database_cannot_serve_is_a_503_with_retry(browser):
    response = browser.get("/test/locked/?page=2")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "系统繁忙，请稍后重试" in html
    assert 'href="/test/locked/?page=2"' in html  # the retry link
    assert "Server Error" not in html


def test_a_busy_post_comes_back_with_what_was_typed_and_saves_when_resent(browser):
    busy_urls.calls["save"] = 0
    typed = {"title": "主题党日<学习>", "notes": ["第一条", "第二条"], "csrfmiddlewaretoken": browser.token}
    response = browser.post("/test/save/", typed)
    assert response.status_code == 503 and "重新提交" in response.content.decode()
    fields = hidden_fields(response.content.decode())
    names = [name for name, _ in fields]
    assert ("title", "主题党日&lt;学习&gt;") in fields
    assert ("notes", "第一条") in fields and ("notes", "第二条") in fields
    assert names.count("csrfmiddlewaretoken") == 1  # the page's own, fresh one

    resent = {}
    for name, value in fields:
        resent.setdefault(name, []).append(value.replace("&lt;", "<").replace("&gt;", ">"))
    response = browser.post("/test/save/", resent)
    assert response.status_code == 200
    assert response.content.decode().startswith("saved ")
    assert "title=主题党日<学习>" in response.content.decode()


def test_passwords_and_files_are_not_carried_and_the_page_says_so(browser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = browser.post(
        "/test/locked/",
        {
            "username": "sec_a1",
            "password": "secret-typed",
            "new_password1": "another-secret",
            "file": SimpleUploadedFile("台账.xlsx", b"PK"),
            "csrfmiddlewaretoken": browser.token,
        },
    )
    html = response.content.decode()
    assert response.status_code == 503
    assert ("username", "sec_a1") in hidden_fields(html)
    assert "secret" not in html and "台账.xlsx" not in html
    assert "密码没有保留" in html and "文件没有保留" in html


def test_any_other_failure_is_the_chinese_500_page(browser):
    response = browser.get("/test/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出错" in html and "no such table" not in html and "Server Error" not in html


def test_the_500_page_reads_nothing_from_the_database(browser, django_assert_num_queries):
    from taizhang.core.errors import server_error

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        with django_assert_num_queries(0):
            response = server_error(None)
    assert response.status_code == 500


class FakeCause(Exception):
    def __init__(self, sqlstate):
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    "sqlstate, busy",
    [("55P03", True), ("40001", True), ("40P01", True), ("57014", True), ("42P01", False), (None, False)],
)
def test_postgres_lock_and_serialization_timeouts_count_as_busy(sqlstate, busy):
    error = OperationalError("could not obtain lock")
    error.__cause__ = FakeCause(sqlstate)
    assert database_busy(error) is busy


def test_sqlite_locked_errors_count_as_busy_and_others_do_not():
    assert database_busy(OperationalError("database is locked"))
    assert database_busy(sqlite3.OperationalError("database table is locked"))
    assert not database_busy(OperationalError("no such table: x"))
    assert not database_busy(RuntimeError("database is locked"))
    assert not database_busy(None)


def test_a_post_without_its_token_is_refused_in_chinese(browser):
    response = browser.post("/test/save/", {"title": "主题党日"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "CSRF verification" not in html and "<style" not in html
