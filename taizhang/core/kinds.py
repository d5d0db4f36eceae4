"""A kind of record declared by the conventions the areas follow, so that its declaration says only what is
its own (see core.records for what a RecordType declares)."""

from __future__ import annotations

from types import ModuleType

from .records import RecordType


def area_kind(
    services: ModuleType, slug: str, *, name: str = "", argument: str = "", pages: bool = True, **declared
):
    """The RecordType `<area>.<slug>`, where the area is the app of the `services` module, written by its
    `<name>_create/_update/_delete` (name: the slug) taking the record as `<argument>` (default: the name);
    with `pages`, listed on `<area>:<slug>_list` and shown on `<area>:<slug>_detail`. What is declared
    overrides these."""
    area = services.__package__.rsplit(".", 1)[-1]
    name = name or slug
    conventions = {"key": f"{area}.{slug}", "services": (services, name, argument or name)}
    if pages:
        conventions |= {"list_url": f"{area}:{slug}_list", "detail_url": f"{area}:{slug}_detail"}
    return RecordType(**(conventions | declared))
