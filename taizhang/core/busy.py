"""Whether an error only means the database is busy (another transaction holds the lock too long): such a
request is answered "系统繁忙，请稍后重试" (503), never as a failure of the system (500)."""

from __future__ import annotations

import sqlite3

from django.db import OperationalError

# SQLite gives up waiting for the write lock after its busy timeout (TAIZHANG_SQLITE_BUSY_TIMEOUT).
SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")
# PostgreSQL: lock_timeout (55P03), statement_timeout (57014), serialization failure (40001), deadlock (40P01).
POSTGRES_BUSY_STATES = frozenset({"55P03", "57014", "40001", "40P01"})


def busy_underneath(exc: BaseException | None) -> bool:
    """Whether an error was raised while handling a busy database's (its context or cause, at any depth):
    the session middleware answers a session it could not save with a 400 (SessionInterrupted), raised
    from UpdateError, raised from the lock timeout."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if database_busy(exc):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def database_busy(exc: BaseException | None) -> bool:
    """True for an OperationalError of a lock or serialization timeout, on SQLite or PostgreSQL."""
    if not isinstance(exc, OperationalError | sqlite3.OperationalError):
        return False
    for error in (exc, exc.__cause__):
        if getattr(error, "sqlstate", None) in POSTGRES_BUSY_STATES:
            return True
    message = str(exc).lower()
    return any(busy in message for busy in SQLITE_BUSY_MESSAGES)
