"""The ICU collation "vi-VN-x-icu" on PostgreSQL (core/collation.py), made only when the server
does not ship it (Debian's PostgreSQL built with ICU does); SQLite registers its own per connection."""

from django.db import migrations

CREATE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'vi-VN-x-icu') THEN
        CREATE COLLATION "vi-VN-x-icu" (provider = icu, locale = 'vi-VN');
    END IF;
END
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_jobs_resume_and_imports_in_the_worker")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
