"""The campaign archive: six classes, each with its catalogue; minutes, photos, evidence, ledgers and reports
filed where the archives bureaus expect them; only the township's live records of the campaign."""

from __future__ import annotations

import datetime
import io
import zipfile
from io import StringIO
from pathlib import PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from taizhang.campaigns.models import Campaign
from taizhang.core.attachments import attach
from taizhang.core.models import attachments_of
from taizhang.indicators.tests.test_demo_figures import demo  # noqa: F401  (the demo township, loaded once)
from taizhang.ledgers.archive import CATALOGUE_HEADER, FOLDERS, safe_stem, write_archive
from taizhang.orgs.models import Member, Organisation
from taizhang.rectify import services as rectify
from taizhang.research.models import ResearchTopic, ResearchVisit
from taizhang.study import services as study

CLASS_FOLDERS = ["1部署动员类", "2理论学习类", "3调查研究类", "4整改整治推动发展类", "5总结评估类", "6其他类"]
STUDY, DEPLOY, RECTIFY, REPORTS = "2理论学习类", "1部署动员类", "4整改整治推动发展类", "5总结评估类"
MINUTES = "围绕“学思想”交流发言。\n张三：要学原文、读原著。\n李四：结合村里实际抓落实。"
TOPIC = "学习《习近平著作选读》第一卷"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(name="会场.png", colour=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def meeting(cast, *, actor=None, organiser=None, type="专题研讨", date=datetime.date(2023, 9, 15), **extra):
    return study.meeting_create(
        actor=actor or cast.sec_a1,
        organiser=organiser or cast.branch_a1,
        type=type,
        date=date,
        topic=extra.pop("topic", TOPIC),
        **extra,
    )


@pytest.fixture
def material(cast, campaign, media):
    """Township A: a seminar of branch A1 with minutes and a photo, the committee's mobilisation meeting, a
    measure closed with evidence, and a deleted meeting; township B: a meeting with minutes and a photo."""
    seminar = meeting(cast, minutes=MINUTES, uploads=[png()])
    meeting(
        cast,
        actor=cast.admin_a,
        organiser=cast.township_a,
        type="动员部署会",
        date=datetime.date(2023, 9, 4),
        topic="主题教育动员大会",
        minutes="对全乡主题教育进行动员部署。",
    )
    problem = rectify.problem_create(
        actor=cast.sec_a1,
        owner_kind="组织",
        owner_org=cast.branch_a1,
        content="理论学习不够系统深入",
        category="理论学习",
        source="查摆",
        standard="每月集中学习不少于一次",
        found_on=datetime.date(2023, 9, 15),
    )
    measure = rectify.measure_create(
        actor=cast.sec_a1,
        problem=problem,
        content="制定学习计划并按月落实",
        deadline=datetime.date(2023, 12, 31),
    )
    rectify.measure_sign_off(
        actor=cast.admin_a,
        measure=measure,
        completed_on=datetime.date(2023, 12, 20),
        completion_note="已按计划完成学习",
        evidence=[png("整改佐证.png", (30, 120, 200))],
    )
    gone = meeting(cast, topic="已删除的会议", minutes="不应归档", uploads=[png("删除的照片.png")])
    study.meeting_delete(actor=cast.sec_a1, meeting=gone)
    meeting(
        cast,
        actor=cast.sec_b1,
        organiser=cast.branch_b1,
        topic="乙乡的研讨",
        minutes="乙乡的记录",
        uploads=[png("乙乡照片.png")],
    )
    cast.seminar, cast.measure = seminar, measure
    return cast


def archive_of(tmp_path, campaign, org, name="档案.zip"):
    path = tmp_path / name
    summary = write_archive(path, campaign, org)
    return zipfile.ZipFile(path), summary


def files_in(zf, folder) -> list[str]:
    return [
        PurePosixPath(n).name
        for n in zf.namelist()
        if n.startswith(f"{folder}/") and not n.endswith("/") and not n.endswith("目录.xlsx")
    ]


def catalogue(zf, folder):
    book = load_workbook(io.BytesIO(zf.read(f"{folder}/目录.xlsx")))
    return book.active


def catalogue_rows(zf, folder) -> list[tuple]:
    return [r for r in catalogue(zf, folder).iter_rows(min_row=3, values_only=True)]


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


# -- the shape ----------------------------------------------------------------------------------------------


def test_the_archive_has_six_class_folders_each_with_its_catalogue(material, campaign, tmp_path):
    zf, summary = archive_of(tmp_path, campaign, material.township_a)
    assert list(FOLDERS.values()) == CLASS_FOLDERS
    names = zf.namelist()
    for folder in CLASS_FOLDERS:
        assert f"{folder}/" in names
        assert f"{folder}/目录.xlsx" in names
        ws = catalogue(zf, folder)
        assert folder in ws["A1"].value and ws["A1"].value.startswith("甲乡党委")
        assert [c.value for c in ws[2]] == list(CATALOGUE_HEADER)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.column_dimensions["E"].width >= 40  # 来源记录 is long Chinese text
        assert ws.max_row - 2 == summary.items[folder] == len(files_in(zf, folder))
    assert zf.testzip() is None
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist() if not i.is_dir())
    assert all(i.flag_bits & 0x800 for i in zf.infolist() if not i.filename.isascii())  # UTF-8 names
    assert summary.bytes == (tmp_path / "档案.zip").stat().st_size
    assert len(set(names)) == len(names)


def test_a_meeting_s_minutes_and_photo_are_filed_under_study_with_their_date_and_source(
    material, campaign, tmp_path
):
    zf, _ = archive_of(tmp_path, campaign, material.township_a)
    files = files_in(zf, STUDY)
    photo = next(n for n in files if n.endswith("_会场.png"))
    minutes = next(n for n in files if n.endswith("会议记录.docx"))
    assert photo.startswith("2023-09-15_") and minutes.startswith("2023-09-15_")
    original = attachments_of(material.seminar).get()
    with original.file.open("rb") as f:
        assert zf.read(f"{STUDY}/{photo}") == f.read()
    text = docx_text(zf.read(f"{STUDY}/{minutes}"))
    assert "甲一村党支部专题研讨会议记录" in text
    assert "2023年9月15日" in text and TOPIC in text and "李四：结合村里实际抓落实。" in text
    source = "会议活动：2023-09-15 甲一村党支部 专题研讨《学习〈习近平著作选读〉第一卷》"
    rows = {r[1]: r for r in catalogue_rows(zf, STUDY)}
    for name in (photo, minutes):
        number, _, title, day, row_source, org = rows[name]
        assert day == datetime.datetime(2023, 9, 15) and row_source == source and org == "甲一村党支部"
        assert name.startswith(f"2023-09-15_{number:03d}_")
    assert rows[photo][2] == "照片：会场.png"
    # The meeting's ledger is filed with it.
    assert any(n.endswith("_会议活动台账.xlsx") for n in files)


def test_the_mobilisation_meeting_is_filed_under_deployment(material, campaign, tmp_path):
    zf, _ = archive_of(tmp_path, campaign, material.township_a)
    (minutes,) = files_in(zf, DEPLOY)
    assert minutes.startswith("2023-09-04_001_甲乡党委动员部署会会议记录")
    assert "对全乡主题教育进行动员部署。" in docx_text(zf.read(f"{DEPLOY}/{minutes}"))
    assert not any("动员部署会" in n for n in files_in(zf, STUDY))


def test_a_closed_measure_s_evidence_is_filed_under_rectification(material, campaign, tmp_path):
    zf, _ = archive_of(tmp_path, campaign, material.township_a)
    files = files_in(zf, RECTIFY)
    evidence = next(n for n in files if n.endswith("_整改佐证.png"))
    assert evidence.startswith("2023-12-20_")
    row = next(r for r in catalogue_rows(zf, RECTIFY) if r[1] == evidence)
    assert row[2] == "佐证材料：整改佐证.png"
    assert row[4].startswith("整改措施：2023-12-20 甲一村党支部 第1号问题") and row[4].endswith("（已完成）")
    assert any(n.endswith("_问题清单.xlsx") for n in files)


def test_the_summary_and_the_statistics_table_are_filed_under_reports(material, campaign, tmp_path):
    zf, summary = archive_of(tmp_path, campaign, material.township_a)
    files = files_in(zf, REPORTS)
    assert summary.items[REPORTS] == 3
    summary_docx = next(n for n in files if n.endswith("工作总结.docx"))
    assert "甲乡" in docx_text(zf.read(f"{REPORTS}/{summary_docx}"))
    stats = [n for n in files if "进展情况统计表" in n]
    assert sorted(PurePosixPath(n).suffix for n in stats) == [".docx", ".xlsx"]
    book = load_workbook(io.BytesIO(zf.read(f"{REPORTS}/{next(n for n in stats if n.endswith('.xlsx'))}")))
    assert "甲一村党支部" in {c.value for row in book.active.iter_rows() for c in row}


def test_another_township_s_records_and_deleted_ones_are_left_out(material, campaign, tmp_path):
    zf, _ = archive_of(tmp_path, campaign, material.township_a)
    everything = " ".join(zf.namelist())
    texts = " ".join(str(v) for f in CLASS_FOLDERS for r in catalogue_rows(zf, f) for v in r)
    for other in ("乙乡", "乙一村党支部", "删除"):
        assert other not in everything and other not in texts
    ledger = next(n for n in files_in(zf, STUDY) if n.endswith("_会议活动台账.xlsx"))
    topics = {
        c.value
        for row in load_workbook(io.BytesIO(zf.read(f"{STUDY}/{ledger}"))).active.iter_rows()
        for c in row
    }
    assert TOPIC in topics and "乙乡的研讨" not in topics and "已删除的会议" not in topics
    # Township B's archive has its own meeting, and nothing of A's.
    zf_b, summary_b = archive_of(tmp_path, campaign, material.township_b, "乙乡.zip")
    assert any(n.endswith("_乙乡照片.png") for n in files_in(zf_b, STUDY))
    assert not any("会场" in n or "甲" in n for n in zf_b.namelist())
    assert summary_b.items[DEPLOY] == 0 and catalogue(zf_b, DEPLOY).max_row == 2


def test_records_of_another_campaign_are_left_out(material, campaign, tmp_path):
    other = Campaign.objects.create(
        code="2024-discipline",
        name="党纪学习教育",
        start_date=datetime.date(2024, 4, 1),
        end_date=datetime.date(2024, 7, 31),
    )
    meeting(
        material,
        date=datetime.date(2024, 5, 6),
        topic="学党纪",
        minutes="党纪学习",
        uploads=[png("党纪.png")],
    )
    zf, _ = archive_of(tmp_path, campaign, material.township_a)
    assert not any("党纪" in n for n in zf.namelist())
    zf_other, summary = archive_of(tmp_path, other, material.township_a, "党纪.zip")
    assert any(n.endswith("_党纪.png") for n in files_in(zf_other, STUDY))
    assert summary.items[RECTIFY] == 0


def test_a_research_visit_s_photo_is_filed_under_research(material, campaign, tmp_path):
    topic = ResearchTopic.objects.create(
        organisation=material.township_a, title="村集体经济", leader=material.wang
    )
    visit = ResearchVisit.objects.create(
        topic=topic,
        organisation=material.township_a,
        date=datetime.date(2023, 10, 9),
        leader=material.wang,
        place="甲一村",
        place_kind="村",
    )
    attach(actor=material.admin_a, owner=visit, upload=png("调研现场.png"), purpose="照片")
    zf, _ = archive_of(tmp_path, campaign, material.township_a)
    (photo,) = [n for n in files_in(zf, "3调查研究类") if n.endswith(".png")]
    assert photo.startswith("2023-10-09_001_调研现场")
    row = catalogue_rows(zf, "3调查研究类")[0]
    assert row[4] == "调研走访：2023-10-09 甲乡党委 甲一村（课题《村集体经济》）"


def test_files_of_any_other_record_go_to_other_within_the_subtree(material, campaign, tmp_path, monkeypatch):
    monkeypatch.setattr(Member, "accepts_attachments", True, raising=False)
    attach(actor=material.sec_a1, owner=material.zhang, upload=png("张三的证书.png"), purpose="证书")
    attach(actor=material.sec_b1, owner=material.zhao, upload=png("赵六的证书.png"), purpose="证书")
    zf, _ = archive_of(tmp_path, campaign, material.township_a)
    files = files_in(zf, "6其他类")
    assert any(n.endswith("_张三的证书.png") for n in files)
    assert not any("赵六" in n for n in zf.namelist())
    row = next(r for r in catalogue_rows(zf, "6其他类") if r[2] == "证书：张三的证书.png")
    assert row[5] == "甲一村党支部" and "张三" in row[4]


def test_a_file_missing_from_storage_is_listed_as_missing(material, campaign, tmp_path, media):
    original = attachments_of(material.seminar).get()
    (media / original.file.name).unlink()
    zf, summary = archive_of(tmp_path, campaign, material.township_a)
    assert not any(n.endswith("_会场.png") for n in zf.namelist())
    assert len(summary.missing) == 1 and summary.missing[0].endswith("_会场.png")
    row = next(r for r in catalogue_rows(zf, STUDY) if r[2] == "照片：会场.png")
    assert row[1].startswith("（文件缺失）")
    assert summary.items[STUDY] == len(files_in(zf, STUDY))


def test_the_archive_can_be_written_to_a_file_object(material, campaign):
    out = io.BytesIO()
    summary = write_archive(out, campaign, material.township_a)
    assert summary.bytes == len(out.getvalue()) > 0
    assert zipfile.ZipFile(out).testzip() is None


def test_file_names_are_safe():
    assert safe_stem('a/b\\c:d*e?f"g<h>i|j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_stem("  ..照片\n第一张..  ") == "照片 第一张"
    assert safe_stem("...") == "材料"
    assert len(safe_stem("长" * 200)) == 60


# -- the command --------------------------------------------------------------------------------------------


def test_the_report_command_writes_the_archive(material, campaign, tmp_path):
    out = StringIO()
    path = tmp_path / "甲乡档案.zip"
    call_command(
        "report", "archive", "--org", "甲乡党委", "--campaign", campaign.code, "-o", str(path), stdout=out
    )
    text = out.getvalue()
    assert path.exists() and zipfile.ZipFile(path).testzip() is None
    assert "2理论学习类：" in text and "4整改整治推动发展类：" in text and "已生成" in text
    assert not (tmp_path / "甲乡档案.zip.part").exists()


# -- the demo township (last: its module-wide data is flushed when the module ends) -------------------------


@pytest.mark.django_db
def test_the_demo_township_s_archive_fills_every_class(demo, tmp_path):  # noqa: F811
    township = Organisation.objects.get(name="XX乡党委")
    zf, summary = archive_of(tmp_path, Campaign.current(), township)
    assert all(summary.items[f] > 0 for f in CLASS_FOLDERS[:5]), summary.items
    assert not summary.missing
    assert zf.testzip() is None
    assert any(n.endswith("会议记录.docx") for n in files_in(zf, DEPLOY))
    assert any(n.endswith("整改佐证照片.jpg") for n in files_in(zf, RECTIFY))
