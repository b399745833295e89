"""Gifts lose their index on the bank account alone (see Donation.bank_account): every lookup by
account also names the transaction reference, which the partial unique index serves.

PostgreSQL only, as 0017: on SQLite an AlterField rebuilds the table from the state, which
would drop the foreign keys SQLite keeps; an unused index there costs nothing that matters."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

parents = importlib.import_module("nhandao.funds.migrations.0017_set_based_parent_checks")


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0017_set_based_parent_checks"),
    ]

    operations = [
        parents.AlterFieldOnPostgres(
            model_name="donation",
            name="bank_account",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donations",
                to="funds.bankaccount",
                verbose_name="tài khoản nhận",
            ),
        ),
    ]
