"""Building, checking and writing postings: balance, locks, non-negative assets, the hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit, bulk
from nhandao.core.formatting import money

from ..models import (
    ASSET_KINDS,
    Account,
    AccountKind,
    ChainHead,
    Entry,
    Fund,
    Posting,
)
from . import clock
from .canonical import (
    CURRENT_POSTING_VERSION,
    GENESIS,
    POSTING_FIELDS,
    QUANTUM,
    entry_canonical_text,
    new_salt,
    posting_canonical_v2_text,
    posting_digest,
    quantity_text,
    text_hash,
    utc_iso,
)
from .digests import make_digests


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
PostingRow = bulk.row_type(
    Posting,
    (*POSTING_FIELDS, "digest", "canonical_version", "text_salt", "description_hash", "reason_hash"),
)
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
    posted_at = posted_at or clock.set_moment()
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
            # Posting v2: the chain commits to salted hashes of the free texts, never to a name.
            salt = new_salt()
            description_hash = text_hash(salt, fields["description"])
            reason_hash = text_hash(salt, fields["reason"])
            digest = posting_digest(
                posting_canonical_v2_text(
                    posting_id,
                    spec.kind,
                    spec.unit_id,
                    spec.value_date.isoformat(),
                    fields["voucher"],
                    description_hash,
                    reason_hash,
                    spec.donation_id,
                    spec.disbursement_id,
                    spec.pledge_id,
                    spec.reverses_id,
                    created_by_id,
                    posted_text,
                )
            )
            digests.append(digest)
            yield PostingRow(
                **fields,
                digest=digest,
                canonical_version=CURRENT_POSTING_VERSION,
                text_salt=salt,
                description_hash=description_hash,
                reason_hash=reason_hash,
            )

    def entry_rows():
        nonlocal number, previous
        sha256 = hashlib.sha256
        for posting_id, spec, digest in zip(posting_ids, specs, digests, strict=True):
            value_text = spec.value_date.isoformat()
            for line in spec.lines:
                number += 1
                account = line.account
                account_id = account.id
                quantity = None if line.quantity is None else Decimal(line.quantity).quantize(QUANTUM)
                canonical = entry_canonical_text(
                    number,
                    posting_id,
                    digest,
                    account.fund_id,
                    account_id,
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
                deltas[account_id] += line.amount
                yield EntryRow(
                    number=number,
                    posting_id=posting_id,
                    fund_id=account.fund_id,
                    account_id=account_id,
                    amount=line.amount,
                    campaign_id=line.campaign_id,
                    item=line.item,
                    quantity=quantity,
                    value_date=spec.value_date,
                    posted_at=now,
                    hash=previous,
                    campaign_hash=campaign_hash,
                )

    # Pure computation (no query): each streamed in one COPY (core.bulk, stream=True).
    bulk.insert(PostingRow, posting_rows(), stream=True)
    bulk.insert(EntryRow, entry_rows(), stream=True)
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
