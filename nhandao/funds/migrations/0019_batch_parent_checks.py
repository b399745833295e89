"""A posting's donation and an entry's posting checked once per statement, not by a foreign key
per row (PostgreSQL), as migration 0017 does for reference data (see its docstring).

These parents are written in the same batch as the rows naming them, before them (the gifts,
then their postings, then the postings' entries), a different parent on every row: the keys ran
one lookup per row at each commit, 200,000 for the postings and 400,000 for the entries of a
200,000-line statement.  The statement trigger checks (and locks FOR KEY SHARE) all of a batch's
parents in one join.  A posting cannot be deleted anyway (the ledger is append-only); a gift
still named by a posting now refuses its deletion by a trigger.  SQLite keeps its foreign keys.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

parents = importlib.import_module("nhandao.funds.migrations.0017_set_based_parent_checks")

ADDED = [
    ("funds_posting", "donation_id", "funds_donation"),
    ("funds_entry", "posting_id", "funds_posting"),
]


def forwards(apps, schema_editor):
    parents.add_references(schema_editor, parents.REFERENCES, ADDED)


def backwards(apps, schema_editor):
    parents.remove_references(schema_editor, parents.REFERENCES, ADDED)


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0018_donation_bank_account_no_index"),
    ]

    operations = [
        parents.AlterFieldOnPostgres(
            model_name="posting",
            name="donation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="postings",
                to="funds.donation",
            ),
        ),
        parents.AlterFieldOnPostgres(
            model_name="entry",
            name="posting",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="funds.posting",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
