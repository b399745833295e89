"""One index per audit filter instead of thirteen indexes: every write adds an event, and a
statement import adds 100,000 at once, each updating every index.

Dropped: the plain indexes on action, object_type, object_id and unit_path and their
varchar_pattern_ops twins that db_index=True makes on PostgreSQL, and the one on actor.
Kept or made: (object_type, object_id) for a record's history, object_id alone, (actor, at),
at, and one varchar_pattern_ops index each on action and unit_path, which serve both "=" and
the "startswith" of the unit scope and the action filter.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_job'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(max_length=100, verbose_name='hành động'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='object_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='mã bản ghi'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='object_type',
            field=models.CharField(max_length=100, verbose_name='loại bản ghi'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='unit_path',
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['object_id'], name='core_audit_object_id'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action'], name='core_audit_action', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['unit_path'], name='core_audit_unit_path', opclasses=['varchar_pattern_ops']),
        ),
    ]
