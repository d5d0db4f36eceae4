"""Figures are kept until the data they come from changes.

Every write in Taizhang goes through a service that records history (django-simple-history, including the
bulk writes of attendance and imports), so the last history row of every kind of record, read in one small
query, is a fingerprint of all the data: it moves with any change, a deletion or an undo. Computed figures are
cached under that fingerprint, the campaign, the sets of organisations, the indicators, the as-of date and
today's date (a deadline passes without any write). Nothing is ever served from before a change, and no
signal has to remember to clear anything; the first request after a change computes afresh.

The few tables without history of their own (the campaign's parts, reloaded from its file) are fingerprinted
by their row count and last id.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from simple_history.models import HistoricalChanges

from taizhang.core.deadlines import today

TIMEOUT = 24 * 3600


def _tables() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    historical, plain = [], []
    for model in apps.get_models():
        if not model.__module__.startswith("taizhang."):
            continue
        table, pk = model._meta.db_table, model._meta.pk.column
        if issubclass(model, HistoricalChanges):
            historical.append((table, pk))
        elif not hasattr(model, "history") and model._meta.managed:
            plain.append((table, pk))
    return historical, plain


def data_version() -> str:
    """The fingerprint of all recorded data, in one query."""
    historical, plain = _tables()
    q = connection.ops.quote_name
    parts = [f"(SELECT MAX({q(pk)}) FROM {q(table)})" for table, pk in historical]
    for table, pk in plain:
        parts += [f"(SELECT COUNT(*) FROM {q(table)})", f"(SELECT MAX({q(pk)}) FROM {q(table)})"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode()).hexdigest()


def key(*parts) -> str:
    return "figures:" + hashlib.sha1(repr((data_version(), today(), *parts)).encode()).hexdigest()


def cached(parts: tuple, compute):
    """compute(), or what it returned for the same parts and the same data."""
    name = key(*parts)
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, TIMEOUT)
    return value
