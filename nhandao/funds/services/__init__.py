"""Every write to the humanitarian fund.

Each function checks the actor's permission on the unit it touches, validates,
writes and records an audit event in one transaction; money moves only through
`ledger.post`.  ValidationError messages are Vietnamese and name the field
(and the row, for batches).  `actor=None` is the system itself (seeding,
scheduled jobs); disbursements always need real users (maker ≠ checker).

The bank-statement import and other modules call:

* `donation_record(actor=…, channel=…, amount=…, received_on=…, unit=…|fund=…,
  campaign=…, bank_account=…, external_ref=…, counterparty_name=…,
  counterparty_account=…, memo=…, donor_name=…, display=…, pledge=…)`
* `donations_record_batch(actor=…, rows=[DonationInput(...), …])`: all or nothing;
  a repeated (bank account, external_ref) is refused with the row number.
* `disbursement_match_bank_line(actor=…, disbursement=…, bank_reference=…, matched_on=…)`
* `goods_issue_post(recorded_by=…, unit_id=…, value_date=…, description=…, voucher=…,
  lines=[GoodsOut(donation, name, unit_label, quantity, value)])`: relief goods from a gift in
  kind leaving a warehouse (goods issued / goods in stock), see services/goods.py.
* `goods_adjust_post(…same…, lines=[GoodsOut(…, quantity, value)])` with signed quantities: goods of
  a gift found missing (< 0: goods lost / goods in stock) or in excess (> 0: goods in stock / goods
  found) by an approved stock count or a transfer's receipt.

Help to people: `disbursement_draft(…, cases=[CaseShare(case, amount, duplicate_reason)])`
names beneficiary cases; approval makes their help records through
`nhandao.beneficiaries.api` and a reversal cancels them (see funds/README.md).
"""

from .disbursements import (
    CaseShare,
    DoubleHelpNeedsReason,
    disbursement_approve,
    disbursement_draft,
    disbursement_match_bank_line,
    disbursement_reject,
    disbursement_withdraw,
)
from .donations import (
    DonationInput,
    GoodsLine,
    donation_record,
    donation_set_display,
    donations_record_batch,
    public_names_rebuild,
)
from .donors import attachment_add, donor_create, donor_update
from .funds import (
    bank_account_confirm,
    bank_account_create,
    bank_account_declare,
    bank_account_set_active,
    bank_ledger_account,
    can_confirm_bank_accounts,
    fund_close,
    fund_create,
    fund_for,
)
from .goods import GoodsOut, goods_adjust_post, goods_issue_post
from .pledges import donation_apply_to_pledge, outstanding, pledge_cancel, pledge_record
from .reversals import disbursement_reverse, donation_reverse, posting_reverse

__all__ = [
    "CaseShare",
    "DonationInput",
    "DoubleHelpNeedsReason",
    "GoodsLine",
    "GoodsOut",
    "attachment_add",
    "bank_account_confirm",
    "bank_account_create",
    "bank_account_declare",
    "bank_account_set_active",
    "bank_ledger_account",
    "can_confirm_bank_accounts",
    "disbursement_approve",
    "disbursement_draft",
    "disbursement_match_bank_line",
    "disbursement_reject",
    "disbursement_reverse",
    "disbursement_withdraw",
    "donation_apply_to_pledge",
    "donation_record",
    "donation_reverse",
    "donation_set_display",
    "donations_record_batch",
    "donor_create",
    "donor_update",
    "fund_close",
    "fund_create",
    "fund_for",
    "goods_adjust_post",
    "goods_issue_post",
    "public_names_rebuild",
    "outstanding",
    "pledge_cancel",
    "pledge_record",
    "posting_reverse",
]
