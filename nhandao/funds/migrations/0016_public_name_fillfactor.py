"""Public names: room in each page for the next version of a row (PostgreSQL fillfactor 50).

Every batch of gifts adds to the count of each name it carries (INSERT … ON CONFLICT DO
UPDATE).  On full pages each such update wrote a new row version elsewhere and a new entry
in every index of the table, the trigram GIN on the name included (a statement of 200,000
lines: 54,000 updates, 3 % in place).  With half of each page free the update stays in its
page and no index is touched (a HOT update): the table is small (one row per distinct name).
"""

from django.db import migrations

FILLFACTOR = 50


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE funds_publicname SET (fillfactor = {FILLFACTOR})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE funds_publicname RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("funds", "0015_donation_list_order")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
