"""Loaded by the worker as it starts (core.workers.start discovers every app's jobs.py): core's jobs are the
large downloads, whose kind (core.downloads.KIND) connects as it is imported the receivers that mark cut-off
builds failed and forget old files."""

from . import downloads  # noqa: F401 - connects downloads' worker_started and housekeeping receivers
