"""An area's kinds of record declared for the record kit (core.records) with the names the areas follow,
so that a declaration says only what is particular to its kind.

    kind = area_kinds("serve", services)
    PROJECT = kind("project", ServiceProject, "为民办实事", form=ServiceProjectForm)

declares `serve.project`, written by services.service_project_create/_update/_delete (named after the
model, the record passed as `project`, the name's last word), listed at `serve:project_list`, shown at
`serve:project_detail` with serve/project_detail.html.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType

from django.urls import path

from .records import RecordType, record_urls, register


def _writes_of(model) -> tuple[str, str]:
    """ServiceProject → ("service_project", "project"): the services' name and the record's argument."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()
    return name, name.rsplit("_", 1)[-1]


def area_kinds(area: str, services: ModuleType, **shared) -> Callable[..., RecordType]:
    """A function that declares and registers one kind of record of `area`; `shared` holds what every kind
    of the area has alike (e.g. its restore service)."""

    def declare(
        slug: str, model, label: str, *, writes: tuple[str, str] = (), listed: bool = True, **options
    ) -> RecordType:
        """writes: (the services' name, the argument the record is passed as) where they do not follow
        the model's name. listed: whether the kind has a list page of its own (else it is listed under its
        parent's page)."""
        writes = writes or _writes_of(model)
        conventional = {
            "list_url": f"{area}:{slug}_list" if listed else "",
            "detail_url": f"{area}:{slug}_detail",
            "detail_template": f"{area}/{slug}_detail.html",
        }
        return register(
            RecordType(
                key=f"{area}.{slug}",
                model=model,
                label=label,
                services=(services, *writes),
                **{**shared, **conventional, **options},
            )
        )

    return declare


def kind_urls(kind: RecordType, prefix: str, list_view=None, **options) -> list:
    """A kind's URL patterns under `prefix`: its list page (`list_view`, named <slug>_list) if it has one
    and its generic pages (core.records.record_urls, named after the slug; `options` go to it)."""
    listed = [path(prefix, list_view, name=f"{kind.slug}_list")] if list_view else []
    return [*listed, *record_urls(kind, prefix, kind.slug, **options)]
