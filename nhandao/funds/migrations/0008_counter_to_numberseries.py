"""Counter (of receipt and voucher numbers) is renamed NumberSeries: `Counter` also names the
dashboard tiles (org.selectors.Counter) and Python's collections.Counter."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0007_portal_name_search"),
    ]

    operations = [
        migrations.RenameModel(old_name="Counter", new_name="NumberSeries"),
        migrations.RemoveConstraint(model_name="numberseries", name="funds_counter_unique"),
        migrations.AddConstraint(
            model_name="numberseries",
            constraint=models.UniqueConstraint(fields=("unit", "series", "year"), name="funds_numberseries_unique"),
        ),
    ]
