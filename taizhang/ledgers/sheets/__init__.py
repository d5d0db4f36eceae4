"""Each area's ledger sheets; importing this package registers them all."""

from . import orgs, rectify, research, serve, study  # noqa: F401
