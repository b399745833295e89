"""SQLite's half of the append-only guarantee.

Migration 0002 puts triggers on the ledger tables.  On SQLite, UPDATE is refused
outright; DELETE is refused unless `nhandao_ledger_sealed()` returns 0.  That
function exists only on connections opened by this application, where it
returns 0 only while Django's whole-database flush runs (the SQLite equivalent
of PostgreSQL's TRUNCATE, which row triggers do not see either: `seed_demo
--reset` and the test runner use it).  Any other DELETE, from the application
or from another tool where the function is missing, is refused.
"""

from __future__ import annotations

_FLAG = "_nhandao_ledger_purging"


def sqlite_ledger_guard(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "nhandao_ledger_sealed", 0, lambda: 0 if getattr(connection, _FLAG, False) else 1
    )
    ops = connection.ops
    if getattr(ops.execute_sql_flush, "_nhandao_guarded", False):
        return
    original = ops.execute_sql_flush

    def execute_sql_flush(sql_list):
        setattr(connection, _FLAG, True)
        try:
            return original(sql_list)
        finally:
            setattr(connection, _FLAG, False)

    execute_sql_flush._nhandao_guarded = True
    ops.execute_sql_flush = execute_sql_flush
