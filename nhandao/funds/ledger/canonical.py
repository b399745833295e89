"""Canonical serialisation and hashing: exactly what the chain commits to (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from decimal import Decimal

GENESIS = "0" * 64

ENTRY_VERSION = "nhandao-ledger-v1"
POSTING_VERSION = "nhandao-posting-v1"
# Posting v2 commits to a salted hash of its free texts (description, reason: they can carry a
# donor's or payee's name) instead of the texts, so that shredding a person can replace the text
# and destroy the salt without touching the chain.  Postings written before keep v1.
POSTING_VERSION_2 = "nhandao-posting-v2"
POSTING_VERSIONS = {1: POSTING_VERSION, 2: POSTING_VERSION_2}
CURRENT_POSTING_VERSION = 2
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


def new_salt() -> str:
    """A fresh random salt for one posting's personal texts (128 bits, hex)."""
    return secrets.token_hex(16)


def text_hash(salt: str, text: str) -> str:
    """What a v2 posting commits to instead of a free text: sha256(salt + "\\n" + text), hex.

    Without the salt nobody can test a guessed name against the hash; shredding destroys it."""
    return hashlib.sha256(f"{salt}\n{text}".encode()).hexdigest()


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


def posting_canonical_v2_text(
    id,
    kind,
    unit_id,
    value_date_text,
    voucher,
    description_hash,
    reason_hash,
    donation_id,
    disbursement_id,
    pledge_id,
    reverses_id,
    created_by_id,
    created_at_text,
) -> str:
    """Posting v2: like v1, with the description and reason replaced by their salted hashes."""
    return _dumps(
        [
            POSTING_VERSION_2,
            id,
            kind,
            unit_id,
            value_date_text,
            voucher,
            description_hash,
            reason_hash,
            donation_id,
            disbursement_id,
            pledge_id,
            reverses_id,
            created_by_id,
            created_at_text,
        ]
    )
