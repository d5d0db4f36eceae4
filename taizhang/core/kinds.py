"""A kind of record declared by the conventions the areas follow, so that its declaration says only what is
its own (see core.records for what a RecordType declares).

    MEMBER = register(area_kind(services, "member", model=Member, label="党员", form=MemberForm))

declares `orgs.member`, written by services.member_create/_update/_delete taking the record as `member`,
listed at `orgs:member_list` and shown at `orgs:member_detail`. An area whose kinds all have the kit's
detail page and are written by services named after the model declares them through `area_kinds`:

    kind = area_kinds(services)
    PROJECT = kind("project", ServiceProject, "为民办实事", form=ServiceProjectForm)

declares and registers `serve.project`, written by services.service_project_create/_update/_delete (the
record passed as `project`, the name's last word), shown with serve/project_detail.html.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType

from django.urls import path

from .records import RecordType, record_urls, register


def area_kind(
    services: ModuleType, slug: str, *, name: str = "", argument: str = "", pages: bool = True, **declared
) -> RecordType:
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


def _writes_of(model) -> tuple[str, str]:
    """ServiceProject → ("service_project", "project"): the services' name and the record's argument."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()
    return name, name.rsplit("_", 1)[-1]


def area_kinds(services: ModuleType, **shared) -> Callable[..., RecordType]:
    """A function that declares (area_kind) and registers one kind of record of the area of `services`,
    shown on the kit's detail page with `<area>/<slug>_detail.html`; `shared` holds what every kind of the
    area has alike (e.g. its restore service)."""
    area = services.__package__.rsplit(".", 1)[-1]

    def declare(
        slug: str, model, label: str, *, writes: tuple[str, str] = (), listed: bool = True, **options
    ) -> RecordType:
        """writes: (the services' name, the argument the record is passed as) where they do not follow
        the model's name. listed: whether the kind has a list page of its own (else it is listed under its
        parent's page)."""
        name, argument = writes or _writes_of(model)
        if not listed:
            options.setdefault("list_url", "")
        options.setdefault("detail_template", f"{area}/{slug}_detail.html")
        kind = area_kind(
            services, slug, name=name, argument=argument, model=model, label=label, **shared, **options
        )
        return register(kind)

    return declare


def kind_urls(kind: RecordType, prefix: str, list_view=None, **options) -> list:
    """A kind's URL patterns under `prefix`: its list page (`list_view`, named <slug>_list) if it has one
    and its generic pages (core.records.record_urls, named after the slug; `options` go to it)."""
    listed = [path(prefix, list_view, name=f"{kind.slug}_list")] if list_view else []
    return [*listed, *record_urls(kind, prefix, kind.slug, **options)]
