"""Pledges: a promise is a receivable (Dr pledges receivable / Cr pledges not yet received).

Income is recognised only when money arrives: a gift applied to a pledge posts
its money as income and, in the same posting, moves the applied part out of
the receivable.  Writing off what is left of a pledge clears the receivable.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit, refcodes
from nhandao.core.access import FUNDS_APPROVE, FUNDS_RECORD
from nhandao.core.formatting import money
from nhandao.core.money import whole_dong
from nhandao.core.text import clean_spaces, search_key
from nhandao.org.access import require

from .. import ledger
from ..models import (
    AccountKind,
    Channel,
    Display,
    Donation,
    Donor,
    Fund,
    Pledge,
    PledgeFulfilment,
    PledgeStatus,
    PostingKind,
    RecordStatus,
)
from ._common import (
    accounts_of,
    not_in_future,
    outstanding,
    outstanding_locked,
    public_name,
    require_open_fund,
)
from .donations import DonationInput, _resolve_target


@transaction.atomic
def pledge_record(
    *,
    actor,
    amount,
    pledged_on: dt.date,
    fund: Fund | None = None,
    unit=None,
    campaign=None,
    donor: Donor | None = None,
    donor_name: str = "",
    display: str | None = None,
    due_on: dt.date | None = None,
    note: str = "",
) -> Pledge:
    fund, campaign = _resolve_target(
        actor, DonationInput(channel=Channel.BANK, fund=fund, unit=unit, campaign=campaign)
    )
    require(actor, FUNDS_RECORD, fund.unit)
    amount = whole_dong(amount)
    pledged_on = not_in_future(pledged_on, "pledged_on")
    if due_on is not None and due_on < pledged_on:
        raise ValidationError({"due_on": _("Hạn thực hiện phải sau ngày cam kết.")})
    name = clean_spaces(donor_name) or (donor.name if donor else "")
    if not name:
        raise ValidationError({"donor_name": _("Hãy nhập tên tổ chức, cá nhân cam kết.")})
    display = display or (donor.display if donor else Display.FULL)
    fund = ledger.lock_funds([fund.pk])[fund.pk]
    require_open_fund(fund, pledged_on)
    pledge = Pledge(
        unit=fund.unit,
        fund=fund,
        campaign=campaign,
        donor=donor,
        donor_name=name[:200],
        display=display,
        public_name=public_name(name, display)[:200],
        amount=amount,
        pledged_on=pledged_on,
        due_on=due_on,
        code=refcodes.new_code(refcodes.taken),
        note=clean_spaces(note)[:500],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_at=ledger.now(),
        search_key=search_key(name),
    )
    pledge.full_clean()
    pledge.save()
    accounts = accounts_of(fund)
    cid = campaign.pk if campaign else None
    posting = ledger.post(
        [
            ledger.PostingSpec(
                kind=PostingKind.PLEDGE,
                unit_id=fund.unit_id,
                value_date=pledged_on,
                description=f"Cam kết ủng hộ của {name} — {campaign.name if campaign else fund.name}",
                voucher=f"CK-{pledge.code}",
                pledge_id=pledge.pk,
                lines=[
                    ledger.Line(accounts[AccountKind.PLEDGES], amount, cid),
                    ledger.Line(accounts[AccountKind.PLEDGES_DEFERRED], -amount, cid),
                ],
            )
        ],
        actor=actor,
    )[0]
    audit.record(
        actor=actor,
        action="funds.pledge.recorded",
        obj=pledge,
        changes=audit.created(pledge),
        data={"posting": posting.pk},
    )
    return pledge


@transaction.atomic
def pledge_cancel(*, actor, pledge: Pledge, reason: str) -> Pledge:
    """Write off what is left of a pledge (the donor withdrew, the due date passed)."""
    fund = ledger.lock_funds([pledge.fund_id])[pledge.fund_id]
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    require(actor, FUNDS_APPROVE, pledge.unit)
    reason = clean_spaces(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do hủy cam kết.")})
    if pledge.status != PledgeStatus.OPEN:
        raise ValidationError(_("Cam kết đã %(s)s.") % {"s": pledge.get_status_display().lower()})
    left = outstanding(pledge)
    if left <= 0:
        raise ValidationError(_("Cam kết không còn phần chưa thực hiện."))
    require_open_fund(fund)
    accounts = accounts_of(fund)
    cid = pledge.campaign_id
    posting = ledger.post(
        [
            ledger.PostingSpec(
                kind=PostingKind.PLEDGE_CANCEL,
                unit_id=pledge.unit_id,
                value_date=timezone.localdate(ledger.now()),
                description=f"Hủy phần còn lại của cam kết {pledge.code} ({pledge.donor_name})",
                voucher=f"CK-{pledge.code}",
                reason=reason,
                pledge_id=pledge.pk,
                lines=[
                    ledger.Line(accounts[AccountKind.PLEDGES_DEFERRED], left, cid),
                    ledger.Line(accounts[AccountKind.PLEDGES], -left, cid),
                ],
            )
        ],
        actor=actor,
    )[0]
    Pledge.objects.filter(pk=pledge.pk).update(
        status=PledgeStatus.CANCELLED,
        cancelled_amount=pledge.cancelled_amount + left,
        cancel_reason=reason[:300],
    )
    pledge.refresh_from_db()
    audit.record(
        actor=actor,
        action="funds.pledge.cancelled",
        obj=pledge,
        changes={
            "status": {"before": "open", "after": "cancelled"},
            "cancelled_amount": {"before": 0, "after": left},
        },
        data={"posting": posting.pk, "reason": reason},
    )
    return pledge


@transaction.atomic
def donation_apply_to_pledge(*, actor, donation: Donation, pledge: Pledge) -> PledgeFulfilment:
    """Count a gift already recorded towards a pledge (e.g. a transfer that arrived without the pledge's code)."""
    fund = ledger.lock_funds([donation.fund_id])[donation.fund_id]
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    require(actor, FUNDS_RECORD, donation.unit)
    status, left = outstanding_locked(pledge.pk)
    pledge.refresh_from_db()
    if donation.status != RecordStatus.POSTED:
        raise ValidationError(_("Khoản ủng hộ đã bị hủy."))
    if donation.pledge_id is not None:
        raise ValidationError({"pledge": _("Khoản ủng hộ đã được ghi vào một cam kết.")})
    if donation.channel == Channel.IN_KIND:
        raise ValidationError({"pledge": _("Chỉ ủng hộ bằng tiền mới được ghi vào cam kết.")})
    if pledge.fund_id != donation.fund_id:
        raise ValidationError({"pledge": _("Cam kết thuộc quỹ khác với khoản ủng hộ.")})
    if pledge.campaign_id != donation.campaign_id:
        raise ValidationError({"pledge": _("Cam kết thuộc cuộc vận động khác với khoản ủng hộ.")})
    if status != PledgeStatus.OPEN or left <= 0:
        raise ValidationError(
            {"pledge": _("Cam kết %(c)s không còn phần chưa thực hiện.") % {"c": pledge.code}}
        )
    applied = min(donation.amount, left)
    accounts = accounts_of(fund)
    posting = ledger.post(
        [
            ledger.PostingSpec(
                kind=PostingKind.PLEDGE_FULFILMENT,
                unit_id=donation.unit_id,
                value_date=timezone.localdate(ledger.now()),
                description=f"Ghi khoản ủng hộ {donation.receipt_label} vào cam kết {pledge.code}",
                voucher=donation.receipt_label,
                donation_id=donation.pk,
                pledge_id=pledge.pk,
                lines=[
                    ledger.Line(accounts[AccountKind.PLEDGES_DEFERRED], applied, pledge.campaign_id),
                    ledger.Line(accounts[AccountKind.PLEDGES], -applied, pledge.campaign_id),
                ],
            )
        ],
        actor=actor,
    )[0]
    fulfilment = PledgeFulfilment.objects.create(
        pledge=pledge, donation=donation, amount=applied, posting=posting
    )
    Donation.objects.filter(pk=donation.pk).update(pledge=pledge)
    if left - applied == 0:
        Pledge.objects.filter(pk=pledge.pk).update(status=PledgeStatus.FULFILLED)
    audit.record(
        actor=actor,
        action="funds.pledge.applied",
        obj=pledge,
        changes={"fulfilled": {"before": None, "after": applied}},
        data={
            "donation": donation.pk,
            "receipt": donation.receipt_label,
            "posting": posting.pk,
            "amount": money(applied),
        },
    )
    return fulfilment
