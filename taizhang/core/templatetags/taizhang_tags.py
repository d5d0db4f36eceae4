"""Template filters every page uses: Chinese dates and masked mobiles."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2023年9月15日"""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value) -> str:
    """2023年9月15日 14:05"""
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.simple_tag(takes_context=True)
def mobile(context, member) -> str:
    """A member's mobile as the viewer may see it: whole for township admins, else 138****1234."""
    return member.mobile_for(context.get("scope"))
