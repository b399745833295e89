"""A statement line's account, import and rule checked once per statement, not once per row
(PostgreSQL), as funds migration 0017 does for the gifts and the ledger (see its docstring):
an import of 200,000 lines named the same account and import 400,000 times at its commits.

The donation a line posts stayed a foreign key here (migration 0008 checks it once per statement
too).  SQLite keeps its foreign keys."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

parents = importlib.import_module("nhandao.funds.migrations.0017_set_based_parent_checks")

REFERENCES = [
    ("banking_statementline", "bank_account_id", "funds_bankaccount"),
    ("banking_statementline", "statement_import_id", "banking_statementimport"),
    ("banking_statementline", "rule_id", "banking_assignmentrule"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for create, _drop in parents.child_triggers(REFERENCES):
        schema_editor.execute(create, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _create, drop in parents.child_triggers(REFERENCES):
        schema_editor.execute(drop, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("banking", "0006_statement_content_lz4"),
        ("funds", "0017_set_based_parent_checks"),
    ]

    operations = [
        parents.AlterFieldOnPostgres(
            model_name="statementline",
            name="bank_account",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="statement_lines",
                to="funds.bankaccount",
            ),
        ),
        parents.AlterFieldOnPostgres(
            model_name="statementline",
            name="rule",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="lines",
                to="banking.assignmentrule",
            ),
        ),
        parents.AlterFieldOnPostgres(
            model_name="statementline",
            name="statement_import",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lines",
                to="banking.statementimport",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
