"""Small generic pieces the area views are built from, health check, error pages and attachments.

The home and part pages gather every area, so they live at the project level (taizhang.views)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .busy import busy_underneath
from .errors import busy
from .history import history_of
from .scoping import get_visible_or_404


def private_download(content, filename: str, content_type: str) -> FileResponse:
    """A file the user asked for (bytes, or a file object the response closes when sent), not to be kept by
    browsers or proxies: reports, ledgers and archives hold names and mobiles."""
    body = io.BytesIO(content) if isinstance(content, bytes) else content
    response = FileResponse(body, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def apply_validation_error(form, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError onto the form, field by field where it names fields (`fields` maps
    a model field the service names to the form field that shows it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (fields or {}).get(field, field)
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


def service_form(
    request, form, call, *, template: str, message: str = "", success=None, instance=None, context=None
):
    """The page of a form that writes through a service.

    On a valid POST, call `call(cleaned_data)`; on success flash `message` and redirect to `success(result)`
    (default: the result's get_absolute_url()); on a ValidationError show it on the form. For an edit form
    pass `instance`: validating a ModelForm puts the new values on it, so it is reloaded first and the
    service applies them to (and checks the scope of) the stored record.
    """
    if request.method == "POST" and form.is_valid():
        if instance is not None:
            instance.refresh_from_db()
        result = run_service(request, form, call, success_message=message)
        if result is not None:
            return redirect(success(result) if success else result.get_absolute_url())
    return render(request, template, {"form": form, **(context or {})})


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


@require_GET
def healthz(request):
    """For monitoring: the database answers (else 503), and whether a job worker was heard of recently
    (`"worker": "ok"` or `"missing"`, with the seconds since its last heartbeat; the page stays 200 without
    one: the web server itself is healthy, only the jobs wait)."""
    from . import workers

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        seen = workers.last_seen()
    except DatabaseError:
        return JsonResponse({"database": "error", "worker": "unknown"}, status=503)
    body = {"database": "ok", "worker": "ok" if workers.recent(seen) else "missing"}
    if seen is not None:
        body["worker_seen_seconds_ago"] = round((timezone.now() - seen).total_seconds())
    return JsonResponse(body)


healthz.public = True


def bad_request(request, exception=None):
    """A request the page cannot answer (an unknown campaign, a malformed date): the reason in Chinese. A
    session that could not be saved because the database was busy is the 503 page, as any busy save."""
    if busy_underneath(exception):
        return busy(request)
    message = str(exception) if exception and str(exception) else "请求的内容无效，请返回上一页重试。"
    return render(request, "400.html", {"message": message}, status=400)


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权进行此操作。"
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)


# Attachments -----------------------------------------------------------------------------------------


def _attachment_owner_or_404(request, attachment):
    from django.http import Http404

    model = attachment.content_type.model_class()
    if model is None or not hasattr(model, "scope_path"):
        raise Http404
    return get_visible_or_404(model, request.user, pk=attachment.object_id)


def attachment_file(request, pk, thumbnail=False):
    """Serve an attachment (or its thumbnail) under its original name, to users who may see its record."""
    from django.http import FileResponse, Http404

    from .attachments import KINDS
    from .models import Attachment

    try:
        attachment = Attachment.objects.select_related("content_type").get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    _attachment_owner_or_404(request, attachment)
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"),
        as_attachment=not attachment.is_image and attachment.kind != "pdf",
        filename=attachment.original_name if not thumbnail else f"缩略图-{attachment.original_name}.jpg",
        content_type="image/jpeg" if thumbnail else KINDS[attachment.kind][2],
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "sandbox"
    return response


def attachment_thumbnail(request, pk):
    return attachment_file(request, pk, thumbnail=True)


@require_POST
def attachment_upload(request, app_label, model_name, object_id):
    """Attach one or more files to a record; answers htmx with the refreshed attachment list."""
    from django.apps import apps
    from django.http import Http404

    from .attachments import attach
    from .models import attachments_of

    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not getattr(model, "accepts_attachments", False):
        raise Http404
    owner = get_visible_or_404(model, request.user, pk=object_id)
    errors = []
    files = request.FILES.getlist("files")
    if not files:
        errors.append("请选择要上传的文件。")
    for upload in files:
        try:
            attach(
                actor=request.user, owner=owner, upload=upload, purpose=request.POST.get("purpose", "")[:20]
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    context = {"owner": owner, "attachments": attachments_of(owner), "errors": errors, "can_write": True}
    if getattr(request, "htmx", False):
        return render(request, "core/_attachments.html", context)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, "已上传。")
    return redirect(request.POST.get("back") if _safe(request, request.POST.get("back")) else "home")


@require_POST
def attachment_delete(request, pk):
    from .attachments import detach
    from .models import Attachment, attachments_of

    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        from django.http import Http404

        raise Http404
    owner = _attachment_owner_or_404(request, attachment)
    detach(actor=request.user, attachment=attachment)
    if getattr(request, "htmx", False):
        return render(
            request,
            "core/_attachments.html",
            {"owner": owner, "attachments": attachments_of(owner), "can_write": True},
        )
    messages.success(request, f"已删除附件“{attachment.original_name}”。")
    return redirect(request.POST.get("back") if _safe(request, request.POST.get("back")) else "home")


def _safe(request, url) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
