"""On SQLite, a save that cannot get the write lock another connection holds (an import's, say) is answered
with the 503 page, and the same form saves once the lock is released. (The test database is SQLite's shared
in-memory one, which says "database table is locked" where a database file says "database is locked".)"""

from __future__ import annotations

import pytest
from django.db import connection, connections
from django.test import Client

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


@pytest.mark.django_db(transaction=True)
def test_a_save_during_another_write_gets_the_503_and_saves_when_sent_again(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.sec_a1)
    typed = {
        "old_password": "password-123",
        "new_password1": "红船精神-1921",
        "new_password2": "红船精神-1921",
    }
    other = connections.create_connection("default")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 200")  # not 20 s: the test need not wait that long
    try:
        other.cursor().execute("BEGIN IMMEDIATE")
        other.cursor().execute(
            "UPDATE accounts_user SET display_name = 'import' WHERE id = %s", [cast.admin_b.pk]
        )
        response = client.post("/accounts/password/", typed)
        assert response.status_code == 503 and "系统繁忙，请稍后重试" in response.content.decode()
    finally:
        other.rollback()
        other.close()
    response = client.post("/accounts/password/", typed)
    assert response.status_code == 302
