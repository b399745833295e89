"""Fast name/phone search on PostgreSQL and the seeded categories and rules.

`search_key LIKE '%nguyen van%'` cannot use a B-tree index; on PostgreSQL a
trigram GIN index (pg_trgm, as for people) answers it in milliseconds at
30,000 households.  When the extension cannot be created the migration carries
on without the index (searches still work, only slower).  SQLite and other
databases use the plain index on search_key.
"""

from django.db import migrations, transaction


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:
        return  # no privilege: searches fall back to a scan
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS benef_case_search_trgm "
        "ON beneficiaries_case USING gin (search_key gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS benef_sponsor_search_trgm "
        "ON beneficiaries_sponsor USING gin (search_key gin_trgm_ops)"
    )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS benef_case_search_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS benef_sponsor_search_trgm")


def seed_lookups(apps, schema_editor):
    from nhandao.beneficiaries.lookups import CATEGORIES

    Category = apps.get_model("beneficiaries", "Category")
    HelpRules = apps.get_model("beneficiaries", "HelpRules")
    for order, (code, name, scope, sensitive, evidence, label, year, yearly, description) in enumerate(
        CATEGORIES, start=1
    ):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "scope": scope,
                "sensitive": sensitive,
                "requires_evidence": evidence,
                "evidence_label": label,
                "requires_year": year,
                "yearly": yearly,
                "description": description,
                "order": order * 10,
            },
        )
    if not HelpRules.objects.exists():
        HelpRules.objects.create()


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(seed_lookups, migrations.RunPython.noop),
    ]
