"""taizhang backup and restore: a round trip keeps every record and file; restore refuses, before touching
anything, a file that is not a backup, another format version, a damaged member and a non-empty installation.

The tests run on the suite's engine. On SQLite the installation is a database file (a copy of the migrated
test database), since a backup reads it through a connection of its own while others write; on PostgreSQL
the test database itself, with committed data, and a database of its own to restore into."""

from __future__ import annotations

import datetime
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing, contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from PIL import Image

from taizhang.conftest import build_cast
from taizhang.core import backup as backup_module
from taizhang.core.backup import (
    DATABASE_MEMBER,
    ENGINE_NAMES,
    MANIFEST,
    BackupError,
    find_tool,
    records_present,
)
from taizhang.core.models import Attachment
from taizhang.core.restore import read_manifest
from taizhang.orgs.models import Member
from taizhang.study import services as study
from taizhang.study.models import Meeting

POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
# Committed data: a backup and the writers it runs beside use connections of their own.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def default_database(settings_dict: dict):
    """Point the default alias at another database, in this thread and in threads started meanwhile."""
    saved_settings, saved = connections.settings["default"], connections["default"]
    connections.settings["default"] = settings_dict
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = saved
        connections.settings["default"] = saved_settings


def new_installation(suite_database, path: Path) -> dict:
    """Settings of a new, empty installation (as migrate leaves it): on SQLite a file holding a copy of the
    test database; on PostgreSQL a new, empty database (pg_restore recreates the tables)."""
    if POSTGRES:
        name = f"{suite_database.settings_dict['NAME']}_{path.name}"
        with suite_database.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        return dict(suite_database.settings_dict, NAME=name)
    suite_database.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        suite_database.connection.backup(target)
    return dict(suite_database.settings_dict, NAME=str(path))


def drop(suite_database, settings_dict: dict) -> None:
    if POSTGRES:
        with suite_database.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


@pytest.fixture
def suite_database():
    """The connection to the suite's test database (taken before any fixture points elsewhere)."""
    return connections["default"]


@pytest.fixture
def source(suite_database, tmp_path, settings):
    """The installation backed up, as the default database, empty; its uploads under tmp_path/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if POSTGRES:
        yield
        return
    with default_database(new_installation(suite_database, tmp_path / "source.sqlite3")):
        yield


@pytest.fixture
def target(suite_database, tmp_path):
    """A second, empty installation to restore into: its settings (see default_database)."""
    installation = new_installation(suite_database, tmp_path / "target")
    yield installation
    drop(suite_database, installation)


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile("会场.png", out.getvalue(), content_type="image/png")


def backup(path: Path) -> Path:
    call_command("backup", "-o", str(path), stdout=StringIO())
    return path


def restore(path: Path, *args) -> str:
    out = StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def backed_up(source, tmp_path):
    """The cast and a meeting with a photo, backed up: (backup path, the photo's bytes)."""
    cast = build_cast()
    meeting = study.meeting_create(
        actor=cast.sec_a1,
        organiser=cast.branch_a1,
        type="专题研讨",
        date=datetime.date(2023, 10, 10),
        topic="学习研讨",
        uploads=[png()],
    )
    photo = Attachment.objects.get(object_id=meeting.pk)
    return backup(tmp_path / "backup.zip"), photo.file.read()


def test_a_round_trip_keeps_records_history_and_uploaded_files(backed_up, target, tmp_path, settings):
    path, photo_bytes = backed_up
    assert os.stat(path).st_mode & 0o777 == 0o600
    manifest = read_manifest(path)
    assert manifest["engine"] == ("postgresql" if POSTGRES else "sqlite")
    assert manifest["counts"]["orgs.Member"] == 4
    assert manifest["counts"]["study.Meeting"] == 1
    assert manifest["counts"]["accounts.User"] == 8
    assert manifest["counts"]["study.HistoricalMeeting"] >= 1
    media = [f for f in manifest["files"] if f["name"].startswith("media/")]
    assert len(media) == 2  # the photo and its thumbnail

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with default_database(target):
        assert records_present() == {}
        out = restore(path)
        assert "记录数与备份清单一致" in out
        assert Member.objects.count() == 4
        meeting = Meeting.objects.get()
        assert meeting.topic == "学习研讨" and meeting.history.count() == 1
        photo = Attachment.objects.get(object_id=meeting.pk)
        assert photo.file.read() == photo_bytes
        assert os.stat(photo.file.path).st_mode & 0o777 == 0o600


def test_a_backup_into_a_directory_is_named_by_date_and_keeps_the_newest(source, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for old in ("taizhang-backup-20260101-010000.zip", "taizhang-backup-20260102-010000.zip"):
        (folder / old).write_bytes(b"old")
    (folder / "notes.txt").write_text("kept")
    out = StringIO()
    call_command("backup", "-o", f"{folder}/", "--keep", "2", stdout=out)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept[0] == "notes.txt" and kept[1] == "taizhang-backup-20260102-010000.zip"
    assert len(kept) == 3 and kept[2].startswith("taizhang-backup-2")
    assert "已备份到" in out.getvalue()


def test_keep_needs_a_directory(source, tmp_path):
    with pytest.raises(CommandError, match="--keep 只能和目录一起使用"):
        call_command("backup", "-o", str(tmp_path / "one.zip"), "--keep", "3")


# -- refusals: nothing is touched -------------------------------------------------------------------------


def rewrite(path: Path, out: Path, *, manifest=None, member=None) -> Path:
    """A copy of the backup with its manifest changed by manifest(dict) or a member's bytes by member(name, bytes)."""
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(out, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            if name == MANIFEST and manifest:
                content = json.loads(data)
                manifest(content)
                data = json.dumps(content).encode()
            elif member:
                data = member(name, data)
            copy.writestr(name, data)
    return out


def refused(path: Path, target: dict, settings, tmp_path, message: str) -> None:
    settings.MEDIA_ROOT = tmp_path / "untouched-media"
    with default_database(target):
        with pytest.raises(CommandError, match=message):
            restore(path)
        assert records_present() == {}
    assert not settings.MEDIA_ROOT.exists()


def test_a_file_that_is_not_a_backup_is_refused(target, tmp_path, settings):
    text = tmp_path / "notes.zip"
    text.write_text("不是备份")
    refused(text, target, settings, tmp_path, "不是台账备份文件")
    workbook = tmp_path / "ledger.xlsx"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    refused(workbook, target, settings, tmp_path, "不是台账备份文件")
    imposter = tmp_path / "imposter.zip"
    with zipfile.ZipFile(imposter, "w") as archive:
        archive.writestr(MANIFEST, json.dumps({"format": "something-else", "format_version": 1}))
    refused(imposter, target, settings, tmp_path, "不是台账备份文件")


def test_a_backup_of_another_format_version_is_refused(backed_up, target, tmp_path, settings):
    later = rewrite(backed_up[0], tmp_path / "v2.zip", manifest=lambda m: m.update(format_version=2))
    refused(later, target, settings, tmp_path, "备份格式版本是 2")


def test_a_damaged_member_is_refused(backed_up, target, tmp_path, settings):
    def damage(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("media/") else data

    damaged = rewrite(backed_up[0], tmp_path / "damaged.zip", member=damage)
    refused(damaged, target, settings, tmp_path, r"备份文件已损坏：media/.*校验值")


def test_a_member_outside_the_media_folder_is_refused(backed_up, target, tmp_path, settings):
    def escape(manifest):
        manifest["files"][-1]["name"] = "media/../../escaped.png"

    crafted = rewrite(backed_up[0], tmp_path / "crafted.zip", manifest=escape)
    refused(crafted, target, settings, tmp_path, "备份清单不完整或有误")


def test_a_backup_of_the_other_engine_is_refused(backed_up, target, tmp_path, settings):
    other = "sqlite" if POSTGRES else "postgresql"

    def swap_engine(manifest):
        manifest["engine"] = other
        manifest["files"][0]["name"] = DATABASE_MEMBER[other]

    crafted = rewrite(backed_up[0], tmp_path / "other.zip", manifest=swap_engine)
    refused(crafted, target, settings, tmp_path, f"这是 {ENGINE_NAMES[other]} 数据库的备份")


def test_counts_that_differ_from_the_manifest_after_restoring_are_reported(
    backed_up, target, tmp_path, settings
):
    def one_more_member(manifest):
        manifest["counts"]["orgs.Member"] += 1

    wrong = rewrite(backed_up[0], tmp_path / "wrong-counts.zip", manifest=one_more_member)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with (
        default_database(target),
        pytest.raises(CommandError, match="恢复后的记录数与备份清单不符：党员：备份 5 条，恢复后 4 条"),
    ):
        restore(wrong)


def test_without_pg_dump_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup_module, "POSTGRESQL_LIB", tmp_path / "nothing-here")
    with pytest.raises(BackupError, match="找不到 pg_dump：请安装 PostgreSQL 客户端"):
        find_tool("pg_dump")
    bin_15, bin_16 = tmp_path / "lib" / "15" / "bin", tmp_path / "lib" / "16" / "bin"
    for folder in (bin_15, bin_16):
        folder.mkdir(parents=True)
        (folder / "pg_dump").touch()
    monkeypatch.setattr(backup_module, "POSTGRESQL_LIB", tmp_path / "lib")
    assert find_tool("pg_dump") == str(bin_16 / "pg_dump")


def test_an_installation_with_data_is_refused_without_force(backed_up, tmp_path, settings):
    path, _ = backed_up
    Meeting.objects.update(topic="备份之后改的")
    with pytest.raises(CommandError, match="当前安装已有数据（账号 8 条"):
        restore(path)
    assert Meeting.objects.get().topic == "备份之后改的"
    restore(path, "--force")
    assert Meeting.objects.get().topic == "学习研讨"


def test_the_command_exits_non_zero_with_a_chinese_message(tmp_path):
    text = tmp_path / "notes.zip"
    text.write_text("不是备份")
    env = dict(
        os.environ,
        TAIZHANG_VAR_DIR=str(tmp_path / "var"),
        TAIZHANG_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONPATH=str(Path(__file__).resolve().parents[3]),
    )
    result = subprocess.run(
        [sys.executable, "-m", "taizhang", "restore", str(text)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "notes.zip 不是台账备份文件" in result.stderr
    assert "Traceback" not in result.stderr
