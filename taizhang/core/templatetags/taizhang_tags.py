"""Template filters every page uses: Chinese dates and masked mobiles."""

from django import template

from taizhang.core import dates

register = template.Library()


register.filter("cn_date", dates.cn_date)
register.filter("cn_datetime", dates.cn_datetime)
register.filter("cn_month", dates.cn_month)


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
