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

A stock count's approved difference, or a transfer that arrives short (or over), changes the goods
held too: relief calls `goods_adjust_post` in the same transaction, booking the difference
between goods in stock and goods lost (hao hụt) or goods found (thừa), accounts a fund gets the
first time it needs them.
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
from ..models import Account, AccountKind, Channel, Donation, Posting, PostingKind, RecordStatus
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


def _group(lines: list[GoodsOut], *, signed: bool) -> tuple[dict[int, list], dict[int, object]]:
    """The lines per fund, each matched to its gift's line of goods; refuses the whole batch."""
    by_fund: dict[int, list] = {}
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
        bad = (out.quantity == 0) if signed else (out.value < 0 or out.quantity <= 0)
        if bad:
            raise ValidationError({"items": _("Số lượng, giá trị xuất không hợp lệ.")})
        key, label = _line_key(donation, out.name, out.unit_label)
        funds[donation.fund_id] = donation.fund
        by_fund.setdefault(donation.fund_id, [])
        by_fund[donation.fund_id].append((donation.campaign_id, key, label, out.quantity, out.value))
    return by_fund, funds


def _with_adjustment_accounts(fund) -> dict[str, Account]:
    """The fund's accounts, adding the goods lost / goods found accounts the first time (a fund
    opened before them has none; the fund is locked, so two postings never add them twice)."""
    accounts = accounts_of(fund)
    missing = [k for k in (AccountKind.GOODS_LOSS, AccountKind.GOODS_GAIN) if k not in accounts]
    if missing:
        Account.objects.bulk_create([Account(fund=fund, kind=k) for k in missing], ignore_conflicts=True)
        accounts = accounts_of(fund)
    return accounts


def _post(
    by_fund,
    funds,
    *,
    recorded_by,
    unit_id,
    value_date,
    description,
    voucher,
    kind,
    accounts_for,
    lines_of,
    action,
):
    posting = None
    ledger.lock_funds(sorted(by_fund))
    for fund_id, rows in sorted(by_fund.items()):
        fund = funds[fund_id]
        require_open_fund(fund, value_date)
        accounts = accounts_for(fund)
        spec_lines = []
        for row in rows:
            spec_lines += lines_of(accounts, *row)
        posting = ledger.post(
            [
                ledger.PostingSpec(
                    kind=kind,
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
            action=action,
            obj=fund,
            data={"posting": posting.pk, "voucher": voucher, "value": sum(r[4] for r in rows)},
        )
    return posting


def _issued_lines(accounts, campaign_id, key, label, quantity, value) -> list[ledger.Line]:
    return [
        ledger.Line(accounts[AccountKind.GOODS_ISSUED], value, campaign_id, key, quantity, label),
        ledger.Line(accounts[AccountKind.GOODS], -value, campaign_id, key, -quantity, label),
    ]


def _adjusted_lines(accounts, campaign_id, key, label, quantity, value) -> list[ledger.Line]:
    other = accounts[AccountKind.GOODS_GAIN if quantity > 0 else AccountKind.GOODS_LOSS]
    return [
        ledger.Line(accounts[AccountKind.GOODS], value, campaign_id, key, quantity, label),
        ledger.Line(other, -value, campaign_id, key, -quantity, label),
    ]


@transaction.atomic
def goods_issue_post(
    *, recorded_by, unit_id: int, value_date: dt.date, description: str, voucher: str, lines: list[GoodsOut]
) -> Posting | None:
    """Post goods issued from gifts in kind (debit goods issued, credit goods in stock, per fund,
    campaign and item); one posting per fund.  Returns the last posting, or None with no lines."""
    by_fund, funds = _group(lines, signed=False)
    if not by_fund:
        return None
    return _post(
        by_fund,
        funds,
        recorded_by=recorded_by,
        unit_id=unit_id,
        value_date=value_date,
        description=description,
        voucher=voucher,
        kind=PostingKind.DISBURSEMENT,
        accounts_for=accounts_of,
        lines_of=_issued_lines,
        action="funds.goods.issued",
    )


@transaction.atomic
def goods_adjust_post(
    *, recorded_by, unit_id: int, value_date: dt.date, description: str, voucher: str, lines: list[GoodsOut]
) -> Posting | None:
    """Post goods of gifts in kind that a stock count or a transfer's receipt found missing or in
    excess: `quantity`/`value` signed (< 0 lost: debit goods lost, credit goods in stock; > 0 found:
    debit goods in stock, credit goods found); one posting per fund.  None with no lines."""
    by_fund, funds = _group(lines, signed=True)
    if not by_fund:
        return None
    return _post(
        by_fund,
        funds,
        recorded_by=recorded_by,
        unit_id=unit_id,
        value_date=value_date,
        description=description,
        voucher=voucher,
        kind=PostingKind.GOODS_ADJUSTMENT,
        accounts_for=_with_adjustment_accounts,
        lines_of=_adjusted_lines,
        action="funds.goods.adjusted",
    )
