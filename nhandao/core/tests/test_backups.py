"""Backups that restore: the drill refuses a database that is not empty, and a SQLite backup
restores with the same row counts."""

from __future__ import annotations

import json
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nhandao.core import backups


def _backup_file(tmp_path):
    path = tmp_path / "nhandao.dump"
    path.write_bytes(b"PGDMP not a real dump")
    (tmp_path / "nhandao.dump.counts.json").write_text(json.dumps({"core_auditevent": 0}))
    return path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite target is a file")
def test_the_drill_refuses_a_sqlite_file_that_has_tables(tmp_path, db):
    target = tmp_path / "full.sqlite3"
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE t (x int)")
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore_drill", str(_backup_file(tmp_path)), "--target", str(target))
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL database as target")
def test_the_drill_refuses_a_postgresql_database_that_has_tables(tmp_path, db, settings):
    import psycopg

    name = f"{settings.DATABASES['default']['NAME']}_drill_full"
    admin = backups._pg_url(settings.DATABASES["default"], "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(backups._pg_url(settings.DATABASES["default"], name), autocommit=True) as conn:
            conn.execute("CREATE TABLE precious (x int)")
            conn.execute("INSERT INTO precious VALUES (1)")
        with pytest.raises(CommandError, match="không trống"):
            call_command("restore_drill", str(_backup_file(tmp_path)), "--target", name)
        with psycopg.connect(backups._pg_url(settings.DATABASES["default"], name)) as conn:
            assert conn.execute("SELECT COUNT(*) FROM precious").fetchone()[0] == 1
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_the_drill_refuses_the_database_in_use(tmp_path, db, settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL names its databases")
    with pytest.raises(CommandError, match="đang dùng"):
        call_command(
            "restore_drill", str(_backup_file(tmp_path)), "--target", settings.DATABASES["default"]["NAME"]
        )


def test_a_backup_without_its_row_counts_is_refused(tmp_path, db):
    path = tmp_path / "lone.dump"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="Thiếu tệp số dòng"):
        call_command("restore_drill", str(path), "--target", str(tmp_path / "new.sqlite3"))
