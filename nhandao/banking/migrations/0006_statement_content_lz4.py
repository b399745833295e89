"""The kept statement file is compressed with LZ4 instead of pglz (PostgreSQL 14+, when the
server was built with it).

A 24 MB statement of 200,000 lines took 1.5-2.5 s to store with pglz on a loaded machine and
0.4 s with LZ4 (at 9.2 MB instead of 8.2 MB; the file is dropped once imported).  Every upload
stores it, the second upload of a file already imported included, which must answer in under
3 s.  The lines read from it (`parsed`) are zlib-compressed already: stored as they are.
"""

from django.db import migrations


def _has_lz4(cursor) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
    )
    return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _has_lz4(cursor):
            schema_editor.execute(
                "ALTER TABLE banking_statementimport ALTER COLUMN content SET COMPRESSION lz4"
            )
    schema_editor.execute("ALTER TABLE banking_statementimport ALTER COLUMN parsed SET STORAGE EXTERNAL")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE banking_statementimport ALTER COLUMN content SET COMPRESSION default")
    schema_editor.execute("ALTER TABLE banking_statementimport ALTER COLUMN parsed SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("banking", "0005_statement_problem_lines")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
