"""Indexes for the portal's one gift search (funds.public.public_gifts_everywhere).

It glues one branch per place (each public campaign, and the general funds' gifts, whose
campaign is NULL) under ORDER BY received_on DESC, id DESC LIMIT n, each branch limited too,
and PostgreSQL merges them (Merge Append).  A branch stops after a few rows only when its
index gives exactly that order; otherwise it sorts all its matches first.

- (campaign, received_on) becomes (campaign, -received_on, -id): the same ranges, ties
  broken by the id inside the index.
- The general funds' gifts get their own partial indexes, (-received_on, -id) and (amount,
  -received_on, -id): a leading column is dropped from an index's order only for an
  equality, and "campaign IS NULL" is none.  Only gifts outside any campaign pay for them.
- (campaign, account's visible digits) becomes (campaign, digits, -received_on, -id, amount)
  on posted gifts: a common suffix ("105": ten thousand gifts at a million) no longer sorts
  all its gifts in each place, and the index alone answers (no heap fetch, cold or warm).
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('funds', '0009_public_names_of_general_funds'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='donation',
            name='funds_donat_campaig_a61ac8_idx',
        ),
        migrations.RemoveIndex(
            model_name='donation',
            name='funds_donation_campaign_acct',
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(fields=['campaign', '-received_on', '-id'], name='funds_donation_campaign_day'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(condition=models.Q(('campaign__isnull', True), ('status', 'posted')), fields=['-received_on', '-id'], name='funds_donation_general_day'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(condition=models.Q(('campaign__isnull', True), ('status', 'posted')), fields=['amount', '-received_on', '-id'], name='funds_donation_general_amount'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(models.F('campaign'), django.db.models.functions.text.Right(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(models.F('counterparty_account'), models.Value('*'), models.Value('')), models.Value(' '), models.Value('')), models.Value('-'), models.Value('')), models.Value('.'), models.Value('')), 3), models.OrderBy(models.F('received_on'), descending=True), models.OrderBy(models.F('id'), descending=True), models.F('amount'), condition=models.Q(('status', 'posted')), name='funds_donation_campaign_digits'),
        ),
    ]
