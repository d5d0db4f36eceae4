"""What the pages of rectification share: the form page of a step on a record (its progress, a sign-off, an
acceptance), written through a service and back to the record."""

from __future__ import annotations

from taizhang.core.views import service_form

from .forms_base import ProgressForm


def step_page(request, form, call, *, record, success=None, subtitle: str = ""):
    """The page of a step on `record` whose form (forms_base.Step) says what the page says: on a valid POST
    `call(cleaned_data)`, flash the form's `done` message and go to `success(result)` (default: the
    result's page)."""
    context = {
        "title": form.title,
        "subtitle": subtitle,
        "intro": form.intro,
        "submit": form.submit,
        "multipart": form.is_multipart(),
        "back": record.get_absolute_url(),
    }
    return service_form(
        request, form, call, template="rectify/form.html", message=form.done, success=success, context=context
    )


def progress_page(request, record, add, *, work: str, subtitle: str):
    """The page that records a dated progress entry with photos of `work` (整改 on a measure, 整顿 on a
    remedy) through `add(actor=, **cleaned_data)`, and goes back to the record."""
    form = ProgressForm(request.POST or None, request.FILES or None, work=work)
    return step_page(
        request,
        form,
        lambda data: add(actor=request.user, **data),
        record=record,
        success=lambda entry: record.get_absolute_url(),
        subtitle=subtitle,
    )
