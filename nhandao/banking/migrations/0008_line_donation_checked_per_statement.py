"""The donation a statement line posts checked once per statement, not by a foreign key per row
(PostgreSQL), as funds migration 0019 does for the ledger: an import wrote the gifts, then the
lines naming them, and the key looked each gift up again at the commit.  SQLite keeps its key."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

parents = importlib.import_module("nhandao.funds.migrations.0017_set_based_parent_checks")
before = importlib.import_module("nhandao.banking.migrations.0007_set_based_parent_checks")

ADDED = [("banking_statementline", "donation_id", "funds_donation")]


def forwards(apps, schema_editor):
    parents.add_references(schema_editor, before.REFERENCES, ADDED)


def backwards(apps, schema_editor):
    parents.remove_references(schema_editor, before.REFERENCES, ADDED)


class Migration(migrations.Migration):
    dependencies = [
        ("banking", "0007_set_based_parent_checks"),
        ("funds", "0019_batch_parent_checks"),
    ]

    operations = [
        parents.AlterFieldOnPostgres(
            model_name="statementline",
            name="donation",
            field=models.OneToOneField(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="statement_line",
                to="funds.donation",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
