"""The ledger engine: balanced postings on a SHA-256 hash chain, daily digests, verification.

Every money-moving service builds `PostingSpec`s and calls `post()` inside its
transaction.  `post()`:

1. checks every posting balances (amounts sum to zero, and so do goods
   quantities per item) and that amounts are integers;
2. locks the funds involved (`SELECT … FOR UPDATE`, in id order so two
   transactions never wait on each other in a cycle), then checks that no asset
   account (cash, bank, goods, pledges receivable) and no item in stock goes
   below zero, reading balances only after the lock is held;
3. locks the chain head, allocates posting ids and entry numbers, hashes each
   entry onto the global chain and onto its campaign's chain, inserts
   everything in bulk and moves the head.

The canonical serialisation (what is hashed) is a JSON array, UTF-8, no spaces:

    entry:   ["nhandao-ledger-v1", number, posting_id, posting_digest, fund_id,
              account_id, amount, campaign_id|null, item, quantity ("12.500" or ""),
              value_date "YYYY-MM-DD", posted_at "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC)]
    hash          = sha256(previous entry's hash + "\\n" + canonical)    (first: 64 zeros)
    campaign_hash = sha256(previous hash in the same campaign + "\\n" + canonical)

    posting: ["nhandao-posting-v1", id, kind, unit_id, value_date, voucher,
              description, reason, donation_id, disbursement_id, pledge_id,
              reverses_id, created_by_id, created_at]
    digest   = sha256(canonical)

An entry commits to its posting through the posting's digest, so a change to a
posting's description is caught too.  The campaign chain lets anyone check the
public entries of one campaign without downloading the whole ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit, bulk
from nhandao.core.formatting import money

from .models import (
    ASSET_KINDS,
    Account,
    AccountKind,
    ChainHead,
    Entry,
    Fund,
    LedgerDigest,
    Posting,
)

GENESIS = "0" * 64

# The ledger's clock.  Normally the wall clock; seeding five years of history (or
# loading a society's past books) runs each event inside `backdated(moment)`, in
# time order, so that postings, digests and the records' timestamps agree.
_clock: ContextVar[dt.datetime | None] = ContextVar("nhandao_ledger_clock", default=None)


def now() -> dt.datetime:
    return _clock.get() or timezone.now()


@contextmanager
def backdated(moment: dt.datetime):
    token = _clock.set(moment)
    try:
        yield moment
    finally:
        _clock.reset(token)


ENTRY_VERSION = "nhandao-ledger-v1"
POSTING_VERSION = "nhandao-posting-v1"
QUANTUM = Decimal("0.001")


# Canonical serialisation ------------------------------------------------------
def utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def quantity_text(value) -> str:
    if value is None:
        return ""
    return format(Decimal(value).quantize(QUANTUM), "f")


def _dumps(values: list) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def entry_canonical(
    number: int,
    posting_id: int,
    posting_digest: str,
    fund_id: int,
    account_id: int,
    amount: int,
    campaign_id: int | None,
    item: str,
    quantity,
    value_date: dt.date,
    posted_at: dt.datetime,
) -> str:
    return _dumps(
        [
            ENTRY_VERSION,
            number,
            posting_id,
            posting_digest,
            fund_id,
            account_id,
            amount,
            campaign_id,
            item,
            quantity_text(quantity),
            value_date.isoformat(),
            utc_iso(posted_at),
        ]
    )


def chain(previous: str, canonical: str) -> str:
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def posting_canonical(
    id: int,
    kind: str,
    unit_id: int,
    value_date: dt.date,
    voucher: str,
    description: str,
    reason: str,
    donation_id: int | None,
    disbursement_id: int | None,
    pledge_id: int | None,
    reverses_id: int | None,
    created_by_id: int | None,
    created_at: dt.datetime,
) -> str:
    return _dumps(
        [
            POSTING_VERSION,
            id,
            kind,
            unit_id,
            value_date.isoformat(),
            voucher,
            description,
            reason,
            donation_id,
            disbursement_id,
            pledge_id,
            reverses_id,
            created_by_id,
            utc_iso(created_at),
        ]
    )


def posting_digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()


POSTING_FIELDS = (
    "id",
    "kind",
    "unit_id",
    "value_date",
    "voucher",
    "description",
    "reason",
    "donation_id",
    "disbursement_id",
    "pledge_id",
    "reverses_id",
    "created_by_id",
    "created_at",
)


# Building postings ------------------------------------------------------------
@dataclass
class Line:
    account: Account
    amount: int  # debit > 0, credit < 0, whole đồng
    campaign_id: int | None = None
    item: str = ""
    quantity: Decimal | None = None  # goods: signed like the amount
    label: str = ""  # the item's name, for messages only


@dataclass
class PostingSpec:
    kind: str
    unit_id: int
    value_date: dt.date
    description: str
    lines: list[Line]
    voucher: str = ""
    reason: str = ""
    donation_id: int | None = None
    disbursement_id: int | None = None
    pledge_id: int | None = None
    reverses_id: int | None = None


class Unbalanced(ValueError):
    """A posting whose amounts (or goods quantities) do not sum to zero: a programming error."""


def _validate(spec: PostingSpec) -> None:
    if not spec.lines:
        raise Unbalanced("a posting needs lines")
    total = 0
    quantities: dict[str, Decimal] = defaultdict(Decimal)
    for line in spec.lines:
        if type(line.amount) is not int:
            raise TypeError(f"amounts are whole đồng (int), got {type(line.amount).__name__}")
        if line.amount == 0 and line.quantity is None:
            raise Unbalanced("a line without an amount must carry a quantity")
        total += line.amount
        if line.quantity is not None:
            quantities[line.item] += Decimal(line.quantity)
    if total != 0:
        raise Unbalanced(f"posting does not balance: {total}")
    if any(q != 0 for q in quantities.values()):
        raise Unbalanced("goods quantities do not balance")


def lock_funds(fund_ids: Iterable[int]) -> dict[int, Fund]:
    """Lock fund rows in id order (one fixed order: two postings never wait on each other in a cycle).

    PostgreSQL locks the rows as the sorted result is produced; SQLite ignores FOR
    UPDATE because its write transactions (BEGIN IMMEDIATE) are already exclusive.
    """
    ids = sorted(set(fund_ids))
    funds = (
        Fund.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    return {fund.pk: fund for fund in funds}


# Checks other modules add on every posting, e.g. the bank import refuses postings on a bank
# account dated in a period reconciled and locked against its statement.  Each takes the specs
# and raises ValidationError (Vietnamese) to refuse them all.
POSTING_CHECKS: list[Callable[[list[PostingSpec]], None]] = []


def add_posting_check(check: Callable[[list[PostingSpec]], None]) -> None:
    if check not in POSTING_CHECKS:
        POSTING_CHECKS.append(check)


# Tests replace this to widen the window between the balance check and the
# posting, proving that the fund lock (not luck) keeps funds from going negative.
def after_balance_check() -> None:
    return None


def stock(account_ids: Iterable[int], items: Iterable[str] | None = None) -> dict[tuple[int, str], tuple]:
    """(account, item) -> (quantity, value) in stock, summed from entries."""
    qs = Entry.objects.filter(account_id__in=list(account_ids), quantity__isnull=False)
    if items is not None:
        qs = qs.filter(item__in=list(items))
    rows = qs.values("account_id", "item").annotate(q=Sum("quantity"), v=Sum("amount"))
    return {(r["account_id"], r["item"]): (r["q"] or Decimal(0), r["v"] or 0) for r in rows}


def _check_non_negative(specs: list[PostingSpec]) -> None:
    negative = {
        line.account.pk
        for spec in specs
        for line in spec.lines
        if line.account.kind in ASSET_KINDS and line.amount < 0
    }
    goods = {
        (line.account.pk, line.item)
        for spec in specs
        for line in spec.lines
        if line.account.kind == AccountKind.GOODS and line.quantity is not None and line.quantity < 0
    }
    if not negative and not goods:
        return
    # Read after the fund locks are held: these are the committed balances.
    balances = dict(Account.objects.filter(pk__in=negative).values_list("pk", "balance"))
    quantities = {k: v[0] for k, v in stock({a for a, _i in goods}, {i for _a, i in goods}).items()}
    for spec in specs:
        for line in spec.lines:
            account = line.account
            if account.pk in balances:
                before = balances[account.pk]
                balances[account.pk] = before + line.amount
                if balances[account.pk] < 0:
                    raise ValidationError(
                        {
                            "amount": _(
                                "Số dư “%(account)s” của %(fund)s là %(balance)s, không đủ để ghi giảm %(amount)s."
                            )
                            % {
                                "account": account,
                                "fund": account.fund.name,
                                "balance": money(before),
                                "amount": money(-line.amount),
                            }
                        }
                    )
            key = (account.pk, line.item)
            if key in goods:
                before_q = quantities.get(key, Decimal(0))
                quantities[key] = before_q + Decimal(line.quantity)
                if quantities[key] < 0:
                    raise ValidationError(
                        {
                            "items": _(
                                "Trong kho của %(fund)s chỉ còn %(have)s “%(item)s”, không đủ để xuất %(want)s."
                            )
                            % {
                                "fund": account.fund.name,
                                "have": quantity_text(before_q).rstrip("0").rstrip("."),
                                "item": line.label or line.item,
                                "want": quantity_text(-line.quantity).rstrip("0").rstrip("."),
                            }
                        }
                    )


def lock_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.bulk_create([ChainHead(pk=1, last_hash=GENESIS)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _campaign_heads(campaign_ids: set[int]) -> dict[int, str]:
    heads = {}
    for cid in campaign_ids:
        last = (
            Entry.objects.filter(campaign_id=cid)
            .order_by("-number")
            .values_list("campaign_hash", flat=True)
            .first()
        )
        heads[cid] = last or GENESIS
    return heads


# The rows `post_ids` writes (core.bulk), filled by column name.
PostingRow = bulk.row_type(Posting, (*POSTING_FIELDS, "digest"))
EntryRow = bulk.row_type(
    Entry,
    (
        "number",
        "posting_id",
        "fund_id",
        "account_id",
        "amount",
        "campaign_id",
        "item",
        "quantity",
        "value_date",
        "posted_at",
        "hash",
        "campaign_hash",
    ),
)


def post(specs: list[PostingSpec], *, actor=None, posted_at: dt.datetime | None = None) -> list[Posting]:
    """Post balanced postings onto the chain and return them.  Must run inside the caller's transaction."""
    ids = post_ids(specs, actor=actor, posted_at=posted_at)
    return list(Posting.objects.filter(pk__in=ids).order_by("pk")) if ids else []


def post_ids(specs: list[PostingSpec], *, actor=None, posted_at: dt.datetime | None = None) -> list[int]:
    """`post` for batches: the new postings' ids, without loading them back."""
    if not specs:
        return []
    if not audit.in_write_transaction():
        raise RuntimeError("ledger.post() must be called inside transaction.atomic()")
    for spec in specs:
        _validate(spec)
    # Lock again here (a no-op wait when the calling service already holds the locks): no
    # path can post without them.
    ids = sorted({line.account.fund_id for spec in specs for line in spec.lines})
    list(Fund.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    for check in POSTING_CHECKS:
        check(specs)
    _check_non_negative(specs)
    after_balance_check()

    head = lock_head()
    posted_at = posted_at or _clock.get()
    now = posted_at or timezone.now()
    if head.last_posted_at is not None and now < head.last_posted_at:
        if posted_at is not None:
            raise ValueError("postings must be appended in time order")
        now = head.last_posted_at  # the clock stepped back: keep the chain's time monotonic
    if head.last_posted_at is not None:
        last_day = timezone.localtime(head.last_posted_at).date()
        today = timezone.localtime(now).date()
        if last_day < today:
            make_digests(until=today - dt.timedelta(days=1))

    created_by_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    posted_text = utc_iso(now)
    posting_ids = list(range(head.last_posting_id + 1, head.last_posting_id + 1 + len(specs)))
    digests: list[str] = []
    number, previous = head.last_number, head.last_hash
    campaign_ids = {line.campaign_id for spec in specs for line in spec.lines if line.campaign_id}
    campaign_previous = _campaign_heads(campaign_ids)
    deltas: dict[int, int] = defaultdict(int)

    # The rows are generated while they are written (core.bulk): each posting's digest and each
    # entry's hashes are computed while the database stores the rows sent before.  The chain is
    # the same as if built first: one pass, in order.
    def posting_rows():
        for posting_id, spec in zip(posting_ids, specs, strict=True):
            fields = {
                "id": posting_id,
                "kind": spec.kind,
                "unit_id": spec.unit_id,
                "value_date": spec.value_date,
                "voucher": spec.voucher[:40],
                "description": spec.description[:300],
                "reason": spec.reason[:300],
                "donation_id": spec.donation_id,
                "disbursement_id": spec.disbursement_id,
                "pledge_id": spec.pledge_id,
                "reverses_id": spec.reverses_id,
                "created_by_id": created_by_id,
                "created_at": now,
            }
            digest = posting_digest(posting_canonical(**fields))
            digests.append(digest)
            yield PostingRow(**fields, digest=digest)

    def entry_rows():
        nonlocal number, previous
        sha256 = hashlib.sha256
        for posting_id, spec, digest in zip(posting_ids, specs, digests, strict=True):
            value_text = spec.value_date.isoformat()
            for line in spec.lines:
                number += 1
                account = line.account
                quantity = None if line.quantity is None else Decimal(line.quantity).quantize(QUANTUM)
                canonical = entry_canonical_text(
                    number,
                    posting_id,
                    digest,
                    account.fund_id,
                    account.pk,
                    line.amount,
                    line.campaign_id,
                    line.item,
                    quantity_text(quantity),
                    value_text,
                    posted_text,
                )
                previous = sha256(f"{previous}\n{canonical}".encode()).hexdigest()
                campaign_hash = ""
                if line.campaign_id:
                    campaign_hash = sha256(
                        f"{campaign_previous[line.campaign_id]}\n{canonical}".encode()
                    ).hexdigest()
                    campaign_previous[line.campaign_id] = campaign_hash
                deltas[account.pk] += line.amount
                yield EntryRow(
                    number=number,
                    posting_id=posting_id,
                    fund_id=account.fund_id,
                    account_id=account.pk,
                    amount=line.amount,
                    campaign_id=line.campaign_id,
                    item=line.item,
                    quantity=quantity,
                    value_date=spec.value_date,
                    posted_at=now,
                    hash=previous,
                    campaign_hash=campaign_hash,
                )

    bulk.insert(PostingRow, posting_rows())
    bulk.insert(EntryRow, entry_rows())
    if len(digests) != len(specs) or number != head.last_number + sum(len(spec.lines) for spec in specs):
        raise RuntimeError("the ledger rows were not all written")  # a generator cut short: never commit
    for account_id, delta in deltas.items():
        if delta:
            Account.objects.filter(pk=account_id).update(balance=F("balance") + delta)
    ChainHead.objects.filter(pk=1).update(
        last_number=number, last_hash=previous, last_posting_id=posting_ids[-1], last_posted_at=now
    )
    return posting_ids


def reversal_lines(posting: Posting) -> list[Line]:
    """The entries of a posting with their signs flipped (same accounts, campaigns, items)."""
    lines = []
    for entry in posting.entries.select_related("account__fund").order_by("number"):
        lines.append(
            Line(
                account=entry.account,
                amount=-entry.amount,
                campaign_id=entry.campaign_id,
                item=entry.item,
                quantity=None if entry.quantity is None else -entry.quantity,
            )
        )
    return lines


# Daily digests ------------------------------------------------------------------
def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def make_digests(*, until: dt.date) -> int:
    """Store the chain's state at the end of every day up to `until` not yet digested.

    One global row per day (also for days without postings: the chain simply did
    not move), and one row per campaign for each day its chain moved.  Streams
    the entries once, from the last digest on.
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
    return len(rows)


# Verification ---------------------------------------------------------------------
@dataclass
class Report:
    entries: int = 0
    postings: int = 0
    digests: int = 0
    last_number: int = 0
    last_hash: str = GENESIS
    seconds: float = 0.0
    guards: bool = True
    errors: list[str] = field(default_factory=list)
    more_errors: int = 0
    first_break: str = ""  # the first link of the chain that does not hold

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def first_error(self) -> str:
        return self.first_break or (self.errors[0] if self.errors else "")

    def add(self, message: str, limit: int = 50, *, link: bool = False) -> None:
        if link and not self.first_break:
            self.first_break = message
        if len(self.errors) < limit:
            self.errors.append(message)
        else:
            self.more_errors += 1


def guards_present() -> bool:
    """Whether the database still refuses UPDATE/DELETE on the ledger tables (a table rebuild could drop them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname IN "
                "('funds_entry_append_only','funds_posting_append_only','funds_ledgerdigest_append_only')"
            )
            return cursor.fetchone()[0] == 3
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'funds\\_%\\_append\\_only\\_%' ESCAPE '\\'"
            )
            return cursor.fetchone()[0] == 6
    return False


def entry_canonical_text(
    number,
    posting_id,
    posting_digest,
    fund_id,
    account_id,
    amount,
    campaign_id,
    item,
    quantity_text,
    value_date_text,
    posted_at_text,
) -> str:
    """`entry_canonical` from values already in their text form (identical output, a test proves it)."""
    item_json = _dumps(item) if item else '""'
    campaign = "null" if campaign_id is None else campaign_id
    return (
        f'["{ENTRY_VERSION}",{number},{posting_id},"{posting_digest}",{fund_id},{account_id},{amount},'
        f'{campaign},{item_json},"{quantity_text}","{value_date_text}","{posted_at_text}"]'
    )


def posting_canonical_text(
    id,
    kind,
    unit_id,
    value_date_text,
    voucher,
    description,
    reason,
    donation_id,
    disbursement_id,
    pledge_id,
    reverses_id,
    created_by_id,
    created_at_text,
) -> str:
    return _dumps(
        [
            POSTING_VERSION,
            id,
            kind,
            unit_id,
            value_date_text,
            voucher,
            description,
            reason,
            donation_id,
            disbursement_id,
            pledge_id,
            reverses_id,
            created_by_id,
            created_at_text,
        ]
    )


# PostgreSQL hands dates, times and quantities over already as the canonical text:
# no parsing and reformatting of two million timestamps.
_PG_UTC = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
_PG_ENTRIES = (
    "SELECT number, posting_id, fund_id, account_id, amount, campaign_id, item, COALESCE(quantity::text, ''), "
    f"value_date::text, {_PG_UTC.format('posted_at')}, hash, campaign_hash FROM funds_entry ORDER BY number"
)
_PG_POSTINGS = (
    "SELECT id, kind, unit_id, value_date::text, voucher, description, reason, donation_id, disbursement_id, "
    f"pledge_id, reverses_id, created_by_id, {_PG_UTC.format('created_at')}, digest FROM funds_posting ORDER BY id"
)


def _server_rows(sql: str, name: str, chunk: int):
    with connection.connection.cursor(name=name) as cursor:
        cursor.itersize = chunk
        cursor.execute(sql)
        yield from cursor


def _entry_rows(chunk: int):
    if connection.vendor == "postgresql":
        yield from _server_rows(_PG_ENTRIES, "nhandao_verify_entries", chunk)
        return
    rows = Entry.objects.order_by("number").values_list(*EntryRow._fields)
    for n, pid, fund, account, amount, cid, item, qty, vdate, posted, h, ch in rows.iterator(
        chunk_size=chunk
    ):
        yield (
            n,
            pid,
            fund,
            account,
            amount,
            cid,
            item,
            quantity_text(qty),
            vdate.isoformat(),
            utc_iso(posted),
            h,
            ch,
        )


def _posting_rows(chunk: int):
    if connection.vendor == "postgresql":
        yield from _server_rows(_PG_POSTINGS, "nhandao_verify_postings", chunk)
        return
    rows = Posting.objects.order_by("id").values_list(*POSTING_FIELDS, "digest")
    for row in rows.iterator(chunk_size=chunk):
        yield (*row[:3], row[3].isoformat(), *row[4:12], utc_iso(row[12]), row[13])


def verify(*, progress: Callable[[int], None] | None = None, chunk: int = 20000) -> Report:
    """Recompute the whole chain, every posting's digest and balance, the cached balances and the digests.

    Reads everything in one snapshot (REPEATABLE READ on PostgreSQL), so postings made
    while it runs cannot make a consistent ledger look broken.  Entries and postings are
    streamed side by side in id order (both are allocated in the same order), so the
    database never sorts or joins two million rows.
    """
    started = time.monotonic()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        report = _verify(progress, chunk)
    report.seconds = time.monotonic() - started
    return report


def _verify(progress, chunk: int) -> Report:
    report = Report(guards=guards_present())
    global_digests: dict[int, list] = defaultdict(list)
    campaign_digests: dict[tuple[int, int], list] = defaultdict(list)
    for d in LedgerDigest.objects.all().values("day", "campaign_id", "last_number", "chain_hash", "entries"):
        report.digests += 1
        if d["campaign_id"] is None:
            global_digests[d["last_number"]].append(d)
        else:
            campaign_digests[(d["campaign_id"], d["last_number"])].append(d)

    postings = _posting_rows(chunk)
    posting = None  # the current posting row
    posting_lines = 0
    expected = 1
    previous = GENESIS
    campaign_previous: dict[int, str] = {}
    campaign_counts: dict[int, int] = defaultdict(int)
    sums: dict[int, int] = defaultdict(int)
    group_sum = 0
    sha256 = hashlib.sha256
    add = report.add

    def close_posting():
        if posting is None:
            return
        if posting_lines == 0:
            add(_("Bút toán %(p)s không có dòng nào trong sổ cái.") % {"p": posting[0]})
        elif group_sum != 0:
            add(_("Bút toán %(p)s: tổng các dòng là %(s)s, khác 0.") % {"p": posting[0], "s": group_sum})

    def open_posting(row):
        report.postings += 1
        if posting_digest(posting_canonical_text(*row[:13])) != row[13]:
            add(_("Bút toán %(p)s: nội dung đã bị sửa (mã tóm tắt không khớp).") % {"p": row[0]})

    for row in _entry_rows(chunk):
        number, pid, fund_id, account_id, amount, cid, item, qty, vdate, posted, stored, cstored = row
        report.entries += 1
        if progress and report.entries % 100000 == 0:
            progress(report.entries)
        if number != expected:
            add(
                _("Dòng %(n)s: chuỗi bị đứt, thiếu các dòng %(a)s–%(b)s (đã bị xóa?).")
                % {"n": number, "a": expected, "b": number - 1}
                if number > expected
                else _("Dòng %(n)s: số thứ tự không tăng dần.") % {"n": number},
                link=True,
            )
        expected = number + 1
        if posting is None or pid != posting[0]:
            close_posting()
            posting_lines, group_sum = 0, 0
            for candidate in postings:
                if candidate[0] >= pid:
                    posting = candidate
                    break
                posting = candidate
                open_posting(candidate)
                close_posting()  # a posting skipped over has no entries
            else:
                posting = None
            if posting is not None and posting[0] == pid:
                open_posting(posting)
        digest = posting[13] if posting is not None and posting[0] == pid else ""
        if not digest:
            add(
                _("Dòng %(n)s: thuộc bút toán %(p)s không có trong sổ cái.") % {"n": number, "p": pid},
                link=True,
            )
        canonical = entry_canonical_text(
            number, pid, digest, fund_id, account_id, amount, cid, item, qty, vdate, posted
        )
        computed = sha256(f"{previous}\n{canonical}".encode()).hexdigest()
        if computed != stored:
            add(
                _(
                    "Dòng %(n)s: mã băm không khớp (đã lưu %(s)s…, tính lại %(c)s…): nội dung hoặc dòng trước đã bị sửa."
                )
                % {"n": number, "s": stored[:12], "c": computed[:12]},
                link=True,
            )
        previous = stored
        posting_lines += 1
        group_sum += amount
        if cid:
            campaign_counts[cid] += 1
            ccomputed = sha256(f"{campaign_previous.get(cid, GENESIS)}\n{canonical}".encode()).hexdigest()
            if ccomputed != cstored:
                add(
                    _("Dòng %(n)s: mã băm chuỗi cuộc vận động %(c)s không khớp.") % {"n": number, "c": cid},
                    link=True,
                )
            campaign_previous[cid] = cstored
            for d in campaign_digests.pop((cid, number), ()):
                if d["chain_hash"] != cstored or d["entries"] != campaign_counts[cid]:
                    add(
                        _("Tóm tắt ngày %(d)s của cuộc vận động %(c)s không khớp với sổ cái (dòng %(n)s).")
                        % {"d": d["day"].strftime("%d/%m/%Y"), "c": cid, "n": number}
                    )
        elif cstored:
            add(
                _("Dòng %(n)s: có mã băm cuộc vận động nhưng không gắn cuộc vận động.") % {"n": number},
                link=True,
            )
        sums[account_id] += amount
        if number in global_digests:
            for d in global_digests.pop(number):
                if d["chain_hash"] != stored:
                    add(
                        _("Tóm tắt ngày %(d)s (dòng %(n)s) không khớp với sổ cái: lịch sử đã bị viết lại.")
                        % {"d": d["day"].strftime("%d/%m/%Y"), "n": number}
                    )
        report.last_number, report.last_hash = number, stored
    close_posting()
    for rest in postings:  # postings after the last entry have no entries
        open_posting(rest)
        add(_("Bút toán %(p)s không có dòng nào trong sổ cái.") % {"p": rest[0]})

    for number, rows in sorted(global_digests.items()):
        for d in rows:
            add(
                _("Tóm tắt ngày %(d)s nhắc tới dòng %(n)s không còn trong sổ cái.")
                % {"d": d["day"].strftime("%d/%m/%Y"), "n": number}
            )
    for (cid, number), rows in sorted(campaign_digests.items()):
        for d in rows:
            add(
                _("Tóm tắt ngày %(d)s của cuộc vận động %(c)s nhắc tới dòng %(n)s không có trong chuỗi.")
                % {"d": d["day"].strftime("%d/%m/%Y"), "c": cid, "n": number}
            )
    for account_id, cached in Account.objects.values_list("pk", "balance"):
        if sums.get(account_id, 0) != cached:
            add(
                _("Tài khoản %(a)s: số dư lưu sẵn %(c)s khác tổng các dòng %(s)s.")
                % {"a": account_id, "c": cached, "s": sums.get(account_id, 0)}
            )
    head = ChainHead.objects.filter(pk=1).first()
    head_number, head_hash = (head.last_number, head.last_hash) if head else (0, GENESIS)
    if (head_number, head_hash) != (report.last_number, report.last_hash):
        add(
            _("Đầu chuỗi ghi dòng %(h)s nhưng sổ cái kết thúc ở dòng %(n)s.")
            % {"h": head_number, "n": report.last_number}
        )
    if not report.guards:
        add(_("Cơ sở dữ liệu không còn trigger chặn sửa, xóa sổ cái."))
    return report
