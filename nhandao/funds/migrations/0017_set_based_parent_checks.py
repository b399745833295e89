"""Reference data checked once per statement, not once per row (PostgreSQL).

A foreign key checks its parent row by row: posting a 200,000-line statement ran some
4.5 million checks at the commits (Django makes every key DEFERRABLE INITIALLY DEFERRED),
most of them of the same few rows again and again: the unit, the fund and its accounts,
the campaign, the bank account.  On PostgreSQL the keys below to that reference data are
replaced by an equal guarantee that runs once per statement:

* on the child table, an AFTER INSERT OR UPDATE statement trigger (transition table) locks the
  distinct parents the new rows name FOR KEY SHARE, as a foreign key does, so that none can be
  deleted before the commit, and raises foreign_key_violation (an IntegrityError) when one is
  missing: the same refusal as the key, at the end of the statement instead of at the commit
  (the parents are reference data, always written before the rows naming them);
* on the parent table, a BEFORE DELETE OR UPDATE OF id row trigger refuses to delete (or renumber)
  a row still named by a child: the key's NO ACTION.  It runs once the row is locked, i.e. after
  a transaction still adding children commits, and reads with a fresh snapshot (READ COMMITTED,
  Django's level), so it sees those children.  The ORM's on_delete=PROTECT still refuses first.

The keys that name a row written in the same batch (a posting's donation, an entry's posting)
stayed foreign keys here; migration 0019 checks them once per statement too.

SQLite keeps the foreign keys as they are (the fields say db_constraint=False for Django's
state only; no table is rebuilt there, which would also drop the ledger's append-only triggers).
"""

from django.db import migrations, models
import django.db.models.deletion

# (child table, column, parent table)
REFERENCES = [
    ("funds_donation", "unit_id", "org_unit"),
    ("funds_donation", "fund_id", "funds_fund"),
    ("funds_donation", "campaign_id", "campaigns_campaign"),
    ("funds_donation", "account_id", "funds_account"),
    ("funds_donation", "bank_account_id", "funds_bankaccount"),
    ("funds_posting", "unit_id", "org_unit"),
    ("funds_entry", "fund_id", "funds_fund"),
    ("funds_entry", "account_id", "funds_account"),
    ("funds_entry", "campaign_id", "campaigns_campaign"),
]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION nhandao_parents_exist() RETURNS trigger LANGUAGE plpgsql AS $$
-- Arguments: pairs (column, parent table).  The new rows are the transition table nhandao_new.
DECLARE
  i int;
  missing text;
BEGIN
  FOR i IN 0 .. TG_NARGS / 2 - 1 LOOP
    -- Locked first (as a foreign key does, FOR KEY SHARE): then checked, and kept until the commit.
    EXECUTE format(
      'SELECT 1 FROM %2$I p WHERE p.id IN (SELECT DISTINCT n.%1$I FROM nhandao_new n) FOR KEY SHARE OF p',
      TG_ARGV[2 * i], TG_ARGV[2 * i + 1]);
    EXECUTE format(
      'SELECT min(d.v)::text FROM (SELECT DISTINCT n.%1$I AS v FROM nhandao_new n WHERE n.%1$I IS NOT NULL) d '
      'WHERE NOT EXISTS (SELECT 1 FROM %2$I p WHERE p.id = d.v)',
      TG_ARGV[2 * i], TG_ARGV[2 * i + 1]) INTO missing;
    IF missing IS NOT NULL THEN
      RAISE EXCEPTION 'insert or update on table "%" violates foreign key: %=% is not present in table "%"',
        TG_TABLE_NAME, TG_ARGV[2 * i], missing, TG_ARGV[2 * i + 1]
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION nhandao_children_absent() RETURNS trigger LANGUAGE plpgsql AS $$
-- Arguments: (child table, column).  NO ACTION: a parent still named by a child stays.
DECLARE
  found boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
    RETURN NEW;
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[0], TG_ARGV[1])
    INTO found USING OLD.id;
  IF found THEN
    RAISE EXCEPTION 'update or delete on table "%" violates foreign key: id=% is still referenced from table "%"',
      TG_TABLE_NAME, OLD.id, TG_ARGV[0]
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
"""


def child_triggers(references) -> list[tuple[str, str]]:
    """(create, drop) statements of the child tables' statement triggers and the parents' row
    triggers."""
    return table_triggers(references) + parent_triggers(references)


def table_triggers(references) -> list[tuple[str, str]]:
    """(create, drop) statements of each child table's two statement triggers, which check all
    of the table's `references` (a table has one pair: a later migration adding a reference
    drops the pair and creates it again with every reference of the table)."""
    by_table: dict[str, list[str]] = {}
    for table, column, parent in references:
        by_table.setdefault(table, []).extend([column, parent])
    result = []
    for table, args in by_table.items():
        arguments = ", ".join(f"'{a}'" for a in args)
        name = f"{table}_parents"
        result.append(
            (
                # INSERT and UPDATE need triggers of their own (one transition table each).
                f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS nhandao_new "
                f"FOR EACH STATEMENT EXECUTE FUNCTION nhandao_parents_exist({arguments}); "
                f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} REFERENCING NEW TABLE AS nhandao_new "
                f"FOR EACH STATEMENT EXECUTE FUNCTION nhandao_parents_exist({arguments})",
                f"DROP TRIGGER IF EXISTS {name}_ins ON {table}; DROP TRIGGER IF EXISTS {name}_upd ON {table}",
            )
        )
    return result


def parent_triggers(references) -> list[tuple[str, str]]:
    """(create, drop) statements of the parents' row triggers (one per reference)."""
    result = []
    for table, column, parent in references:
        name = f"nhandao_ref_{table}_{column}"
        result.append(
            (
                f"CREATE TRIGGER {name} BEFORE DELETE OR UPDATE OF id ON {parent} FOR EACH ROW "
                f"EXECUTE FUNCTION nhandao_children_absent('{table}', '{column}')",
                f"DROP TRIGGER IF EXISTS {name} ON {parent}",
            )
        )
    return result


def add_references(schema_editor, before, added) -> None:
    """A later migration's step: the tables of `added` check `before + added` (their statement
    triggers made again), and the parents of `added` refuse to lose a row still named."""
    if schema_editor.connection.vendor != "postgresql":
        return
    tables = {table for table, _c, _p in added}
    kept = [ref for ref in before if ref[0] in tables]
    for _create, drop in table_triggers(kept):
        schema_editor.execute(drop, params=None)
    for create, _drop in table_triggers(kept + list(added)) + parent_triggers(added):
        schema_editor.execute(create, params=None)


def remove_references(schema_editor, before, added) -> None:
    """`add_references` undone."""
    if schema_editor.connection.vendor != "postgresql":
        return
    tables = {table for table, _c, _p in added}
    kept = [ref for ref in before if ref[0] in tables]
    for _create, drop in table_triggers(kept + list(added)) + parent_triggers(added):
        schema_editor.execute(drop, params=None)
    for create, _drop in table_triggers(kept):
        schema_editor.execute(create, params=None)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    for create, _drop in child_triggers(REFERENCES):
        schema_editor.execute(create, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _create, drop in child_triggers(REFERENCES):
        schema_editor.execute(drop, params=None)


class AlterFieldOnPostgres(migrations.AlterField):
    """AlterField for Django's state everywhere, for the database on PostgreSQL only (there it
    drops the foreign key; SQLite keeps its table, and its keys, as they are)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("funds", "0016_public_name_fillfactor"),
        ("org", "0004_roleassignment_role_communication_officer"),
    ]

    operations = [
        AlterFieldOnPostgres(
            model_name="donation",
            name="account",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="funds.account",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="donation",
            name="bank_account",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donations",
                to="funds.bankaccount",
                verbose_name="tài khoản nhận",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="donation",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donations",
                to="campaigns.campaign",
                verbose_name="cuộc vận động",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="donation",
            name="fund",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donations",
                to="funds.fund",
                verbose_name="quỹ",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="donation",
            name="unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donations",
                to="org.unit",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="entry",
            name="account",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="funds.account",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="entry",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="campaigns.campaign",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="entry",
            name="fund",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="funds.fund",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="posting",
            name="unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
