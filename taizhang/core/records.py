"""The record kit: what every kind of record declares once, and the pages built from the declaration.

An area describes each kind of record it keeps with a `RecordType` (model, form, the services that write
it, its pages) and registers it; the generic create, edit, delete-confirm, detail, trash and restore pages
below serve every kind alike, as NetBox's ObjectEditView/ObjectDeleteView and its registry do. Who may
write a kind is data on its model (`write_by`, read by core.scoping), not a helper per area. Every write
still goes through the area's services, which are the one write path for pages, ledger import and sign-in.

    PROJECT = register(RecordType(
        key="serve.project", model=ServiceProject, label="为民办实事", form=ServiceProjectForm,
        services=(services, "service_project", "project"),
        list_url="serve:project_list", detail_url="serve:project_detail",
    ))
    urlpatterns = [*record_urls(PROJECT, "projects/", "project"), ...]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from .history import history_of
from .scoping import (
    get_visible_or_404,
    may_write,
    require_admin,
    require_some_write,
    require_write,
    scope_for,
    write_rule,
)
from .services import restore_record
from .views import apply_validation_error


@dataclass(frozen=True)
class RecordType:
    """One kind of record, as the generic pages need it.

    services: (module, name, argument) where module has `<name>_create(actor, **data)`,
    `<name>_update(actor, <argument>=obj, **data)` and `<name>_delete(actor, <argument>=obj)`.
    parent: the foreign key that a record created under another one takes from the URL (a joint activity
    under its partnership); its create URL is then `<parent prefix>/<pk>/...`.
    form_extra: (request, instance=, parent=) -> more keyword arguments of the form (instance: the record
    edited, None on the create page; parent: the record created under, if any).
    create_extra: request -> more values the create service takes (e.g. the current campaign).
    error_fields: the model field a service's ValidationError names -> the form field that shows it.
    trash_filter: queryset -> the deleted records the trash lists (e.g. not those deleted with a parent).
    form_context: (request, form) -> more context of the create and edit pages, for a kind whose form
    template shows more than the form (e.g. who the record is for, its history); it may set the title.
    """

    key: str
    model: type[models.Model]
    label: str
    form: type | None = None
    services: tuple[ModuleType, str, str] | None = None
    restore: Callable[..., Any] | None = None  # (actor=, obj=); default: services' <name>_restore, or core's
    restored_message: str = ""  # may name the record as {obj}; default 已恢复<label>“{obj}”。
    restore_refused_message: str = ""  # before the reasons; may name the record as {obj}
    after_restore: Callable[[Any], str] | None = None  # obj -> where to go (default: the trash)
    add_another: bool = False  # the create form's 保存并继续添加 (a POST with add_another) comes back to it
    list_url: str = ""
    detail_url: str = ""
    detail_template: str = ""
    detail_related: tuple[str, ...] = ()
    detail_prefetch: tuple[str, ...] = ()
    detail_context: Callable[[Any, Any], dict] | None = None  # (request, obj) -> more context
    parent: str = ""
    create_title: str = ""
    created_message: str = ""  # may name the record as {obj}
    edit_title: Callable[[Any], str] | None = None
    form_takes_user: bool = True
    initial: Callable[[Any], dict] | None = None  # request -> initial values of the create form
    delete_note: str = ""
    after_delete: Callable[[Any], str] | None = None  # obj -> where to go
    context_name: str = ""  # the record's name in its detail template (default: the slug)
    form_template: str = "core/record_form.html"
    form_extra: Callable[..., dict] | None = None
    create_extra: Callable[[Any], dict] | None = None
    error_fields: dict[str, str] = field(default_factory=dict, hash=False)
    deleted_message: str = ""  # may name the record as {obj}
    after_create: Callable[[Any], str] | None = None  # obj -> where to go (default: its page)
    trash_filter: Callable[[Any], Any] | None = None
    form_context: Callable[[Any, Any], dict] | None = None
    after_edit: Callable[[Any], str] | None = None  # obj -> where to go once saved (default: its page)

    @property
    def name(self) -> str:
        return self.context_name or self.slug

    @property
    def area(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def slug(self) -> str:
        return self.key.split(".", 1)[1]

    def service(self, verb: str) -> Callable[..., Any]:
        module, name, _ = self.services
        return getattr(module, f"{name}_{verb}")

    def create(self, *, actor, **data):
        return self.service("create")(actor=actor, **data)

    def update(self, *, actor, obj, **data):
        return self.service("update")(actor=actor, **{self.services[2]: obj}, **data)

    def delete(self, *, actor, obj) -> None:
        self.service("delete")(actor=actor, **{self.services[2]: obj})

    def bring_back(self, *, actor, obj) -> None:
        """Restore a deleted record: the kind's restore, else its services' `<name>_restore(actor,
        <argument>=obj)`, else core's restore_record."""
        if self.restore is not None:
            self.restore(actor=actor, obj=obj)
        elif self.services and hasattr(self.services[0], f"{self.services[1]}_restore"):
            self.service("restore")(actor=actor, **{self.services[2]: obj})
        else:
            restore_record(obj, actor=actor)

    def url_name(self, page: str) -> str:
        """The URL name of one of the kind's pages: record_urls names them `<area>:<slug>_<page>`, and an
        area that serves a page itself (a create page with a formset) keeps that name."""
        return f"{self.area}:{self.slug}_{page}"

    def page_link(self, obj, page: str) -> str:
        """The address of a record's edit or delete page (the buttons on its page)."""
        return reverse(self.url_name(page), args=[obj.pk])

    def may_create(self, user) -> bool:
        """Whether the user may create records of this kind (not under a parent): the create button on the
        list page shows for those whom require_create lets through."""
        scope = scope_for(user)
        return scope.can_write_anything and (write_rule(self.model) != "admin" or scope.is_admin)

    def detail_link(self, obj) -> str:
        if not self.detail_url:  # a kind without a page of its own (a plan's item): its model's URL
            return obj.get_absolute_url()
        return reverse(self.detail_url, args=[obj.pk])

    def list_link(self, obj=None) -> str:
        if self.parent and obj is not None:
            parent = getattr(obj, self.parent)
            return kind_of(parent).detail_link(parent)
        return reverse(self.list_url)

    def form_kwargs(self, request, *, instance=None, parent=None) -> dict:
        kwargs = {"user": request.user} if self.form_takes_user else {}
        if self.form_extra:
            kwargs.update(self.form_extra(request, instance=instance, parent=parent))
        return kwargs


REGISTRY: dict[str, RecordType] = {}


def register(kind: RecordType) -> RecordType:
    if kind.key in REGISTRY and REGISTRY[kind.key] is not kind:
        raise ValueError(f"record type {kind.key} registered twice")
    REGISTRY[kind.key] = kind
    return kind


def kind_of(obj_or_model) -> RecordType:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for kind in REGISTRY.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not a registered record type")


def kinds_of_area(area: str) -> list[RecordType]:
    return [kind for kind in REGISTRY.values() if kind.area == area]


# Pages -----------------------------------------------------------------------------------------------


def _form_page(request, kind: RecordType, form, *, title: str, cancel: str):
    context = {"form": form, "title": title, "cancel": cancel, "kind": kind}
    if kind.form_context:
        context.update(kind.form_context(request, form))
    return render(request, kind.form_template, context)


def require_create(user, model, parent=None) -> None:
    """403 unless the user may create records of the model (under parent, if given)."""
    if parent is not None:
        require_write(user, parent)
    require_some_write(user)
    if write_rule(model) == "admin":
        require_admin(user)


def record_create(request, *, kind: RecordType, pk: int | None = None):
    """The create page of a kind: the form's values go to its create service."""
    parent = None
    if kind.parent:
        parent_model = kind.model._meta.get_field(kind.parent).related_model
        parent = get_visible_or_404(parent_model, request.user, pk=pk)
    require_create(request.user, kind.model, parent)
    initial = kind.initial(request) if kind.initial else {}
    form = kind.form(request.POST or None, initial=initial, **kind.form_kwargs(request, parent=parent))
    if request.method == "POST" and form.is_valid():
        extra = {kind.parent: parent} if parent is not None else {}
        if kind.create_extra:
            extra.update(kind.create_extra(request))
        try:
            obj = kind.create(actor=request.user, **extra, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc, kind.error_fields)
        else:
            messages.success(request, (kind.created_message or f"已新增{kind.label}。").format(obj=obj))
            if kind.add_another and "add_another" in request.POST:
                return redirect(request.path)
            return redirect(kind.after_create(obj) if kind.after_create else kind.detail_link(obj))
    cancel = kind_of(parent).detail_link(parent) if parent is not None else reverse(kind.list_url)
    title = kind.create_title or f"新增{kind.label}"
    if parent is not None:
        title = f"{title}：{parent}"
    return _form_page(request, kind, form, title=title, cancel=cancel)


def record_edit(request, *, kind: RecordType, pk: int):
    """The edit page: validating a ModelForm puts the new values on the instance, so it is reloaded and
    the service applies them to (and checks the scope of) the stored record."""
    obj = get_visible_or_404(kind.model, request.user, pk=pk)
    require_write(request.user, obj)
    form = kind.form(request.POST or None, instance=obj, **kind.form_kwargs(request, instance=obj))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)  # a form's clean() may put the fields it parses into model fields
        obj.refresh_from_db()
        try:
            kind.update(actor=request.user, obj=obj, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc, kind.error_fields)
        else:
            messages.success(request, "已保存。")
            return redirect(kind.after_edit(obj) if kind.after_edit else kind.detail_link(obj))
    title = kind.edit_title(obj) if kind.edit_title else f"修改{kind.label}：{obj}"
    return _form_page(request, kind, form, title=title, cancel=kind.detail_link(obj))


def record_delete(request, *, kind: RecordType, pk: int):
    """GET: the confirmation page; POST: delete through the service, or say why not."""
    obj = get_visible_or_404(kind.model, request.user, pk=pk)
    require_write(request.user, obj)
    back = kind.detail_link(obj)
    if request.method == "POST":
        try:
            kind.delete(actor=request.user, obj=obj)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(back)
        deleted = kind.deleted_message or "已删除" + kind.label + "“{obj}”。乡党委管理员可在回收站中恢复。"
        messages.success(request, deleted.format(obj=obj))
        return redirect(kind.after_delete(obj) if kind.after_delete else kind.list_link(obj))
    context = {"obj": obj, "what": kind.label, "back": back, "note": kind.delete_note}
    return render(request, "core/record_confirm_delete.html", context)


def record_detail(request, *, kind: RecordType, pk: int):
    """A record's page: the record, whether the user may change it, its history, and what the kind adds."""
    queryset = kind.model.objects.select_related(*kind.detail_related).prefetch_related(*kind.detail_prefetch)
    obj = get_visible_or_404(queryset, request.user, pk=pk)
    context = {
        kind.name: obj,
        "obj": obj,
        "can_write": may_write(request.user, obj),
        "history": history_of(obj),
    }
    if kind.detail_context:
        context.update(kind.detail_context(request, obj))
    return render(request, kind.detail_template, context)


TRASH_LIMIT = 100


def trash(request, area: str = ""):
    """The deleted records a township admin may restore: every registered kind, or one area's."""
    require_admin(request.user)
    kinds = kinds_of_area(area) if area else list(REGISTRY.values())
    if area and not kinds:
        raise Http404
    sections = []
    for kind in kinds:
        deleted = kind.model.all_objects.deleted().visible_to(request.user).order_by("-deleted_at", "-pk")
        if kind.trash_filter:
            deleted = kind.trash_filter(deleted)
        sections.append((kind, list(deleted[:TRASH_LIMIT])))
    context = {
        "sections": [(kind, rows) for kind, rows in sections if rows],
        "empty": [kind.label for kind, rows in sections if not rows],  # one line, not a card each
        "area": area,
    }
    return render(request, "core/trash.html", context)


@require_POST
def restore(request, kind: str, pk: int, area: str = ""):
    """Bring a deleted record back (township admin); its history is kept."""
    require_admin(request.user)
    record_type = REGISTRY.get(f"{area}.{kind}" if area else kind)
    if record_type is None:
        raise Http404
    obj = get_visible_or_404(record_type.model.all_objects.deleted(), request.user, pk=pk)
    back = reverse(f"{record_type.area}:trash") if area else reverse("trash")
    try:
        record_type.bring_back(actor=request.user, obj=obj)
    except ValidationError as exc:
        refused = record_type.restore_refused_message or f"无法恢复{record_type.label}“{{obj}}”："
        messages.error(request, refused.format(obj=obj) + "；".join(exc.messages))
        return redirect(back)
    restored = record_type.restored_message or f"已恢复{record_type.label}“{{obj}}”。"
    messages.success(request, restored.format(obj=obj))
    return redirect(record_type.after_restore(obj) if record_type.after_restore else back)


def record_urls(
    kind: RecordType,
    prefix: str,
    name: str,
    *,
    pages=("create", "detail", "edit", "delete"),
    parent_prefix: str = "",
):
    """The URL patterns of a kind's generic pages, named <name>_create, _detail, _edit, _delete (an area
    that needs its own page for one of them leaves it out of `pages`).

    A kind with a parent is created under it: `<parent_prefix><pk>/<prefix>new/`."""
    create_path = f"{parent_prefix}<int:pk>/{prefix}new/" if kind.parent else f"{prefix}new/"
    routes = {
        "create": (create_path, record_create),
        "detail": (f"{prefix}<int:pk>/", record_detail),
        "edit": (f"{prefix}<int:pk>/edit/", record_edit),
        "delete": (f"{prefix}<int:pk>/delete/", record_delete),
    }
    return [path(routes[page][0], routes[page][1], {"kind": kind}, name=f"{name}_{page}") for page in pages]


def trash_urls(area: str):
    """An area's trash page and restore action (the generic ones, limited to the area's kinds)."""
    return [
        path("trash/", trash, {"area": area}, name="trash"),
        path("trash/<slug:kind>/<int:pk>/restore/", restore, {"area": area}, name="restore"),
    ]
