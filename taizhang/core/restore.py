"""Restoring a backup (core.backup): into an empty installation, refusing before anything is touched a file
that is not a backup, a backup of another format version or engine, a damaged member, and an installation
that holds data (unless forced); then the counts are checked against the manifest."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections

from . import versions
from .backup import (
    CHUNK,
    DATABASE_MEMBER,
    ENGINE_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    BackupError,
    Result,
    _engine,
    _run,
    _version,
    current_counts,
    find_tool,
    records_present,
)


def read_manifest(path: Path) -> dict:
    """The manifest of a backup file, checked for format, version and well-formed member names."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到文件：{path}")
    if not zipfile.is_zipfile(path):
        raise BackupError(f"{path.name} 不是台账备份文件（不是 zip 文件）。")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise BackupError(f"{path.name} 不是台账备份文件（没有可读的备份清单 {MANIFEST}）。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} 不是台账备份文件（备份清单不是台账的格式）。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path.name} 的备份格式版本是 {manifest.get('format_version')}（台账 {manifest.get('taizhang_version')}），"
            f"本程序（台账 {_version()}）只能恢复格式版本 {FORMAT_VERSION} 的备份。"
        )
    try:
        files = manifest["files"]
        counts = manifest["counts"]
        names = [f["name"] for f in files]
        valid = (
            manifest["engine"] in DATABASE_MEMBER
            and isinstance(counts, dict)
            and all(isinstance(n, int) for n in counts.values())
            and DATABASE_MEMBER[manifest["engine"]] in names
            and all(
                isinstance(f["sha256"], str) and _safe_member(f["name"], manifest["engine"]) for f in files
            )
        )
    except (KeyError, TypeError):
        valid = False
    if not valid:
        raise BackupError(f"{path.name} 的备份清单不完整或有误，无法恢复。")
    return manifest


def _safe_member(name, engine: str) -> bool:
    if not isinstance(name, str):
        return False
    if name == DATABASE_MEMBER[engine]:
        return True
    parts = PurePosixPath(name).parts
    return len(parts) >= 2 and parts[0] == MEDIA and "\\" not in name and not {"..", ".", ""} & set(parts[1:])


def verify_members(path: Path, manifest: dict) -> None:
    """Every member listed in the manifest is present and has its recorded SHA-256."""
    with zipfile.ZipFile(path) as archive:
        present = set(archive.namelist())
        for entry in manifest["files"]:
            name = entry["name"]
            if name not in present:
                raise BackupError(f"备份文件已损坏：缺少 {name}。")
            digest = hashlib.sha256()
            try:
                with archive.open(name) as member:
                    while chunk := member.read(CHUNK):
                        digest.update(chunk)
            except (zipfile.BadZipFile, OSError, EOFError):
                raise BackupError(f"备份文件已损坏：{name} 无法读出。") from None
            if digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"备份文件已损坏：{name} 的校验值（SHA-256）与备份清单不符。")


def restore_backup(path: Path, *, using: str = "default", force: bool = False) -> Result:
    """Restore a backup into the installation of alias using, then check its counts against the manifest.
    Everything that can be checked is checked before the database or MEDIA_ROOT is touched."""
    path = Path(path)
    engine = _engine(using)
    manifest = read_manifest(path)
    if manifest["engine"] != engine:
        raise BackupError(
            f"这是 {ENGINE_NAMES[manifest['engine']]} 数据库的备份，当前安装使用 {ENGINE_NAMES[engine]}，不能直接恢复。"
        )
    verify_members(path, manifest)
    if not force:
        present = records_present(using)
        if present:
            shown = sorted(present, key=lambda label: ".Historical" in label)[
                :5
            ]  # records before their history
            listed = "、".join(f"{_label(label)} {present[label]} 条" for label in shown)
            raise BackupError(
                f"当前安装已有数据（{listed}等），恢复会覆盖它们。请先确认，再加 --force 恢复。"
            )
    settings_dict = connections[using].settings_dict
    if engine == "sqlite" and _in_memory(settings_dict["NAME"]):
        raise BackupError("当前数据库是内存数据库，无法恢复到其中。")
    member = DATABASE_MEMBER[engine]
    work_dir = Path(settings_dict["NAME"]).parent if engine == "sqlite" else None
    with tempfile.TemporaryDirectory(dir=work_dir, prefix=".taizhang-restore-") as work:
        dump = Path(work) / member
        with zipfile.ZipFile(path) as archive, archive.open(member) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        if engine == "sqlite":
            _check_sqlite(dump)
            _restore_sqlite(dump, using)
        else:
            pg_restore = find_tool("pg_restore")
            _run([pg_restore, "--list", str(dump)], settings_dict, "pg_restore")
            _run(
                [
                    pg_restore,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={settings_dict['NAME']}",
                    str(dump),
                ],
                settings_dict,
                "pg_restore",
            )
    _restore_media(path, manifest)
    try:
        _check_counts(manifest, using)
    finally:
        versions.renew(using)  # the data were replaced: no figure cached before may match them
    return Result(path, manifest)


def _label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except LookupError:
        return label


def _in_memory(name) -> bool:
    return str(name) in ("", ":memory:") or "mode=memory" in str(name)


def _check_sqlite(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            ok = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        ok = False
    if not ok:
        raise BackupError("备份中的数据库文件不是完好的 SQLite 数据库，无法恢复。")


def _restore_sqlite(dump: Path, using: str) -> None:
    """Copy the backed-up database into the configured one with the backup API (page by page, in one
    transaction of the target: its WAL and journal stay consistent)."""
    connection = connections[using]
    connection.close()
    options = connection.settings_dict.get("OPTIONS", {})
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"], timeout=options.get("timeout", 20))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    Path(connection.settings_dict["NAME"]).chmod(0o600)


def _restore_media(path: Path, manifest: dict) -> None:
    root = Path(settings.MEDIA_ROOT)
    with zipfile.ZipFile(path) as archive:
        for entry in manifest["files"]:
            name = entry["name"]
            if not name.startswith(MEDIA + "/"):
                continue
            parts = PurePosixPath(name).parts[1:]
            target = root.joinpath(*parts)
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            for depth in range(1, len(parts)):  # each new folder 0700, not only the last
                root.joinpath(*parts[:depth]).mkdir(mode=0o700, exist_ok=True)
            with archive.open(name) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            target.chmod(0o600)


def _check_counts(manifest: dict, using: str) -> None:
    restored = current_counts(using)
    wrong = [
        f"{_label(label)}：备份 {n} 条，恢复后 {restored.get(label, 0)} 条"
        for label, n in manifest["counts"].items()
        if label in restored and restored[label] != n
    ]
    if wrong:
        raise BackupError("恢复后的记录数与备份清单不符：" + "；".join(wrong[:10]))
