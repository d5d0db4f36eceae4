"""Figures are kept until the data they come from change.

Computed figures are cached under the version of the data (core.versions: one small query, moved after every
committed write to any Taizhang table, whatever order the transactions took their ids in), the campaign, the
sets of organisations, the indicators, the as-of date and today's date (a deadline passes without any write).
The version is read before the data, so nothing is ever served from before a change, and no signal has to
remember to clear anything; the first request after a change computes afresh. Inside a transaction that has
written and not committed, the key is that transaction's own: figures of uncommitted data are never shared.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from taizhang.core.deadlines import today
from taizhang.core.versions import current

TIMEOUT = 24 * 3600


def data_version() -> str:
    """The fingerprint of all recorded data this connection sees, in one query."""
    return hashlib.sha1(repr(current()).encode()).hexdigest()


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
