"""Backups: one zip file with a consistent copy of the database, the uploaded files and a manifest, taken
while the server runs; core.restore brings one back into an empty installation.

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
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction

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
