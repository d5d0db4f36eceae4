"""Files attached to records (photos, minutes, evidence): checked by content, limited in size, stored
outside the static root under generated names, and served only to users who may see the record."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from .history import stamp
from .scoping import require_write

KINDS = {
    # kind: (label, extensions accepted in the original name, content type served)
    "jpg": ("照片", {".jpg", ".jpeg"}, "image/jpeg"),
    "png": ("照片", {".png"}, "image/png"),
    "pdf": ("PDF文件", {".pdf"}, "application/pdf"),
    "docx": (
        "Word文件",
        {".docx"},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}
ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx,image/jpeg,image/png,application/pdf"
THUMBNAIL_SIZE = (320, 320)
MAX_IMAGE_PIXELS = 60_000_000  # a decompression bomb is refused, not expanded


def sniff(head: bytes, data: io.BufferedIOBase) -> str | None:
    """The kind of a file judged by its content, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            data.seek(0)
            with zipfile.ZipFile(data) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def check_upload(upload) -> str:
    """The upload's kind, or a ValidationError in Chinese that names the file and what is wrong."""
    name = upload.name
    if upload.size > max_upload_bytes():
        raise ValidationError(
            f"文件“{name}”有{upload.size / 1024 / 1024:.1f} MB，超过了{settings.MAX_UPLOAD_MB} MB的上限。"
        )
    if upload.size == 0:
        raise ValidationError(f"文件“{name}”是空的。")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    if kind is None:
        raise ValidationError(f"文件“{name}”不是照片（JPG、PNG）、PDF或Word（docx）文件，不能上传。")
    extension = PurePath(name).suffix.lower()
    if extension not in KINDS[kind][1]:
        raise ValidationError(
            f"文件“{name}”的名称与内容不符：内容是{KINDS[kind][0]}（{kind}），名称却是“{extension or '无扩展名'}”。"
        )
    if kind in ("jpg", "png"):
        _check_image(upload, name)
    return kind


def _check_image(upload, name: str) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a broken or hostile image
        raise ValidationError(f"照片“{name}”已损坏或无法识别。") from exc
    finally:
        upload.seek(0)


def make_thumbnail(upload) -> ContentFile | None:
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    upload.seek(0)
    return ContentFile(out.getvalue())


@transaction.atomic
def attach(*, actor, owner, upload, purpose: str = "") -> Attachment:  # noqa: F821
    """Attach an uploaded file to a record the actor may write."""
    from .models import Attachment

    require_write(actor, owner)
    kind = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = uuid.uuid4().hex
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(type(owner)),
        object_id=owner.pk,
        original_name=PurePath(upload.name).name[:200],
        kind=kind,
        purpose=purpose,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(f"{stored}.{kind}", upload, save=False)
    if kind in ("jpg", "png"):
        attachment.thumbnail.save(f"{stored}.thumb.jpg", make_thumbnail(upload), save=False)
    stamp(attachment, actor, "上传附件")
    attachment.save()
    return attachment


@transaction.atomic
def detach(*, actor, attachment) -> None:
    """Soft-delete an attachment (the file stays on disk so that it can be restored)."""
    require_write(actor, attachment.owner)
    attachment.mark_deleted()
    stamp(attachment, actor, "删除附件")
    attachment.save()
