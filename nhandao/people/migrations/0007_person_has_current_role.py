"""`Person.has_current_role`, kept by the database: triggers on people_personrole set it for the
people whose roles a statement inserted, changed (the status, or the person: a merge) or deleted.
On PostgreSQL one statement-level trigger per event reads the statement's transition tables, so
a COPY of a million roles updates the people once, set-based; SQLite has row-level triggers.
`people.tests.test_current_role_flag` checks the flag after every kind of write, and that the
triggers exist (a future migration rebuilding people_personrole on SQLite would drop them: that
test fails, and the rebuild must recreate them with `create_triggers`)."""

from django.db import migrations, models

CURRENT = "('active', 'suspended')"  # people.choices.CURRENT_STATUSES

_HAS = (
    "EXISTS (SELECT 1 FROM people_personrole r WHERE r.person_id = people_person.id AND r.status IN "
    + CURRENT
    + ")"
)
_SET = f"UPDATE people_person SET has_current_role = {_HAS} "


def _postgres_update(table: str) -> str:
    return (
        f"    {_SET}WHERE people_person.id IN (SELECT DISTINCT person_id FROM {table}) "
        f"AND has_current_role IS DISTINCT FROM {_HAS};\n"
    )


POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION people_person_current_role_flag() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n" + _postgres_update("old_roles") + "  END IF;\n"
    "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n" + _postgres_update("new_roles") + "  END IF;\n"
    "  RETURN NULL;\n"
    "END $$"
)

POSTGRES_TRIGGERS = [
    "CREATE TRIGGER people_role_flag_insert AFTER INSERT ON people_personrole "
    "REFERENCING NEW TABLE AS new_roles FOR EACH STATEMENT EXECUTE FUNCTION people_person_current_role_flag()",
    "CREATE TRIGGER people_role_flag_update AFTER UPDATE ON people_personrole "
    "REFERENCING OLD TABLE AS old_roles NEW TABLE AS new_roles FOR EACH STATEMENT "
    "EXECUTE FUNCTION people_person_current_role_flag()",
    "CREATE TRIGGER people_role_flag_delete AFTER DELETE ON people_personrole "
    "REFERENCING OLD TABLE AS old_roles FOR EACH STATEMENT EXECUTE FUNCTION people_person_current_role_flag()",
]


def _sqlite_set(who: str) -> str:
    return _SET + f"WHERE people_person.id = {who}.person_id;"


SQLITE_TRIGGERS = [
    "CREATE TRIGGER people_role_flag_insert AFTER INSERT ON people_personrole BEGIN "
    + _sqlite_set("NEW")
    + " END",
    "CREATE TRIGGER people_role_flag_update AFTER UPDATE OF status, person_id ON people_personrole BEGIN "
    + _sqlite_set("OLD")
    + " "
    + _sqlite_set("NEW")
    + " END",
    "CREATE TRIGGER people_role_flag_delete AFTER DELETE ON people_personrole BEGIN "
    + _sqlite_set("OLD")
    + " END",
]

TRIGGER_NAMES = ("people_role_flag_insert", "people_role_flag_update", "people_role_flag_delete")


def create_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION, params=None)
        for sql in POSTGRES_TRIGGERS:
            schema_editor.execute(sql, params=None)
    else:
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    create_triggers(schema_editor)
    schema_editor.execute(f"UPDATE people_person SET has_current_role = TRUE WHERE {_HAS}", params=None)


def backwards(apps, schema_editor):
    on = " ON people_personrole" if schema_editor.connection.vendor == "postgresql" else ""
    for name in TRIGGER_NAMES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{on}", params=None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS people_person_current_role_flag()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0001_initial"),
        ("org", "0004_roleassignment_role_communication_officer"),
        ("people", "0006_person_sort_covering"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="people_person_unit_sort",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="people_person_sort",
        ),
        migrations.AddField(
            model_name="person",
            name="has_current_role",
            field=models.BooleanField(default=False, editable=False, verbose_name="có vai trò hiện tại"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["unit", "sort_key", "id"],
                include=("merged_into", "birth_year", "has_current_role"),
                name="people_person_unit_sort",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["sort_key", "id"],
                include=("unit", "merged_into", "birth_year", "has_current_role"),
                name="people_person_sort",
            ),
        ),
    ]
