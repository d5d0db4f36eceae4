"""`{% ledger_links "会议活动" %}` on a ledger's list page: download it as Excel, its blank template, import."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from taizhang.core.scoping import scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def ledger_links(context, sheet: str):
    request = context["request"]
    query = urlencode({"sheet": sheet})
    links = format_html(
        'Excel台账：<a href="{}?{}">导出{}</a> · <a href="{}?{}">空白模板</a>',
        reverse("ledgers:export"),
        query,
        sheet,
        reverse("ledgers:template"),
        query,
    )
    if scope_for(request.user).can_write_anything:
        links = format_html('{} · <a href="{}">导入</a>', links, reverse("ledgers:index"))
    return format_html('<p class="muted small ledger-links">{}</p>', links)
