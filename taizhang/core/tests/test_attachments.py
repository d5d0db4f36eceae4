import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from taizhang.core.attachments import attach
from taizhang.core.models import Attachment, attachments_of
from taizhang.orgs.models import Member


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_MB = 1
    # Members take no attachments in the product; here they stand in for any scoped record that does.
    monkeypatch.setattr(Member, "accepts_attachments", True, raising=False)
    return tmp_path


def png(name="现场照片.png", size=(800, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def docx(name="会议记录.docx"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, out.getvalue())


def test_a_photo_is_stored_under_a_generated_name_with_a_thumbnail(cast, media):
    attachment = attach(actor=cast.sec_a1, owner=cast.zhang, upload=png(), purpose="照片")
    assert attachment.original_name == "现场照片.png"
    assert "现场照片" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert (media / attachment.file.name).exists()
    with Image.open(media / attachment.thumbnail.name) as thumb:
        assert max(thumb.size) <= 320
    assert attachment.history.first().history_user == cast.sec_a1


def test_a_docx_is_accepted(cast):
    assert attach(actor=cast.sec_a1, owner=cast.zhang, upload=docx()).kind == "docx"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("照片.png", b"just some text, not a picture"), "不是照片"),
        (SimpleUploadedFile("照片.jpg", b"%PDF-1.7 a pdf in disguise"), "名称与内容不符"),
        (SimpleUploadedFile("压缩包.docx", b"PK\x03\x04" + b"\x00" * 40), "不是照片"),
        (SimpleUploadedFile("空.pdf", b""), "是空的"),
        (SimpleUploadedFile("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), "已损坏"),
    ],
)
def test_a_file_is_judged_by_its_content(cast, upload, message):
    with pytest.raises(ValidationError, match=message):
        attach(actor=cast.sec_a1, owner=cast.zhang, upload=upload)
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(cast):
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="超过了1 MB"):
        attach(actor=cast.sec_a1, owner=cast.zhang, upload=big)


def test_files_are_served_with_their_name_only_within_scope(cast, client_as):
    attachment = attach(actor=cast.sec_a1, owner=cast.zhang, upload=docx())
    response = client_as(cast.admin_a).get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "%E4%BC%9A" in response["Content-Disposition"]
    assert client_as(cast.sec_b1).get(f"/attachments/{attachment.pk}/").status_code == 404
    assert client_as(cast.sec_a2).get(f"/attachments/{attachment.pk}/").status_code == 404
    assert client_as(cast.county_viewer).get(f"/attachments/{attachment.pk}/").status_code == 200


def test_thumbnails_are_served_like_their_files(cast, client_as):
    attachment = attach(actor=cast.sec_a1, owner=cast.zhang, upload=png())
    response = client_as(cast.sec_a1).get(f"/attachments/{attachment.pk}/thumbnail/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_as(cast.sec_b1).get(f"/attachments/{attachment.pk}/thumbnail/").status_code == 404


def test_upload_view_attaches_and_reports_errors_in_chinese(cast, client_as):
    client = client_as(cast.sec_a1)
    url = f"/attachments/upload/orgs/member/{cast.zhang.pk}/"
    response = client.post(
        url, {"files": [png(), SimpleUploadedFile("假.png", b"text")]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "不是照片" in body and "现场照片.png" in body
    assert attachments_of(cast.zhang).count() == 1


def test_upload_and_delete_need_write_scope(cast, client_as):
    url = f"/attachments/upload/orgs/member/{cast.zhang.pk}/"
    assert client_as(cast.sec_b1).post(url, {"files": [png()]}).status_code == 404
    assert client_as(cast.county_viewer).post(url, {"files": [png()]}).status_code == 403
    attachment = attach(actor=cast.sec_a1, owner=cast.zhang, upload=png())
    assert client_as(cast.county_viewer).post(f"/attachments/{attachment.pk}/delete/").status_code == 403
    assert client_as(cast.sec_b1).post(f"/attachments/{attachment.pk}/delete/").status_code == 404
    assert client_as(cast.sec_a1).post(f"/attachments/{attachment.pk}/delete/").status_code == 302
    assert not attachments_of(cast.zhang).exists()
    assert Attachment.all_objects.filter(pk=attachment.pk, deleted_at__isnull=False).exists()


def test_models_that_take_no_attachments_are_refused(cast, client_as, monkeypatch):
    monkeypatch.setattr(Member, "accepts_attachments", False)
    url = f"/attachments/upload/orgs/member/{cast.zhang.pk}/"
    assert client_as(cast.sec_a1).post(url, {"files": [png()]}).status_code == 404
