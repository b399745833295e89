"""VietQR codes of a bank account, a campaign or a pledge, and the unique references of dynamic ones.

The transfer content starts with the reference code the import matches on
("UNG HO K7M2QX"); a dynamic code for an amount the donor chose adds a unique
reference ("QR" and six digits: eight characters, so never mistaken for a
reference code) that finds that very transfer on the statement.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import FUNDS_RECORD
from nhandao.core.vnwords import MAX as MAX_AMOUNT
from nhandao.funds.models import BankAccount
from nhandao.org import access

from .. import banks, qrimage, vietqr
from ..models import QRReference

PREFIX = "UNG HO"
GENERAL_PURPOSE = "UNG HO QUY NHAN DAO"
GENERAL_SHORT = "UNG HO QUY"  # with a reference (VietQR allows 25 characters)


@dataclass
class Code:
    bank_account: BankAccount
    payload: str
    purpose: str
    amount: int | None = None
    bill: str = ""

    @property
    def bank_name(self) -> str:
        bank = banks.by_bin(self.bank_account.bank_bin)
        return bank.short_name if bank else self.bank_account.bank_name

    def caption(self) -> qrimage.Caption:
        return qrimage.Caption(
            bank_name=self.bank_name,
            account_number=self.bank_account.account_number,
            account_holder=self.bank_account.holder,
            purpose=self.purpose,
            amount=self.amount,
        )

    def svg(self) -> str:
        return qrimage.svg(self.payload, scale=5)

    def png(self) -> bytes:
        return qrimage.poster_png(self.payload, self.caption())


def purpose_for(*, campaign=None, pledge=None, reference: str = "") -> str:
    code = pledge.code if pledge is not None else campaign.code if campaign is not None else ""
    text = f"{PREFIX} {code}" if code else (GENERAL_SHORT if reference else GENERAL_PURPOSE)
    return f"{text} {reference}".strip()


def code_for(bank_account: BankAccount, *, campaign=None, pledge=None, amount=None, reference="") -> Code:
    if campaign is None and pledge is None and bank_account.campaign_id:
        campaign = bank_account.campaign
    purpose = purpose_for(campaign=campaign, pledge=pledge, reference=reference)
    bill = reference or (pledge.code if pledge is not None else "")
    payload = vietqr.build(
        bin=bank_account.bank_bin,
        account=bank_account.account_number,
        amount=amount,
        purpose=purpose,
        bill=bill,
    )
    return Code(bank_account, payload, purpose, amount, bill)


def _new_reference() -> str:
    for _attempt in range(100):
        reference = f"QR{secrets.randbelow(10**6):06d}"
        if not QRReference.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free VietQR reference")


def qr_reference_create(
    *, actor, bank_account: BankAccount, amount: int, campaign=None, pledge=None
) -> QRReference:
    """Issue a dynamic code for an amount: stored so that its reference stays unique."""
    access.require(actor, FUNDS_RECORD, bank_account.unit)
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({"amount": _("Số tiền phải là số đồng nguyên lớn hơn 0.")})
    if not bank_account.is_active:
        raise ValidationError({"bank_account": _("Tài khoản này đã ngừng sử dụng.")})
    if campaign is not None and not campaign.accepts_from(bank_account.unit):
        raise ValidationError(
            {
                "bank_account": _("Tài khoản của “%(u)s” không nhận ủng hộ cho cuộc vận động này.")
                % {"u": bank_account.unit.name}
            }
        )
    if pledge is not None and pledge.fund.unit_id != bank_account.unit_id:
        raise ValidationError({"bank_account": _("Cam kết này thuộc quỹ của đơn vị khác.")})
    with transaction.atomic():
        reference = _new_reference()
        code = code_for(bank_account, campaign=campaign, pledge=pledge, amount=amount, reference=reference)
        qr = QRReference.objects.create(
            reference=reference,
            bank_account=bank_account,
            campaign=campaign if pledge is None else pledge.campaign,
            pledge=pledge,
            amount=amount,
            purpose=code.purpose[:25],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="banking.vietqr.issued",
            obj=qr,
            unit=bank_account.unit,
            changes=audit.created(qr),
        )
    return qr


def code_of_reference(qr: QRReference) -> Code:
    return code_for(
        qr.bank_account,
        campaign=qr.campaign,
        pledge=qr.pledge,
        amount=qr.amount,
        reference=qr.reference,
    )
