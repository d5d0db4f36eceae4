"""The pages that belong to no area: the home page and a campaign part's page.

They sit at the project level, above every app, because they gather what the apps offer (an AppConfig's
`home_panel` and `part_links`) and the organisation and campaign data; core stays free of area imports.
"""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string

from taizhang.campaigns.models import Part
from taizhang.orgs.selectors import registry_summary


def home(request):
    """The campaign, the registry's counts, and what each area puts on the home page: an area's AppConfig
    may name `home_panel`, a dotted path to a function(request) that returns HTML (or "" for nothing)."""
    panels = [
        import_string(config.home_panel)(request)
        for config in apps.get_app_configs()
        if getattr(config, "home_panel", None)
    ]
    return render(
        request,
        "home.html",
        {"summary": registry_summary(request.user), "panels": [p for p in panels if p]},
    )


def part_page(request, slug: str):
    """A part of the current campaign: the pages each area offers for it (AppConfig.part_links), or
    尚未开放 while none does."""
    part = Part.objects.filter(campaign__is_current=True, slug=slug).select_related("campaign").first()
    if part is None:
        raise Http404("没有这个工作板块。")
    links = [
        (label, reverse(url_name))
        for config in apps.get_app_configs()
        for label, url_name in getattr(config, "part_links", {}).get(slug, [])
    ]
    return render(request, "part.html", {"part": part, "links": links})
