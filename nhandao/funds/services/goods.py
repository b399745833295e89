"""Goods given in kind that leave a warehouse, booked in the fund's ledger (issue 18).

The relief module keeps the physical stock (warehouses, lots, movements); the fund's ledger keeps
its value.  A gift in kind enters the ledger when the fund records the donation (goods in stock /
income in kind); when relief goods from that gift are handed out, relief calls
`goods_issue_post` in its own transaction, so that the ledger's goods in stock fall and its goods
issued rise by the same value the warehouse book says, and the two never disagree.

Relief decides access itself (its distributor holds relief.distribute, not funds.approve): the
caller passes `recorded_by` after its own check, as with `beneficiaries.api.help_record_create`.
Goods bought with the fund's money were booked as a payment when paid: they are not goods in
stock of the ledger and are not posted here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhandao.core import audit

from .. import ledger
from ..models import AccountKind, Channel, Donation, Posting, PostingKind, RecordStatus
from ._common import accounts_of, item_key, require_open_fund


@dataclass(frozen=True)
class GoodsOut:
    """Goods from one gift in kind leaving the warehouse: `name`/`unit_label` as the warehouse
    calls them, matched to the gift's line of goods (same name and unit, or the gift's only line)."""

    donation: Donation
    name: str
    unit_label: str
    quantity: Decimal
    value: int


def _line_key(donation: Donation, name: str, unit_label: str) -> tuple[str, str]:
    items = list(donation.items.all())
    wanted = item_key(name, unit_label)
    for item in items:
        if item.item_key == wanted:
            return item.item_key, item.name
    if len(items) == 1:
        return items[0].item_key, items[0].name
    raise ValidationError(
        {
            "items": _("Không tìm thấy mặt hàng “%(n)s” (%(u)s) trong phiếu thu hiện vật %(r)s.")
            % {"n": name, "u": unit_label, "r": donation.receipt_label}
        }
    )


@transaction.atomic
def goods_issue_post(
    *, recorded_by, unit_id: int, value_date: dt.date, description: str, voucher: str, lines: list[GoodsOut]
) -> Posting | None:
    """Post goods issued from gifts in kind (debit goods issued, credit goods in stock, per fund,
    campaign and item); one posting per fund.  Returns the last posting, or None with no lines."""
    by_fund: dict[int, list[ledger.Line]] = {}
    funds = {}
    for out in lines:
        donation = out.donation
        if donation.channel != Channel.IN_KIND or donation.status != RecordStatus.POSTED:
            raise ValidationError(
                {
                    "donation": _("Phiếu thu %(r)s không phải hiện vật còn hiệu lực.")
                    % {"r": donation.receipt_label}
                }
            )
        if out.value < 0 or out.quantity <= 0:
            raise ValidationError({"items": _("Số lượng, giá trị xuất không hợp lệ.")})
        key, label = _line_key(donation, out.name, out.unit_label)
        funds[donation.fund_id] = donation.fund
        by_fund.setdefault(donation.fund_id, [])
        by_fund[donation.fund_id].append((donation.campaign_id, key, label, out.quantity, out.value))
    posting = None
    if not by_fund:
        return None
    ledger.lock_funds(sorted(by_fund))
    for fund_id, rows in sorted(by_fund.items()):
        fund = funds[fund_id]
        require_open_fund(fund, value_date)
        accounts = accounts_of(fund)
        spec_lines = []
        for campaign_id, key, label, quantity, value in rows:
            spec_lines += [
                ledger.Line(accounts[AccountKind.GOODS_ISSUED], value, campaign_id, key, quantity, label),
                ledger.Line(accounts[AccountKind.GOODS], -value, campaign_id, key, -quantity, label),
            ]
        posting = ledger.post(
            [
                ledger.PostingSpec(
                    kind=PostingKind.DISBURSEMENT,
                    unit_id=unit_id,
                    value_date=value_date,
                    description=description[:300],
                    voucher=voucher[:40],
                    lines=spec_lines,
                )
            ],
            actor=recorded_by,
        )[0]
        audit.record(
            actor=recorded_by,
            action="funds.goods.issued",
            obj=fund,
            data={"posting": posting.pk, "voucher": voucher, "value": sum(r[4] for r in rows)},
        )
    return posting
