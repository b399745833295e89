"""People's `sort_key` in Vietnamese letter order (core/collation.sort_key): Ái after An, Đ after D,
Ô after O. Recomputed for the rows already stored."""

from django.db import migrations


def recompute(apps, schema_editor):
    from nhandao.core.collation import sort_key

    Person = apps.get_model("people", "Person")
    batch = []
    for pk, given, full in Person.objects.values_list("pk", "given_name", "full_name").iterator(chunk_size=5000):
        batch.append(Person(pk=pk, sort_key=f"{sort_key(given)} {sort_key(full)}"[:210]))
        if len(batch) >= 5000:
            Person.objects.bulk_update(batch, ["sort_key"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0004_lean_indexes"), ("core", "0006_vietnamese_collation")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
