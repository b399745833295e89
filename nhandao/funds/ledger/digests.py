"""Daily digests of the chain, stored for publication."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..models import (
    ChainHead,
    Entry,
    LedgerDigest,
)
from .canonical import GENESIS


# Daily digests ------------------------------------------------------------------
def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def make_digests(*, until: dt.date) -> int:
    """Store the chain's state at the end of every day up to `until` not yet digested.

    One global row per day (also for days without postings: the chain simply did
    not move), and one row per campaign for each day its chain moved.  Streams
    the entries once, from the last digest on.  The caller holds the head's lock (`lock_head`):
    the head records the latest digest as its anchor.
    """
    last = LedgerDigest.objects.filter(campaign__isnull=True).order_by("-day").first()
    start_number = last.last_number + 1 if last else 1
    if last is None:
        first = Entry.objects.order_by("number").values_list("posted_at", flat=True).first()
        if first is None:
            return 0
        day = _local_day(first)
        number, previous = 0, GENESIS
    else:
        day = last.day + dt.timedelta(days=1)
        number, previous = last.last_number, last.chain_hash
    if day > until:
        return 0
    # Entries per campaign chain so far: the latest digest of each campaign says it (counting
    # the entries again would read the whole ledger once a day).
    latest = (
        LedgerDigest.objects.filter(campaign_id=OuterRef("campaign_id"))
        .order_by("-last_number")
        .values("last_number")[:1]
    )
    counts = dict(
        LedgerDigest.objects.filter(campaign__isnull=False, last_number=Subquery(latest)).values_list(
            "campaign_id", "entries"
        )
    )
    campaign_last: dict[int, tuple[int, str]] = {}
    touched: set[int] = set()
    rows: list[LedgerDigest] = []

    def close(d: dt.date) -> None:
        rows.append(LedgerDigest(day=d, last_number=number, chain_hash=previous, entries=number))
        for cid in sorted(touched):
            n, h = campaign_last[cid]
            rows.append(
                LedgerDigest(day=d, campaign_id=cid, last_number=n, chain_hash=h, entries=counts[cid])
            )
        touched.clear()

    stream = (
        Entry.objects.filter(number__gte=start_number, posted_at__lt=_day_start(until + dt.timedelta(days=1)))
        .order_by("number")
        .values_list("number", "posted_at", "hash", "campaign_id", "campaign_hash")
    )
    for n, posted_at, h, cid, ch in stream.iterator(chunk_size=20000):
        entry_day = _local_day(posted_at)
        while day < entry_day:
            close(day)
            day += dt.timedelta(days=1)
        number, previous = n, h
        if cid:
            campaign_last[cid] = (n, ch)
            counts[cid] = counts.get(cid, 0) + 1
            touched.add(cid)
    while day <= until:
        close(day)
        day += dt.timedelta(days=1)
    LedgerDigest.objects.bulk_create(rows, batch_size=2000)
    # Anchor the head to the latest digest: verify_ledger then catches digests cut from the end of
    # the table, and a head rewound before what was published.
    latest = next((r for r in reversed(rows) if r.campaign_id is None), None)
    if latest is not None:
        ChainHead.objects.filter(pk=1).update(
            digest_day=latest.day, digest_number=latest.last_number, digest_hash=latest.chain_hash
        )
    return len(rows)
