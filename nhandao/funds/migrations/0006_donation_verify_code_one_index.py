"""The receipt verification code stays unique with one index instead of two.

unique=True on a CharField makes PostgreSQL keep a unique index and a second,
varchar_pattern_ops index for LIKE, which no query uses (a code is looked up
whole, by the receipt check and the portal's reference search).  A
UniqueConstraint keeps only the unique index: one index fewer to update per gift
when a statement posts 100,000 of them.  Both steps run in the migration's
transaction.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('funds', '0005_portal_search_indexes'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='donation',
            name='verify_code',
            field=models.CharField(max_length=16, verbose_name='mã xác minh'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.UniqueConstraint(fields=('verify_code',), name='funds_donation_verify_code_unique'),
        ),
    ]
