"""Statement lines: the indexes on rule and decided_by hold only the lines that have one.

A statement of 200,000 lines is written with neither, and posting sets a rule on few of
them; a full index would add an entry per line for NULL, and another for each posted line.
A query for the lines of a rule or of a person (rule_id = X) still uses the partial index.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('banking', '0003_statement_import_parsed_lines'),
        ('funds', '0005_portal_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='statementline',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='statementline',
            name='rule',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='lines', to='banking.assignmentrule'),
        ),
        migrations.AddIndex(
            model_name='statementline',
            index=models.Index(condition=models.Q(('rule__isnull', False)), fields=['rule'], name='banking_line_rule'),
        ),
        migrations.AddIndex(
            model_name='statementline',
            index=models.Index(condition=models.Q(('decided_by__isnull', False)), fields=['decided_by'], name='banking_line_decided_by'),
        ),
    ]
