"""Substring search on PostgreSQL: trigram (pg_trgm) GIN indexes on the gifts' search keys.

`public_key` serves the transparency portal's search by name fragment ("nguyen thi
mai" among a million gifts); `search_key` the staff's search.  A B-tree index cannot
serve `LIKE '%…%'`.  On other databases nothing is created: the same queries run,
without the index (SQLite is the embedded, small-scale set-up).
"""

from django.db import migrations

INDEXES = {
    "funds_donation_public_key_trgm": "public_key",
    "funds_donation_search_key_trgm": "search_key",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON funds_donation USING gin ({column} gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("funds", "0002_ledger_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
