"""On PostgreSQL, a real lock timeout is recognised as a busy database (503), not as a failure (500)."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection, connections, transaction

from taizhang.core.busy import database_busy

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's lock_timeout")


@pytest.mark.django_db(transaction=True)
def test_a_lock_timeout_is_a_busy_database():
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            other.set_autocommit(False)
            cursor.execute("SELECT pg_advisory_xact_lock(1212)")  # held until `other` ends its transaction
            with pytest.raises(OperationalError) as caught, transaction.atomic(), connection.cursor() as mine:
                mine.execute("SET LOCAL lock_timeout = '200ms'")
                mine.execute("SELECT pg_advisory_xact_lock(1212)")
        assert database_busy(caught.value)
        assert caught.value.__cause__.sqlstate == "55P03"
    finally:
        other.rollback()
        other.close()
