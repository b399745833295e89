"""The portal's search by name fragment goes through each campaign's distinct names.

A trigram index on the gifts' `public_key` made PostgreSQL fetch and recheck every gift
whose name shares the fragment's trigrams ("thi hanh": 4,500 gifts read for 1,700 found
among a million), or walk the campaign newest first when it guessed the fragment common:
12 to 190 ms per search.  Now the fragment is looked up among the campaign's distinct
names (PublicName, with its own trigram index), and their gifts come from a B-tree on
(campaign, public_key, date) that holds the amount too.  The gifts' trigram index on
`public_key` is dropped: no query uses it any more, and each gift posted no longer
updates it.  Existing gifts are counted into PublicName here.  The trigram parts are
PostgreSQL's; elsewhere the same queries run without them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def count_names(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO funds_publicname (campaign_id, key, gifts) "
        "SELECT campaign_id, public_key, COUNT(*) FROM funds_donation "
        "WHERE campaign_id IS NOT NULL GROUP BY campaign_id, public_key"
    )


def trigram_on_names(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS funds_publicname_key_trgm ON funds_publicname USING gin (key gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS funds_donation_public_key_trgm")


def trigram_on_gifts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS funds_donation_public_key_trgm ON funds_donation USING gin (public_key gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS funds_publicname_key_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('funds', '0006_donation_verify_code_one_index'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200)),
                ('gifts', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'tên công khai',
                'verbose_name_plural': 'tên công khai',
            },
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(condition=models.Q(('status', 'posted')), fields=['campaign', 'public_key', '-received_on', '-id'], include=('amount',), name='funds_donation_campaign_name'),
        ),
        migrations.AddField(
            model_name='publicname',
            name='campaign',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign'),
        ),
        migrations.AddConstraint(
            model_name='publicname',
            constraint=models.UniqueConstraint(fields=('campaign', 'key'), name='funds_publicname_unique'),
        ),
        migrations.RunPython(count_names, migrations.RunPython.noop),
        migrations.RunPython(trigram_on_names, trigram_on_gifts),
    ]
