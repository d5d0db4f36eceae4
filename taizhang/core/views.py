"""Small generic pieces the area views are built from, and the pages that belong to no area."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .history import history_of


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field where it names fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def run_service(request, form, call, *, success_message: str = ""):
    """Call a service with the form's cleaned data; on a ValidationError, put it on the form and return
    None; on success, flash the message and return the service's result."""
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    if success_message:
        messages.success(request, success_message)
    return result


def paginate(request, queryset, per_page: int | None = None):
    from django.conf import settings

    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def render_list(request, template: str, partial: str, context: dict):
    """A list page; an htmx request for the results gets only the results."""
    if getattr(request, "htmx", False) and request.htmx.target == "results":
        return render(request, partial, context)
    return render(request, template, context)


def history_context(obj) -> dict:
    return {"history": history_of(obj)}


def home(request):
    from taizhang.orgs.selectors import registry_summary

    return render(request, "core/home.html", {"summary": registry_summary(request.user)})


def part_page(request, slug: str):
    """A part of the campaign whose area is not open yet."""
    from taizhang.campaigns.models import Part

    part = Part.objects.filter(campaign__is_current=True, slug=slug).select_related("campaign").first()
    if part is None:
        from django.http import Http404

        raise Http404("没有这个工作板块。")
    return render(request, "core/part.html", {"part": part})


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


healthz.public = True


def redirect_back(request, fallback: str):
    return redirect(request.POST.get("next") or request.GET.get("next") or fallback)


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权进行此操作。"
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)
