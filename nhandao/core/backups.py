"""Backups that restore: the one home of `backup_db` and `restore_drill`.

PostgreSQL: `pg_dump -Fc` (custom format, restored by `pg_restore`), taken from a snapshot that
the row counts written beside it (`<file>.counts.json`) were read in, so the drill compares the
restore with exactly what was dumped.  SQLite (the demo): the online backup API, which copies a
consistent database while the site keeps running.

The drill restores into a FRESH database (it refuses one that has tables), then checks that no
migration is missing (`migrate --check`), that the ledger verifies (`verify_ledger`), and that
every table has the row count of the source; any difference fails (non-zero exit).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction


class DrillError(Exception):
    """A refusal or a mismatch, in Vietnamese."""


def tables() -> list[str]:
    """Every table of the project's models (and the M2M tables), in a stable order."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    return sorted(names & existing)


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict, name: str | None = None) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return [*args, "-d", name or db["NAME"]]


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
    return cursor.fetchone()[0]


def backup(output: Path) -> dict[str, int]:
    """Write the backup to `output` and the row counts to `<output>.counts.json`; return the counts."""
    output.parent.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = {t: _count(cursor, t) for t in tables()}
            subprocess.run(
                [
                    "pg_dump",
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(output),
                    *_pg_args(db),
                ],
                env=_pg_env(db),
                check=True,
            )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            counts = {t: _count(cursor, t) for t in tables()}
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(output))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:  # pragma: no cover
        raise DrillError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    Path(f"{output}.counts.json").write_text(json.dumps(counts, indent=1, sort_keys=True))
    return counts


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
    )


def _pg_url(db: dict, name: str) -> str:
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


def _restore_postgresql(source: Path, target: str) -> tuple[str, dict[str, int]]:
    import psycopg

    db = settings.DATABASES["default"]
    if target == db["NAME"]:
        raise DrillError("Không được khôi phục đè lên chính cơ sở dữ liệu đang dùng.")
    admin = _pg_url(db, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{target}"')
    url = _pg_url(db, target)
    with psycopg.connect(url) as conn:
        n = conn.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]
    if n:
        raise DrillError(
            f"Cơ sở dữ liệu đích {target} không trống ({n} bảng): chỉ khôi phục vào một cơ sở dữ liệu mới."
        )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", *_pg_args(db, target), str(source)],
        env=_pg_env(db),
        check=True,
    )
    with psycopg.connect(url) as conn:
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables()}
    return url, counts


def _restore_sqlite(source: Path, target: str) -> tuple[str, dict[str, int]]:
    path = Path(target)
    if path.exists() and path.stat().st_size:
        with sqlite3.connect(str(path)) as conn:
            n = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if n:
            raise DrillError(
                f"Cơ sở dữ liệu đích {target} không trống ({n} bảng): chỉ khôi phục vào một cơ sở dữ liệu mới."
            )
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(path))
    try:
        src.backup(dst)
        counts = {t: dst.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables()}
    finally:
        dst.close()
        src.close()
    return f"sqlite:///{path.resolve()}", counts


def drill(source: Path, target: str, write=print) -> None:
    """Restore `source` into `target` (a database name on PostgreSQL, a file on SQLite) and check
    it; DrillError on a refusal or any mismatch."""
    if not source.exists():
        raise DrillError(f"Không tìm thấy bản sao lưu {source}.")
    manifest = Path(f"{source}.counts.json")
    if not manifest.exists():
        raise DrillError(f"Thiếu tệp số dòng {manifest} đi kèm bản sao lưu.")
    expected = json.loads(manifest.read_text())
    if connection.vendor == "postgresql":
        url, counts = _restore_postgresql(source, target)
    else:
        url, counts = _restore_sqlite(source, target)
    write(f"Đã khôi phục vào {target}.")
    problems = []
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            problems.append(
                f"bảng {table}: nguồn {expected.get(table)} dòng, bản khôi phục {counts.get(table)} dòng"
            )
    write(f"So sánh số dòng của {len(expected)} bảng: {'khớp' if not problems else 'LỆCH'}.")
    check = _manage(url, "migrate", "--check")
    if check.returncode:
        problems.append("thiếu migration: " + (check.stdout + check.stderr).strip()[-500:])
    else:
        write("Migration: đủ.")
    ledger = _manage(url, "verify_ledger")
    write(ledger.stdout.strip())
    if ledger.returncode:
        problems.append("verify_ledger: " + (ledger.stderr or ledger.stdout).strip()[-500:])
    if problems:
        raise DrillError("Diễn tập khôi phục KHÔNG đạt: " + "; ".join(problems))
