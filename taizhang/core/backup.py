"""Backups: one zip file with a consistent copy of the database, the uploaded files and a manifest, taken
while the server runs; restore into an empty installation, refusing before anything is touched a file that
is not a backup, a backup of another format version or engine, and a damaged member.

- SQLite: the online backup API (sqlite3.Connection.backup) copies the database in one read transaction,
  so writers carry on (WAL) and the copy is the database as of one instant.
- PostgreSQL: one REPEATABLE READ transaction exports its snapshot; pg_dump (custom format) dumps that
  snapshot and the record counts are read in the same transaction, so dump and manifest agree.
- The uploaded files (MEDIA_ROOT) are copied after the database. Files are never changed or removed once
  stored (a deleted attachment keeps its file), so every file the database refers to is in the backup.

The manifest (manifest.json) states the format and its version, the Taizhang version, the engine, when the
backup was taken, the number of rows of every model, and every member's size and SHA-256.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction

from . import versions

FORMAT = "taizhang-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA = "media"
NAME_PATTERN = "taizhang-backup-*.zip"
CHUNK = 1024 * 1024
POSTGRESQL_LIB = Path("/usr/lib/postgresql")  # Debian's versioned client programs: <version>/bin/
# What `taizhang migrate` itself puts in a new installation, and the bookkeeping any running installation
# writes (the data version of every write, a worker's heartbeat): an installation holding only these is empty.
INSTALLED_BY_MIGRATE = {"contenttypes", "auth.Permission", "campaigns", "core.DataVersion", "core.WorkerBeat"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass
class Result:
    path: Path
    manifest: dict

    @property
    def records(self) -> int:
        return sum(self.manifest["counts"].values())

    @property
    def media_files(self) -> int:
        return sum(1 for f in self.manifest["files"] if f["name"].startswith(MEDIA + "/"))


# -- what is counted --------------------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    """{model label: table} of every model with a table of its own (many-to-many tables included)."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in tables.values():
            tables[meta.label] = meta.db_table
    return tables


def _count(cursor, quote, tables: dict[str, str], present: set[str]) -> dict[str, int]:
    counts = {}
    for label, table in sorted(tables.items()):
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[label] = cursor.fetchone()[0]
    return counts


def current_counts(using: str = "default") -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        return _count(cursor, connection.ops.quote_name, _tables(), present)


def _installed_by_migrate(label: str) -> bool:
    return label in INSTALLED_BY_MIGRATE or label.split(".")[0] in INSTALLED_BY_MIGRATE


def records_present(using: str = "default") -> dict[str, int]:
    """{model label: rows} of the data in the installation beyond what migrate puts there."""
    return {label: n for label, n in current_counts(using).items() if n and not _installed_by_migrate(label)}


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"不支持备份 {vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    return vendor


def _version() -> str:
    try:
        return metadata.version("taizhang")
    except metadata.PackageNotFoundError:
        return "未知"


# -- taking a backup --------------------------------------------------------------------------------------


def default_name(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now()
    return f"taizhang-backup-{now:%Y%m%d-%H%M%S}.zip"


def create_backup(output: str | Path, *, using: str = "default", keep: int | None = None) -> Result:
    """Write a backup to output (a file, or a directory that gets a dated name; with keep, only the newest
    keep backups of that directory are kept). The file is created 0600 and appears whole or not at all."""
    engine = _engine(using)
    if keep is not None and keep < 1:
        raise BackupError("--keep 至少为 1。")
    as_directory = str(output).endswith(("/", os.sep))
    output = Path(output)
    if as_directory or output.is_dir():
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory, output = output, output / default_name()
    else:
        if keep is not None:
            raise BackupError(
                "--keep 只能和目录一起使用（-o 目录/），备份文件按日期命名，只保留最新的若干个。"
            )
        directory = output.parent
        if not directory.is_dir():
            raise BackupError(f"目录不存在：{directory}")
    with tempfile.TemporaryDirectory(dir=directory, prefix=".taizhang-backup-") as work:
        work = Path(work)
        dump = work / DATABASE_MEMBER[engine]
        counts = _dump_sqlite(using, dump) if engine == "sqlite" else _dump_postgresql(using, dump)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "taizhang_version": _version(),
            "engine": engine,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "counts": counts,
            "files": [],
        }
        partial = work / "backup.zip"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            manifest["files"].append(_add(archive, dump, dump.name))
            for path, name in _media_files():
                manifest["files"].append(_add(archive, path, name))
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.chmod(0o600)
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        os.replace(partial, output)
    if keep is not None:
        prune(directory, keep)
    return Result(output, manifest)


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest keep backups named by default_name() in directory."""
    if keep < 1:
        raise BackupError("--keep 至少为 1。")
    backups = sorted(Path(directory).glob(NAME_PATTERN))
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return old


def _add(archive: zipfile.ZipFile, path: Path, name: str) -> dict:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source, archive.open(name, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory, filename)
            if path.is_file() and not path.is_symlink():
                yield path, f"{MEDIA}/{path.relative_to(root).as_posix()}"


def _dump_sqlite(using: str, target: Path) -> dict[str, int]:
    """Copy the live database with SQLite's online backup API (one read transaction: one instant), then
    count the rows of the copy."""
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the source uses
        tables = _tables()
        present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return _count(copy.cursor(), connection.ops.quote_name, tables, present)
    finally:
        copy.close()


def _dump_postgresql(using: str, target: Path) -> dict[str, int]:
    """pg_dump of a snapshot exported by a REPEATABLE READ transaction that also counts the rows."""
    pg_dump = find_tool("pg_dump")
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            connection.settings_dict,
            "pg_dump",
        )
        present = set(connection.introspection.table_names(cursor))
        return _count(cursor, connection.ops.quote_name, _tables(), present)


def find_tool(name: str) -> str:
    """A PostgreSQL client program: on PATH, or the newest under /usr/lib/postgresql/*/bin (Debian)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        POSTGRESQL_LIB.glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    raise BackupError(
        f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client），"
        "其版本不低于数据库服务器的版本。"
    )


def _run(args: list[str], database: dict, tool: str) -> None:
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = database["NAME"]
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} 失败（退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}")


# -- restoring --------------------------------------------------------------------------------------------


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
