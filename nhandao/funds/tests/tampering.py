"""Changing the books behind the application's back, as an attacker with database admin rights
could: the append-only triggers are switched off for the statements, then on again (so the rest
of the test runs guarded, and `guards_present` still holds)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

TABLES = ("funds_entry", "funds_posting", "funds_ledgerdigest")


@contextmanager
def triggers_off():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign-key checks of the test's inserts wait.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
            try:
                yield cursor
            finally:
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'funds%append_only%'"
        )
        saved = cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield cursor
        finally:
            for _name, sql in saved:
                cursor.execute(sql)


def tamper(*statements: tuple[str, list] | str) -> None:
    with triggers_off() as cursor:
        for statement in statements:
            sql, params = (statement, []) if isinstance(statement, str) else statement
            cursor.execute(sql, params)
