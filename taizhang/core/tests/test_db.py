import pytest
from django.db import connection

from taizhang.core.db import refresh_statistics
from taizhang.orgs.models import Organisation


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics are refreshed on PostgreSQL only")
def test_statistics_are_refreshed_after_a_bulk_load(db):
    Organisation.objects.bulk_create([Organisation(name=f"支部{i}", kind="branch") for i in range(300)])
    refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'orgs_organisation'")
        assert cursor.fetchone()[0] >= 300


def test_nothing_to_do_on_sqlite(db, django_assert_num_queries):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refreshes")
    with django_assert_num_queries(0):
        refresh_statistics()
