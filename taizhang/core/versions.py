"""The version of the data: one number that moves after every committed write, for caches of computed figures.

Why not the last id of each table: on PostgreSQL an id is taken when a row is inserted, not when its
transaction commits. T1 takes history id 100, T2 takes 101 and commits, a reader computes figures and caches
them under "101", T1 commits: the last id is still 101 and the cached figures miss T1's change until the next
write. The row count of an append-only table would move, but counting is a scan of the largest tables.

What this does instead:

- Every write is seen where it happens, at the SQL: an execute wrapper (installed on each database connection
  when it opens, see CoreConfig.ready) matches INSERT / UPDATE / DELETE into any table of a Taizhang model, its
  history and its many-to-many tables. So nothing escapes that a signal would miss: saves, soft deletes and
  restores, bulk_create(_with_history), queryset.update(), the ledger import's plain executemany inserts.
- A transaction that wrote registers one transaction.on_commit callback that increments the single row of
  core_dataversion; a write outside a transaction (autocommit) increments it at once, after the statement.
  A rolled-back transaction or savepoint drops its callback: nothing changed, nothing moves.
- A reader reads that row (one query) before it reads any data, and caches what it computes under it.

Why this is right under READ COMMITTED (PostgreSQL; SQLite serialises writers, which is stricter): the
increment is one UPDATE of one row, so increments are serialised by its row lock and each one yields a
larger number. A write W is committed before its increment starts (on_commit runs after COMMIT). Suppose a
reader read version X and the increment of W produced a number <= X: that increment was committed before the
reader's version query took its snapshot, so W was too, and every later statement of the reader (each takes a
new snapshot under READ COMMITTED; under REPEATABLE READ the version query's snapshot is the one kept) sees
W. So figures cached under X include every write whose increment is counted in X, whatever order ids were
taken in. A reader that read the version just before an increment may cache figures that already include the
write under the older number: fresher than their key, never staler, and nobody asks for that key again.

A transaction's own writes are not committed yet, so a reader inside it sees data no other connection sees:
current() then adds a token of that transaction and the number of its writes so far. What it caches is found
only by itself, and a new write in it gives a new key (this is also what tests see, which run in a
transaction that never commits).

The row carries a random epoch with its number: if the row is lost (a test database flushed) or the data are
replaced by a restore, renew() gives a new epoch, so the number going back can never meet figures cached for
other data. Left open: a process killed between a COMMIT and its increment leaves the number unmoved until
the next write (cached figures last a day at most, settings.CACHES and indicators.cache.TIMEOUT).
"""

from __future__ import annotations

import functools
import logging
import re
import uuid

from django.apps import apps
from django.db import DatabaseError, connections, transaction

log = logging.getLogger(__name__)

TABLE = "core_dataversion"
# INSERT INTO, INSERT OR IGNORE INTO (SQLite's bulk_create(ignore_conflicts=True)), UPDATE, DELETE FROM.
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


@functools.cache
def _watched() -> frozenset[str]:
    """The tables of Taizhang's models, their history and their many-to-many links; not those of a model that
    says `unversioned = True` (bookkeeping no figure reads, such as a job's progress, written often)."""
    return frozenset(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("taizhang.")
        and model._meta.db_table != TABLE
        and not getattr(model, "unversioned", False)
    )


class _Pending:
    """The writes of the open transaction of one connection, and the increment registered for its commit."""

    def __init__(self, using: str):
        self.using = using
        self.token = uuid.uuid4().hex
        self.writes = 0

    def __call__(self) -> None:
        _bump_after(self.using)


def _bump_after(using: str) -> None:
    """Move the version after a committed write: the write stands, so a failure here is logged, not raised
    into the request that made it (its figures then wait for the next write)."""
    try:
        bump(using)
    except DatabaseError:
        log.exception("The data version could not be moved after a write")


def _pending(connection) -> _Pending | None:
    pending = getattr(connection, "_taizhang_pending", None)
    if pending is not None and any(func is pending for _, func, _ in connection.run_on_commit):
        return pending
    return None  # no write yet, or its savepoint was rolled back, or it was committed


def _wrote(connection) -> None:
    if not connection.in_atomic_block:
        if connection.get_autocommit():  # (not manual transaction management, which Taizhang never uses)
            _bump_after(connection.alias)  # the statement is committed already
        return
    pending = _pending(connection)
    if pending is None:
        pending = connection._taizhang_pending = _Pending(connection.alias)
        transaction.on_commit(pending, using=connection.alias)
    pending.writes += 1


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and (match := _WRITE.match(sql)) and match[1] in _watched():
        _wrote(context["connection"])
    return result


def watch(sender=None, connection=None, **kwargs) -> None:
    """Watch the writes of a database connection (django.db.backends.signals.connection_created).

    The wrapper goes first in the list: execute_wrapper() blocks pop the last one on their way out."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def _upsert(using: str, new_epoch: bool) -> None:
    connection = connections[using]
    table = connection.ops.quote_name(TABLE)
    epoch = "excluded.epoch" if new_epoch else f"{table}.epoch"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, epoch, value) VALUES (1, %s, 1) "
            f"ON CONFLICT (id) DO UPDATE SET epoch = {epoch}, value = {table}.value + 1",
            [uuid.uuid4().hex],
        )


def bump(using: str = "default") -> None:
    """Move the version (one statement; the row is made again, with a new epoch, if it was lost)."""
    _upsert(using, new_epoch=False)


def renew(using: str = "default") -> None:
    """A new epoch: for when the data were replaced wholesale (a restore), so no cached figure survives."""
    _upsert(using, new_epoch=True)


def current(using: str = "default") -> tuple:
    """The version of the data this connection sees, in one query: the committed version, and the token and
    write count of its own transaction when that has written and not committed yet."""
    from .models import DataVersion

    connection = connections[using]
    committed = DataVersion.objects.using(using).filter(pk=1).values_list("epoch", "value").first()
    pending = _pending(connection)
    return committed, (pending.token, pending.writes) if pending else None
