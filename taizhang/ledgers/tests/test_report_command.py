"""`taizhang report summary|stats|check` (the archive is tested in test_archive.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from taizhang.reports.tests.conftest import docx_text, make_template, members_campaign  # noqa: F401


def test_summary(cast, tmp_path):
    out = StringIO()
    target = tmp_path / "总结.docx"
    call_command("report", "summary", "--org", "甲乡党委", "-o", str(target), stdout=out)
    assert docx_text(target.read_bytes())[0] == "2023年甲乡第二批主题教育工作开展情况的工作总结"
    assert "默认模板" in out.getvalue()


def test_summary_with_a_template_file(cast, tmp_path, members_campaign):  # noqa: F811
    template = tmp_path / "模板.docx"
    template.write_bytes(make_template("退休党员{{ members.retired }}名。"))
    target = tmp_path / "总结.docx"
    call_command(
        "report",
        "summary",
        "--org",
        "甲乡党委",
        "--campaign",
        "test-members",
        "--template",
        str(template),
        "-o",
        str(target),
        stdout=StringIO(),
    )
    assert "退休党员1名。" in docx_text(target.read_bytes())


def test_stats_in_excel_and_word(cast, tmp_path):
    call_command("report", "stats", "--org", "XX县委", "-o", str(tmp_path / "表.xlsx"), stdout=StringIO())
    sheet = load_workbook(tmp_path / "表.xlsx").active
    assert sheet.cell(row=4, column=2).value == "甲乡党委"
    call_command("report", "stats", "--org", "甲乡党委", "-o", str(tmp_path / "表.docx"), stdout=StringIO())
    assert (tmp_path / "表.docx").stat().st_size > 0


def test_check(cast, tmp_path):
    draft = tmp_path / "手写.txt"
    draft.write_text("共有党支部2个，基层党组织5个。", encoding="utf-8")
    out = StringIO()
    call_command("report", "check", "--org", "甲乡党委", str(draft), stdout=out)
    assert "[一致] 2个" in out.getvalue() and "记录为 2个" in out.getvalue()
    assert "一致1处，不一致1处，未识别0处。" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summary", "--org", "丙乡党委", "-o", "x.docx"], "没有名为“丙乡党委”的组织"),
        (["summary", "--org", "甲乡党委", "-o", "x.pdf"], "扩展名应为 .docx"),
        (["stats", "--org", "甲乡党委", "--as-of", "2023/13/01", "-o", "x.xlsx"], "2023-12-20"),
        (["summary", "--org", "甲乡党委", "--campaign", "nope", "-o", "x.docx"], "没有代码为“nope”"),
        (["summary", "--org", "甲乡党委", "--template", "/nonexistent.docx", "-o", "x.docx"], "不存在"),
        (["check", "--org", "甲乡党委", "/nonexistent.txt"], "不存在"),
    ],
)
def test_errors_are_chinese(cast, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, stdout=StringIO())


def test_a_template_with_an_unknown_tag_is_refused(cast, tmp_path):
    template = tmp_path / "模板.docx"
    template.write_bytes(make_template("{{ study.seminar }}次"))
    with pytest.raises(CommandError, match="study.seminar"):
        call_command(
            "report",
            "summary",
            "--org",
            "甲乡党委",
            "--template",
            str(template),
            "-o",
            str(tmp_path / "x.docx"),
        )
