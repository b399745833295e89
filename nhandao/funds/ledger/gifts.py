"""What the public sees of a gift, held against the chain.

The portal publishes each gift's amount, date, fund and campaign from the `Donation` row; the
chain commits to the posting's entries.  A row changed behind the services' back (an UPDATE of
`funds_donation.amount`) would otherwise show a figure the chain never held while the chain itself
verifies intact.  So the figures are read back from the chained entries of the gift's own posting:
its amount is what the income accounts received (money or goods; pledge lines excluded), its date
the entries' value date, its fund and campaign theirs.  `verify_ledger` checks every gift this way
and the public receipt check shows the chain's figure, with a warning when the row disagrees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from ..models import AccountKind, PostingKind

_INCOME = (AccountKind.INCOME.value, AccountKind.INCOME_GOODS.value)

_SQL = f"""
SELECT d.id, d.amount, d.received_on, d.fund_id, d.campaign_id,
       -SUM(e.amount), MIN(e.value_date), MAX(e.value_date), MIN(e.fund_id), MAX(e.fund_id),
       MIN(e.campaign_id), MAX(e.campaign_id)
FROM funds_donation d
JOIN funds_posting p ON p.donation_id = d.id AND p.kind = '{PostingKind.DONATION.value}'
JOIN funds_entry e ON e.posting_id = p.id
JOIN funds_account a ON a.id = e.account_id AND a.kind IN ('{_INCOME[0]}', '{_INCOME[1]}')
{{where}}
GROUP BY d.id, d.amount, d.received_on, d.fund_id, d.campaign_id
{{having}}
ORDER BY d.id
"""

# Portable: no IS DISTINCT FROM (SQLite spells it differently); campaign ids are never 0.
_DIFFERS = (
    "HAVING -SUM(e.amount) <> d.amount OR MIN(e.value_date) <> d.received_on "
    "OR MAX(e.value_date) <> d.received_on OR MIN(e.fund_id) <> d.fund_id OR MAX(e.fund_id) <> d.fund_id "
    "OR COALESCE(MIN(e.campaign_id), 0) <> COALESCE(d.campaign_id, 0) "
    "OR COALESCE(MAX(e.campaign_id), 0) <> COALESCE(d.campaign_id, 0)"
)

_UNPOSTED = f"""
SELECT d.id FROM funds_donation d
WHERE NOT EXISTS (
    SELECT 1 FROM funds_posting p WHERE p.donation_id = d.id AND p.kind = '{PostingKind.DONATION.value}'
)
ORDER BY d.id
"""


@dataclass(frozen=True)
class ChainedGift:
    donation_id: int
    amount: int  # what the chain holds
    value_date: dt.date
    fund_id: int
    campaign_id: int | None
    row_amount: int  # what the Donation row says
    row_date: dt.date
    row_fund_id: int
    row_campaign_id: int | None

    @property
    def matches(self) -> bool:
        return (self.amount, self.value_date, self.fund_id, self.campaign_id) == (
            self.row_amount,
            self.row_date,
            self.row_fund_id,
            self.row_campaign_id,
        )


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _gift(row) -> ChainedGift:
    pk, amount, received, fund, campaign, chained, dmin, dmax, fmin, fmax, cmin, cmax = row
    # A gift whose entries disagree among themselves is reported with its first value.
    return ChainedGift(
        donation_id=pk,
        amount=int(chained),
        value_date=_date(dmin) if dmin == dmax else _date(dmax),
        fund_id=fmin if fmin == fmax else fmax,
        campaign_id=cmin if cmin == cmax else cmax,
        row_amount=amount,
        row_date=_date(received),
        row_fund_id=fund,
        row_campaign_id=campaign,
    )


def chained_gift(donation_id: int) -> ChainedGift | None:
    """The gift as its posting's entries give it (None: the gift has no posting)."""
    with connection.cursor() as cursor:
        cursor.execute(_SQL.format(where="WHERE d.id = %s", having=""), [donation_id])
        row = cursor.fetchone()
    return _gift(row) if row else None


def gift_mismatches(limit: int = 50) -> tuple[list[ChainedGift], list[int], int]:
    """Gifts whose row disagrees with the chain (at most `limit`), gifts without any posting
    (at most `limit`), and how many gifts disagree or lack a posting in all."""
    with connection.cursor() as cursor:
        cursor.execute(_SQL.format(where="", having=_DIFFERS))
        differing = cursor.fetchall()
        cursor.execute(_UNPOSTED)
        unposted = [row[0] for row in cursor.fetchall()]
    return [_gift(row) for row in differing[:limit]], unposted[:limit], len(differing) + len(unposted)
