"""A case's `sort_key` is its head's (people 0005 recomputed them in Vietnamese letter order)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def recompute(apps, schema_editor):
    Case = apps.get_model("beneficiaries", "Case")
    Person = apps.get_model("people", "Person")
    head_key = Person.objects.filter(pk=OuterRef("head_id")).values("sort_key")[:1]
    Case.objects.filter(head__isnull=False).update(sort_key=Subquery(head_key))


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0003_consent_purpose_publish"),
        ("people", "0005_vietnamese_sort_key"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
