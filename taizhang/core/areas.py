"""The AppConfig of a record area (study, rectify, research, serve, reports): what it offers the pages that
gather every area's work.

The project-level pages read these attributes from every app's config (apps.get_app_configs()), so that
neither they nor core import the areas; an app that offers nothing may stay a plain AppConfig.
"""

from __future__ import annotations

from typing import ClassVar

from django.apps import AppConfig


class AreaConfig(AppConfig):
    """An area's AppConfig. Each hook is empty here; an area names what it offers.

    - home_panel: a dotted path to a function(request) returning the HTML of the area's card on the home
      page, or "" for none (read by taizhang.views.home).
    - part_links: the links on a campaign part's page (taizhang.views.part_page): part slug ->
      [(label, url name)].
    - report_examples: the lists the work summary may quote (taizhang.reports.examples): example name ->
      dotted path of a function(campaign, root, as_of).
    """

    # Django takes the one AppConfig subclass an apps.py defines as the app's config, but with two (this base,
    # imported there, and the area's own) it would silently fall back to a plain AppConfig. The base is
    # therefore never a default and every subclass is one, unless it says otherwise.
    default = False

    home_panel: ClassVar[str] = ""
    part_links: ClassVar[dict[str, list[tuple[str, str]]]] = {}
    report_examples: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True
