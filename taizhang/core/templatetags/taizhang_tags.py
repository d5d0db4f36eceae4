"""Template filters and tags every page uses: Chinese dates, masked mobiles, a record's files, and the record
kit's buttons (a list page's create button, a record page's edit and delete addresses)."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse
from django.utils.html import format_html

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


@register.inclusion_tag("core/_attachments_card.html", takes_context=True)
def attachments_card(context, owner, purpose: str, heading: str = ""):
    """{% attachments_card visit "照片" %}: a record page's card of its files, headed by their purpose (or
    by `heading`, e.g. 照片与会议记录 for a meeting's photos)."""
    return {**attachments(context, owner, purpose), "heading": heading or purpose}


@register.simple_tag(takes_context=True)
def page_title(context) -> str:
    """{% page_title %}: the page's title block once more, for the skeletons' headings, which repeat the title
    unless the page fills its heading block with something else (Django renders a block only once)."""
    block = context.render_context[BLOCK_CONTEXT_KEY].get_block("title")
    return block.nodelist.render(context) if block else ""


@register.simple_tag
def record_url(obj, page: str) -> str:
    """{% record_url obj "edit" %}: the address of a registered record's edit or delete page (its kind knows
    the URL names, core.records.RecordType.url_name)."""
    from taizhang.core.records import kind_of

    return kind_of(obj).page_link(obj, page)


@register.simple_tag(takes_context=True)
def create_button(context, key: str, label: str) -> str:
    """{% create_button "serve.project" "新增项目" %}: a list page's create button, shown to those who may
    create records of the kind (admins only for a kind its model says `write_by = "admin"`)."""
    from taizhang.core.records import REGISTRY

    kind = REGISTRY[key]
    if not kind.may_create(context["request"].user):
        return ""
    return format_html('<a class="button primary" href="{}">{}</a>', reverse(kind.url_name("create")), label)


@register.filter
def verbose_name_plural(model) -> str:
    return str(model._meta.verbose_name_plural)


@register.filter
def get(mapping, key):
    """{{ values|get:code }}: a dict's value by a variable key."""
    return mapping.get(key) if mapping else None
