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
    posting v2 (every posting written since migration 0012; `Posting.canonical_version`):
             ["nhandao-posting-v2", id, kind, unit_id, value_date, voucher,
              description_hash, reason_hash, donation_id, …, created_at]
             with text_hash = sha256(salt + "\n" + text), the salt stored beside it
    digest   = sha256(canonical)

A v2 posting's texts can be shredded (a donor's or payee's name replaced, the salt destroyed:
`redaction`) without touching its digest, so the chain and the published digests still hold.

An entry commits to its posting through the posting's digest, so a change to a
posting's description is caught too.  The campaign chain lets anyone check the
public entries of one campaign without downloading the whole ledger.

The engine is one module per concern: `canonical` (what is hashed, and how), `clock` (the wall
clock or a moment of the past books), `posting` (checks, locks and writing postings), `digests`
(the daily digests, and the head's anchor to the latest one), `redaction` (shredding names from v2
postings), `gifts` (the public figures held against the chain) and `verification` (recomputing it all).  This package re-exports their
public names: callers write `ledger.post(...)`, `ledger.verify()`.
"""

from __future__ import annotations

from .canonical import (
    ENTRY_VERSION,
    GENESIS,
    POSTING_FIELDS,
    POSTING_VERSION,
    QUANTUM,
    chain,
    entry_canonical,
    entry_canonical_text,
    posting_canonical,
    posting_canonical_text,
    posting_canonical_v2_text,
    posting_digest,
    quantity_text,
    text_hash,
    utc_iso,
)
from .clock import (
    backdated,
    now,
)
from .digests import (
    make_digests,
)
from .gifts import (
    ChainedGift,
    chained_gift,
    gift_mismatches,
)
from .posting import (
    POSTING_CHECKS,
    EntryRow,
    Line,
    PostingRow,
    PostingSpec,
    Unbalanced,
    add_posting_check,
    after_balance_check,
    lock_funds,
    lock_head,
    post,
    post_ids,
    reversal_lines,
    stock,
)
from .redaction import (
    Redaction,
    redact,
    with_reversals,
)
from .verification import (
    Report,
    guards_present,
    verify,
)

__all__ = [
    "ChainedGift",
    "chained_gift",
    "gift_mismatches",
    "ENTRY_VERSION",
    "EntryRow",
    "GENESIS",
    "Line",
    "POSTING_CHECKS",
    "POSTING_FIELDS",
    "POSTING_VERSION",
    "PostingRow",
    "PostingSpec",
    "QUANTUM",
    "Redaction",
    "Report",
    "Unbalanced",
    "add_posting_check",
    "after_balance_check",
    "backdated",
    "chain",
    "entry_canonical",
    "entry_canonical_text",
    "guards_present",
    "lock_funds",
    "lock_head",
    "make_digests",
    "now",
    "post",
    "post_ids",
    "posting_canonical",
    "posting_canonical_text",
    "posting_canonical_v2_text",
    "posting_digest",
    "quantity_text",
    "redact",
    "reversal_lines",
    "stock",
    "text_hash",
    "utc_iso",
    "verify",
    "with_reversals",
]
