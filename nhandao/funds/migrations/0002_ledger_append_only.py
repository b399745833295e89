"""The ledger tables refuse UPDATE and DELETE in the database itself.

PostgreSQL: one BEFORE UPDATE OR DELETE row trigger per table raising
restrict_violation.  SQLite: a BEFORE UPDATE trigger that always aborts and a
BEFORE DELETE trigger that aborts unless nhandao_ledger_sealed() says a
whole-database flush is running (see nhandao/funds/guards.py).  Whole-table
TRUNCATE (PostgreSQL) and flush are the sanctioned way to wipe a database.

Also creates the chain head row (the genesis: 64 zeros).
"""

from django.db import migrations

TABLES = ("funds_entry", "funds_posting", "funds_ledgerdigest")
MESSAGE = "Sổ cái chỉ được ghi thêm: không được sửa hoặc xóa (nhandao ledger is append-only)"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION nhandao_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE}: % %', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION nhandao_ledger_append_only()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
                f"WHEN nhandao_ledger_sealed() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    ChainHead = apps.get_model("funds", "ChainHead")
    ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": "0" * 64})


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS nhandao_ledger_append_only()")
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_delete")


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
