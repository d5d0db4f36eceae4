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


@register.filter
def app_label(obj) -> str:
    return obj._meta.app_label


@register.filter
def model_name(obj) -> str:
    return obj._meta.model_name


@register.inclusion_tag("core/_attachments.html", takes_context=True)
def attachments(context, owner, purpose: str = ""):
    """{% attachments meeting "照片" %}: the record's files, and an upload form for those who may write."""
    from django.conf import settings

    from taizhang.core.models import attachments_of
    from taizhang.core.scoping import org_id_of, scope_for

    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "owner": owner,
        "attachments": attachments_of(owner),
        "purpose": purpose,
        "can_write": scope_for(request.user).can_write(org_id_of(owner)),
        "max_upload_mb": settings.MAX_UPLOAD_MB,
    }


@register.filter
def verbose_name_plural(model) -> str:
    return str(model._meta.verbose_name_plural)


@register.filter
def get(mapping, key):
    """{{ values|get:code }}: a dict's value by a variable key."""
    return mapping.get(key) if mapping else None
