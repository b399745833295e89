"""manage.py ledger_digest: store the daily digests up to yesterday (run it every night after midnight).

The first posting of a day also does this, so a day without a scheduled run is not lost.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from nhandao.funds import ledger
from nhandao.funds.models import LedgerDigest


class Command(BaseCommand):
    help = "Lưu tóm tắt sổ cái theo ngày (ngày, dòng cuối, mã băm chuỗi) đến hết hôm qua."

    def handle(self, *args, **options):
        until = timezone.localdate() - dt.timedelta(days=1)
        with transaction.atomic():
            ledger.lock_head()  # no posting may move the chain while the digests are cut
            made = ledger.make_digests(until=until)
        last = LedgerDigest.objects.filter(campaign__isnull=True).order_by("-day").first()
        self.stdout.write(f"Đã lưu {made} tóm tắt.")
        if last is not None:
            self.stdout.write(f"{last.day:%d/%m/%Y}: dòng {last.last_number}, mã băm {last.chain_hash}")
