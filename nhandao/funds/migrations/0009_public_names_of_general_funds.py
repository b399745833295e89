"""The portal's one gift search covers the units' general funds too: their gifts' public names
are counted into PublicName with no campaign (a partial unique index on the key, since NULLs are
distinct in (campaign, key)), so a name fragment is looked up among them the same way as among
a campaign's (the trigram index on PublicName.key, migration 0007).  Existing gifts are counted
here."""

import django.db.models.deletion
from django.db import migrations, models


def count_general_names(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO funds_publicname (campaign_id, key, gifts) "
        "SELECT NULL, public_key, COUNT(*) FROM funds_donation "
        "WHERE campaign_id IS NULL GROUP BY public_key"
    )


def forget_general_names(apps, schema_editor):
    schema_editor.execute("DELETE FROM funds_publicname WHERE campaign_id IS NULL")


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('funds', '0008_counter_to_numberseries'),
    ]

    operations = [
        migrations.AlterField(
            model_name='publicname',
            name='campaign',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign'),
        ),
        migrations.AddConstraint(
            model_name='publicname',
            constraint=models.UniqueConstraint(condition=models.Q(('campaign__isnull', True)), fields=('key',), name='funds_publicname_general_unique'),
        ),
        migrations.RunPython(count_general_names, forget_general_names),
    ]
