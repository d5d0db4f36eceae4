"""Dates written the Chinese way, in one place for pages, messages, history and documents:
2023年9月15日, with Arabic numerals and no leading zeros (as GB/T 9704 writes the date of a document)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def cn_date(value) -> str:
    """2023年9月15日 (a datetime is taken in local time; blank for none)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value) -> str:
    """2023年9月15日 14:05"""
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{cn_date(value)} {value:%H:%M}"


def cn_month(value) -> str:
    """2023年9月"""
    return f"{value.year}年{value.month}月" if value else ""
