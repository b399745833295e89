"""The humanitarian fund: funds, accounts, donors, gifts, pledges, payments and the ledger.

Money is whole đồng in integer columns.  The ledger is double entry: every event
(a gift, a pledge, an approved payment, a transfer, a reversal) is one `Posting`
whose `Entry` rows sum to zero.  Balances are sums of entries; `Account.balance`
is a cache that `verify_ledger` recomputes and compares.

Postings, entries and daily digests are append-only: the models refuse updates
and deletes, and the database refuses them too (a PostgreSQL trigger, SQLite
triggers; see migration 0002).  Each entry carries a SHA-256 hash chaining the
previous entry's hash with a canonical serialisation of its own content (see
`funds/ledger/`), so a change made behind the application's back is detected.

The business records around the ledger (donations, pledges, disbursements) are
ordinary rows whose money fields never change after posting: corrections are
reversing postings, and the records only change status.

The models live in one module per subject; this package re-exports them, so
`from nhandao.funds.models import Donation` is the one way to import them.
"""

from .disbursements import (
    CASE_DISBURSEMENTS,
    FUND_TO_CASE_HELP_KIND,
    GOODS_DISBURSEMENTS,
    MAX_CASES_PER_DISBURSEMENT,
    MONEY_DISBURSEMENTS,
    TRANSFERS,
    Disbursement,
    DisbursementCase,
    DisbursementItem,
    DisbursementKind,
    DisbursementStatus,
    HelpKind,
)
from .donations import (
    ACCOUNT_SUFFIX,
    Attachment,
    Channel,
    Donation,
    DonationItem,
    PublicName,
    RecordStatus,
)
from .donors import (
    ANONYMOUS_NAME,
    Display,
    Donor,
    DonorKind,
)
from .funds import (
    ASSET_KINDS,
    MONEY_KINDS,
    ON_DEMAND_KINDS,
    STANDARD_KINDS,
    Account,
    AccountKind,
    BankAccount,
    Fund,
    FundKind,
    FundStatus,
)
from .ledger import (
    AppendOnlyModel,
    AppendOnlyQuerySet,
    ChainHead,
    Entry,
    LedgerDigest,
    LedgerImmutable,
    Posting,
    PostingKind,
)
from .numbering import (
    NumberSeries,
)
from .pledges import (
    Pledge,
    PledgeFulfilment,
    PledgeStatus,
)

__all__ = [
    "ACCOUNT_SUFFIX",
    "ANONYMOUS_NAME",
    "ASSET_KINDS",
    "Account",
    "AccountKind",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "Attachment",
    "BankAccount",
    "CASE_DISBURSEMENTS",
    "ChainHead",
    "Channel",
    "NumberSeries",
    "Disbursement",
    "DisbursementCase",
    "DisbursementItem",
    "DisbursementKind",
    "DisbursementStatus",
    "Display",
    "Donation",
    "DonationItem",
    "Donor",
    "DonorKind",
    "Entry",
    "FUND_TO_CASE_HELP_KIND",
    "Fund",
    "FundKind",
    "FundStatus",
    "GOODS_DISBURSEMENTS",
    "HelpKind",
    "LedgerDigest",
    "LedgerImmutable",
    "MAX_CASES_PER_DISBURSEMENT",
    "MONEY_DISBURSEMENTS",
    "MONEY_KINDS",
    "ON_DEMAND_KINDS",
    "Pledge",
    "PledgeFulfilment",
    "PledgeStatus",
    "Posting",
    "PostingKind",
    "PublicName",
    "RecordStatus",
    "STANDARD_KINDS",
    "TRANSFERS",
]
