import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from taizhang.campaigns.models import Campaign
from taizhang.reports.models import SummaryTemplate
from taizhang.reports.selectors import default_template_path

from .conftest import docx_text, make_template

CAMPAIGN = "2023-second-batch"


def upload(client, org, content: bytes, name="本乡模板.docx"):
    return client.post(
        f"/reports/template/{org.pk}/upload/",
        {"file": SimpleUploadedFile(name, content), "campaign": CAMPAIGN},
    )


def test_the_reports_page_offers_the_downloads(cast, client_as):
    body = client_as(cast.admin_a).get("/reports/").content.decode()
    assert "甲乡党委 · 报告" in body
    for url in ("/reports/summary.docx?", "/reports/stats.xlsx?", "/reports/stats.docx?", "/reports/check/?"):
        assert url in body
    assert "随系统提供的默认模板" in body


def test_the_home_page_has_the_reports_panel(cast, client_as):
    body = client_as(cast.sec_a1).get("/").content.decode()
    assert "下载工作总结" in body and "/reports/summary.docx" in body


def test_the_summary_download(cast, client_as):
    response = client_as(cast.admin_a).get("/reports/summary.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    text = docx_text(b"".join(response.streaming_content))
    assert text[0] == "2023年甲乡第二批主题教育工作开展情况的工作总结"


def test_the_statistics_downloads(cast, client_as):
    client = client_as(cast.county_viewer)
    response = client.get(f"/reports/stats.xlsx?org={cast.county.pk}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [sheet.cell(row=r, column=2).value for r in (4, 5, 6)] == ["甲乡党委", "乙乡党委", "合计"]
    response = client.get(f"/reports/stats.docx?org={cast.township_b.pk}")
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")


def test_another_townships_reports_are_out_of_reach(cast, client_as):
    for path in (
        "/reports/",
        "/reports/summary.docx",
        "/reports/stats.xlsx",
        "/reports/stats.docx",
        "/reports/check/",
    ):
        assert client_as(cast.admin_b).get(f"{path}?org={cast.township_a.pk}").status_code == 404
        assert client_as(cast.sec_a1).get(f"{path}?org={cast.township_a.pk}").status_code == 404
    assert (
        client_as(cast.county_viewer).get(f"/reports/summary.docx?org={cast.township_a.pk}").status_code
        == 200
    )


def test_a_township_uploads_its_own_template_and_its_summary_uses_it(cast, client_as, media):
    client = client_as(cast.admin_a)
    own = make_template("甲乡自己的写法：共有党支部{{ org.branches }}个。")
    response = upload(client, cast.township_a, own)
    assert response.status_code == 302
    template = SummaryTemplate.objects.get(organisation=cast.township_a)
    assert template.uploaded_by == cast.admin_a and template.original_name == "本乡模板.docx"
    assert template.history.first().history_change_reason == "上传总结模板"
    text = docx_text(b"".join(client.get("/reports/summary.docx").streaming_content))
    assert "甲乡自己的写法：共有党支部2个。" in text
    # A branch of township A gets the township's template too; township B keeps the default.
    text = docx_text(b"".join(client_as(cast.sec_a1).get("/reports/summary.docx").streaming_content))
    assert "甲乡自己的写法：共有党支部1个。" in text
    text = docx_text(b"".join(client_as(cast.admin_b).get("/reports/summary.docx").streaming_content))
    assert not any("自己的写法" in line for line in text)
    body = client_as(cast.admin_a).get("/reports/template/").content.decode()
    assert "本乡上传的“本乡模板.docx”" in body and "使用中" in body


def test_a_template_with_an_unknown_tag_is_refused_with_the_tag_named(cast, client_as, media):
    response = upload(client_as(cast.admin_a), cast.township_a, make_template("共{{ study.seminar }}次。"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "study.seminar" in body and "study.seminars" in body
    assert not SummaryTemplate.objects.exists()


def test_a_file_that_is_no_word_document_is_refused(cast, client_as, media):
    response = upload(client_as(cast.admin_a), cast.township_a, b"%PDF-1.4 a pdf", name="模板.docx")
    assert response.status_code == 200 and "名称与内容不符" in response.content.decode()


def test_restoring_the_default_template(cast, client_as, media):
    client = client_as(cast.admin_a)
    upload(client, cast.township_a, make_template("自己的模板。"))
    response = client.post(f"/reports/template/{cast.township_a.pk}/reset/", {"campaign": CAMPAIGN})
    assert response.status_code == 302
    assert not SummaryTemplate.objects.exists() and SummaryTemplate.all_objects.count() == 1
    text = docx_text(b"".join(client.get("/reports/summary.docx").streaming_content))
    assert "自己的模板。" not in text


def test_only_the_townships_admin_uploads(cast, client_as, media):
    content = make_template("模板。")
    assert upload(client_as(cast.county_viewer), cast.township_a, content).status_code == 403
    assert upload(client_as(cast.admin_b), cast.township_a, content).status_code == 404
    assert upload(client_as(cast.sec_a1), cast.township_a, content).status_code == 404
    assert upload(client_as(cast.admin_a), cast.branch_a1, content).status_code == 404  # not a township
    body = client_as(cast.county_viewer).get(f"/reports/template/?org={cast.township_a.pk}").content.decode()
    assert "甲乡党委 · 工作总结模板" in body and "上传本乡的模板" not in body


def test_the_template_page_lists_the_tags(cast, client_as):
    body = client_as(cast.admin_a).get("/reports/template/").content.decode()
    assert "study.seminars" in body and "基层党组织专题研讨" in body and "尚未统计" in body
    assert "examples.research_topics" in body


def test_the_default_template_download(cast, client_as):
    response = client_as(cast.sec_b1).get(f"/reports/template/default.docx?campaign={CAMPAIGN}")
    assert (
        b"".join(response.streaming_content)
        == default_template_path(Campaign.objects.get(code=CAMPAIGN)).read_bytes()
    )


def test_the_figure_check_page(cast, client_as):
    client = client_as(cast.admin_a)
    assert client.get("/reports/check/").status_code == 200
    text = "全乡共有2个党支部，基层党组织3个，开展义诊10场，走访群众30户。"
    body = client.post(f"/reports/check/?org={cast.township_a.pk}", {"text": text}).content.decode()
    assert "一致 1" in body and "不一致 1" in body and "未识别 2" in body
    assert (
        f"/indicators/org.grassroots/?org={cast.township_a.pk}" in body
    )  # the different one opens to its records
    assert "<mark>3个</mark>" in body and "<b>2个</b>" in body


def test_the_figure_check_reads_an_uploaded_file(cast, client_as):
    client = client_as(cast.admin_a)
    upload_ = SimpleUploadedFile("总结.txt", "共有党支部2个。".encode("gb18030"))
    body = client.post("/reports/check/", {"file": upload_}).content.decode()
    assert "一致 1" in body
    body = client.post("/reports/check/", {}).content.decode()
    assert "请上传总结文件" in body
