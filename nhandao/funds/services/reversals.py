"""Corrections: a reversing posting with a reason; the original and its reversal both stay."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.beneficiaries import api as beneficiaries
from nhandao.core import audit
from nhandao.core.access import FUNDS_APPROVE
from nhandao.core.formatting import date as fmt_date
from nhandao.core.text import clean_spaces
from nhandao.org.access import require

from .. import ledger
from ..models import (
    Disbursement,
    DisbursementCase,
    DisbursementStatus,
    Donation,
    Entry,
    Pledge,
    PledgeFulfilment,
    PledgeStatus,
    Posting,
    PostingKind,
    RecordStatus,
)
from ._common import outstanding


def _reverse_one(actor, posting: Posting, reason: str, on: dt.date) -> Posting:
    if posting.kind == PostingKind.REVERSAL:
        raise ValidationError(_("Không đảo một bút toán đảo; hãy ghi nhận lại nghiệp vụ đúng."))
    if Posting.objects.filter(reverses=posting).exists():
        reversal = Posting.objects.get(reverses=posting)
        raise ValidationError(
            _("Bút toán %(p)s đã được đảo ngày %(d)s (bút toán %(r)s).")
            % {"p": posting.pk, "d": fmt_date(reversal.value_date), "r": reversal.pk}
        )
    if getattr(actor, "is_authenticated", False):
        makers = {posting.created_by_id}
        if posting.disbursement_id:
            makers.add(posting.disbursement.drafted_by_id)
        if actor.pk in makers:
            raise ValidationError(
                _("Người đảo bút toán phải khác người đã ghi hoặc lập nghiệp vụ gốc: nguyên tắc hai người.")
            )
    return ledger.post(
        [
            ledger.PostingSpec(
                kind=PostingKind.REVERSAL,
                unit_id=posting.unit_id,
                value_date=on,
                description=f"Đảo bút toán {posting.pk}: {posting.description}",
                voucher=posting.voucher,
                reason=reason,
                donation_id=posting.donation_id,
                disbursement_id=posting.disbursement_id,
                pledge_id=posting.pledge_id,
                reverses_id=posting.pk,
                lines=ledger.reversal_lines(posting),
            )
        ],
        actor=actor,
    )[0]


def _refresh_pledge(pledge_id: int) -> None:
    pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
    left = outstanding(pledge)
    if pledge.status == PledgeStatus.FULFILLED and left > 0:
        Pledge.objects.filter(pk=pledge_id).update(status=PledgeStatus.OPEN)
    elif pledge.status == PledgeStatus.OPEN and left == 0:
        Pledge.objects.filter(pk=pledge_id).update(status=PledgeStatus.FULFILLED)


def _cancel_help(actor, disbursement: Disbursement, reason: str) -> None:
    """The help records a reversed payment made are cancelled with it (in its transaction)."""
    links = DisbursementCase.objects.filter(
        disbursement=disbursement, help_record__isnull=False, help_record__status="valid"
    ).select_related("help_record")
    for link in links:
        beneficiaries.help_record_cancel(
            actor=None,
            cancelled_by=actor,
            record=link.help_record,
            reason=_("Đảo khoản chi %(v)s: %(r)s") % {"v": disbursement.voucher_label, "r": reason},
        )


@transaction.atomic
def posting_reverse(*, actor, posting: Posting, reason: str, on: dt.date | None = None) -> Posting:
    """Reverse a posting (and what depends on it) and mark its record reversed."""
    posting = Posting.objects.select_related("unit", "disbursement").get(pk=posting.pk)
    require(actor, FUNDS_APPROVE, posting.unit)
    reason = clean_spaces(reason)
    if len(reason) < 5:
        raise ValidationError({"reason": _("Hãy ghi rõ lý do đảo bút toán.")})
    on = on or timezone.localdate(ledger.now())
    # Lock every fund the posting touched before looking at what was reversed already.
    ledger.lock_funds(Entry.objects.filter(posting=posting).values_list("fund_id", flat=True))
    reversals = []
    if posting.kind == PostingKind.DONATION:
        # A gift applied to a pledge later: undo that application first.
        later = PledgeFulfilment.objects.filter(donation_id=posting.donation_id, reversed=False).exclude(
            posting=posting
        )
        for fulfilment in later.select_related("posting"):
            reversals.append(_reverse_one(actor, fulfilment.posting, reason, on))
    if (
        posting.kind == PostingKind.PLEDGE
        and PledgeFulfilment.objects.filter(pledge_id=posting.pledge_id, reversed=False).exists()
    ):
        raise ValidationError(
            _(
                "Cam kết đã có khoản ủng hộ được ghi vào; hãy hủy phần còn lại của cam kết thay vì đảo bút toán."
            )
        )
    reversal = _reverse_one(actor, posting, reason, on)
    reversals.append(reversal)

    kind = posting.kind
    if kind == PostingKind.DONATION:
        Donation.objects.filter(pk=posting.donation_id).update(status=RecordStatus.REVERSED)
        touched = set(
            PledgeFulfilment.objects.filter(donation_id=posting.donation_id, reversed=False).values_list(
                "pledge_id", flat=True
            )
        )
        PledgeFulfilment.objects.filter(donation_id=posting.donation_id).update(reversed=True)
        for pledge_id in touched:
            _refresh_pledge(pledge_id)
    elif kind == PostingKind.PLEDGE_FULFILMENT:
        PledgeFulfilment.objects.filter(posting=posting).update(reversed=True)
        Donation.objects.filter(pk=posting.donation_id).update(pledge=None)
        _refresh_pledge(posting.pledge_id)
    elif kind == PostingKind.PLEDGE:
        pledge = Pledge.objects.select_for_update().get(pk=posting.pledge_id)
        Pledge.objects.filter(pk=pledge.pk).update(
            status=PledgeStatus.CANCELLED, cancelled_amount=pledge.amount, cancel_reason=reason[:300]
        )
    elif kind == PostingKind.PLEDGE_CANCEL:
        amount = sum(e.amount for e in posting.entries.all() if e.amount > 0)
        pledge = Pledge.objects.select_for_update().get(pk=posting.pledge_id)
        Pledge.objects.filter(pk=pledge.pk).update(
            status=PledgeStatus.OPEN,
            cancelled_amount=max(0, pledge.cancelled_amount - amount),
            cancel_reason="",
        )
    elif kind in (PostingKind.DISBURSEMENT, PostingKind.TRANSFER):
        Disbursement.objects.filter(pk=posting.disbursement_id).update(status=DisbursementStatus.REVERSED)
        _cancel_help(actor, posting.disbursement, reason)

    obj = posting.donation or posting.disbursement or posting.pledge or posting
    audit.record(
        actor=actor,
        action=f"funds.{obj._meta.model_name}.reversed" if obj is not posting else "funds.posting.reversed",
        obj=obj,
        unit=posting.unit,
        data={
            "posting": posting.pk,
            "reversals": [r.pk for r in reversals],
            "reason": reason,
            "original_by": posting.created_by.get_username() if posting.created_by_id else None,
        },
    )
    return reversal


def donation_reverse(*, actor, donation: Donation, reason: str) -> Posting:
    posting = Posting.objects.get(donation=donation, kind=PostingKind.DONATION)
    return posting_reverse(actor=actor, posting=posting, reason=reason)


def disbursement_reverse(*, actor, disbursement: Disbursement, reason: str) -> Posting:
    if disbursement.status != DisbursementStatus.APPROVED:
        raise ValidationError(_("Chỉ đảo được khoản chi đã duyệt."))
    posting = Posting.objects.get(
        disbursement=disbursement, kind__in=[PostingKind.DISBURSEMENT, PostingKind.TRANSFER]
    )
    return posting_reverse(actor=actor, posting=posting, reason=reason)
