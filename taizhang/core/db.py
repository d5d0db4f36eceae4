"""Database housekeeping shared by the bulk loaders (seeds, ledger imports)."""

from django.db import connection


def refresh_statistics() -> None:
    """After a bulk load, let PostgreSQL's planner see how big the tables now are. Statistics gathered while a
    table was nearly empty make it pick nested loops over sequential scans for the new rows, and a query of a
    few milliseconds can take minutes. SQLite is left alone: its plans here are made (and were measured)
    without statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
