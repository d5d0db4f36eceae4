"""Writes of the reports area: a township's own summary template, uploaded and withdrawn."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from taizhang.core.attachments import check_upload
from taizhang.core.history import stamp
from taizhang.core.scoping import require_admin, require_write
from taizhang.orgs.choices import OrgKind

from .docx_template import check_template, render_summary
from .models import SummaryTemplate
from .summary import build_summary


@transaction.atomic
def summary_template_upload(*, actor, organisation, campaign, upload) -> SummaryTemplate:
    """Store a township's own summary template after checking it: a Word file whose every tag names a declared
    indicator or an allowed name, and that renders with the township's data."""
    require_admin(actor, organisation.pk)
    if organisation.kind != OrgKind.COMMITTEE:
        raise ValidationError("工作总结模板只能由乡党委上传。")
    kind = check_upload(upload)
    if kind != "docx":
        raise ValidationError(f"文件“{upload.name}”不是 Word（.docx）文件，模板须为 .docx。")
    upload.seek(0)
    content = upload.read()
    check_template(content, campaign)
    render_summary(build_summary(campaign, organisation), content)  # a tag that fails at rendering fails here
    template = SummaryTemplate(
        organisation=organisation,
        campaign=campaign,
        original_name=upload.name.rsplit("/", 1)[-1][:200],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    upload.seek(0)
    template.file.save("template.docx", upload, save=False)
    stamp(template, actor, "上传总结模板")
    template.save()
    require_write(actor, template)
    return template


@transaction.atomic
def summary_template_withdraw(*, actor, organisation, campaign) -> int:
    """Withdraw the township's uploads (恢复默认模板): the shipped template is used again. Returns how many."""
    require_admin(actor, organisation.pk)
    withdrawn = 0
    for template in SummaryTemplate.objects.filter(organisation=organisation, campaign=campaign):
        template.deleted_at = timezone.now()
        stamp(template, actor, "恢复默认模板")
        template.save(update_fields=["deleted_at", "updated_at"])
        withdrawn += 1
    return withdrawn
