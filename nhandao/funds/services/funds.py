"""Opening and closing funds, bank accounts, and finding the fund a gift belongs in."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import FUNDS_APPROVE, FUNDS_MANAGE, FUNDS_RECORD
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money
from nhandao.core.text import clean_spaces
from nhandao.funds import ledger
from nhandao.org.access import has_perm, require

from ..models import (
    ASSET_KINDS,
    STANDARD_KINDS,
    Account,
    AccountKind,
    BankAccount,
    DisbursementStatus,
    Fund,
    FundKind,
    FundStatus,
    Pledge,
    PledgeStatus,
)

_BIN = re.compile(r"^\d{6}$")
_ACCOUNT_NUMBER = re.compile(r"^[0-9A-Za-z]{4,19}$")


def _default_name(unit, kind: str, campaign) -> str:
    if kind == FundKind.RESTRICTED:
        return f"Quỹ {campaign.name} — {unit.name}"
    return f"Quỹ nhân đạo — {unit.name}"


@transaction.atomic
def fund_create(
    *,
    actor,
    unit,
    kind: str = FundKind.GENERAL,
    campaign=None,
    name: str = "",
    opened_on: dt.date | None = None,
    description: str = "",
    auto: bool = False,
) -> Fund:
    """Open a fund with its standard accounts.

    `auto` marks a fund opened as a consequence of an action the calling service has
    already authorised (the first gift to a unit, a transfer to a sub-unit).
    """
    if not auto:
        require(actor, FUNDS_MANAGE, unit)
    if not unit.is_active():
        raise ValidationError({"unit": _("Đơn vị “%(unit)s” đã ngừng hoạt động.") % {"unit": unit.name}})
    if kind not in FundKind.values:
        raise ValidationError({"kind": _("Loại quỹ không hợp lệ.")})
    if kind == FundKind.RESTRICTED:
        if campaign is None:
            raise ValidationError({"campaign": _("Quỹ hạn chế phải gắn với một cuộc vận động.")})
        if not campaign.restricted:
            raise ValidationError(
                {
                    "campaign": _("Cuộc vận động “%(c)s” không nhận tiền vào quỹ hạn chế.")
                    % {"c": campaign.name}
                }
            )
        if not campaign.accepts_from(unit):
            raise ValidationError(
                {
                    "campaign": _("“%(unit)s” không thuộc phạm vi của cuộc vận động “%(c)s”.")
                    % {"unit": unit.name, "c": campaign.name}
                }
            )
        if Fund.objects.filter(unit=unit, kind=kind, campaign=campaign).exists():
            raise ValidationError(
                {"campaign": _("Đơn vị đã có quỹ cho cuộc vận động “%(c)s”.") % {"c": campaign.name}}
            )
    else:
        campaign = None
        if Fund.objects.filter(unit=unit, kind=FundKind.GENERAL).exists():
            raise ValidationError({"kind": _("Đơn vị “%(unit)s” đã có quỹ nhân đạo.") % {"unit": unit.name}})
    fund = Fund(
        unit=unit,
        kind=kind,
        campaign=campaign,
        name=clean_spaces(name) or _default_name(unit, kind, campaign),
        opened_on=opened_on or (unit.valid_from if auto else timezone.localdate()),
        description=description,
    )
    fund.full_clean()
    try:
        with transaction.atomic():
            fund.save()
    except IntegrityError:
        raise ValidationError({"kind": _("Quỹ này đã được mở.")}) from None
    Account.objects.bulk_create([Account(fund=fund, kind=k) for k in STANDARD_KINDS])
    audit.record(
        actor=actor,
        action="funds.fund.created",
        obj=fund,
        changes=audit.created(fund),
        data={"auto": True} if auto else None,
    )
    return fund


def fund_for(*, actor, unit, campaign=None, on: dt.date | None = None) -> Fund:
    """The fund a gift to `unit` (for `campaign`) goes into, opened on first use.

    A restricted campaign's gifts go into the unit's restricted fund for it; other
    gifts go into the unit's general humanitarian fund, tagged with the campaign.
    """
    if campaign is not None and campaign.restricted:
        fund = Fund.objects.filter(unit=unit, kind=FundKind.RESTRICTED, campaign=campaign).first()
        kind = FundKind.RESTRICTED
    else:
        fund = Fund.objects.filter(unit=unit, kind=FundKind.GENERAL).first()
        kind, campaign = FundKind.GENERAL, None
    if fund is None:
        fund = fund_create(actor=actor, unit=unit, kind=kind, campaign=campaign, auto=True)
    return fund


@transaction.atomic
def fund_close(*, actor, fund: Fund, on: dt.date | None = None, reason: str = "") -> Fund:
    fund = ledger.lock_funds([fund.pk])[fund.pk]
    require(actor, FUNDS_MANAGE, fund.unit)
    if not fund.is_open:
        raise ValidationError(_("Quỹ “%(fund)s” đã đóng.") % {"fund": fund.name})
    on = on or timezone.localdate()
    left = [a for a in fund.accounts.all() if a.kind in ASSET_KINDS and a.balance != 0]
    if left:
        raise ValidationError(
            _("Quỹ còn số dư (%(items)s); hãy chi hoặc điều chuyển hết trước khi đóng quỹ.")
            % {"items": ", ".join(f"{a}: {money(a.balance)}" for a in left)}
        )
    if fund.disbursements.filter(status=DisbursementStatus.DRAFT).exists():
        raise ValidationError(_("Quỹ còn khoản chi chờ duyệt."))
    if Pledge.objects.filter(fund=fund, status=PledgeStatus.OPEN).exists():
        raise ValidationError(_("Quỹ còn cam kết ủng hộ đang thực hiện."))
    if on < fund.opened_on:
        raise ValidationError(
            {"on": _("Ngày đóng quỹ trước ngày mở quỹ (%(d)s).") % {"d": fmt_date(fund.opened_on)}}
        )
    Fund.objects.filter(pk=fund.pk).update(status=FundStatus.CLOSED, closed_on=on)
    fund.status, fund.closed_on = FundStatus.CLOSED, on
    audit.record(
        actor=actor,
        action="funds.fund.closed",
        obj=fund,
        changes={"status": {"before": "open", "after": "closed"}, "closed_on": {"before": None, "after": on}},
        data={"reason": clean_spaces(reason)},
    )
    return fund


def _bank_fields(bank_name, bank_bin, account_number, holder) -> dict:
    bank_bin = (bank_bin or "").strip()
    account_number = re.sub(r"[\s.-]", "", account_number or "")
    errors = {}
    if not clean_spaces(bank_name):
        errors["bank_name"] = _("Hãy nhập tên ngân hàng.")
    if not _BIN.match(bank_bin):
        errors["bank_bin"] = _("Mã BIN ngân hàng gồm đúng 6 chữ số (ví dụ 970436).")
    if not _ACCOUNT_NUMBER.match(account_number):
        errors["account_number"] = _("Số tài khoản gồm 4–19 chữ số hoặc chữ cái, không dấu.")
    if not clean_spaces(holder):
        errors["holder"] = _("Hãy nhập tên chủ tài khoản.")
    if errors:
        raise ValidationError(errors)
    return {
        "bank_name": clean_spaces(bank_name),
        "bank_bin": bank_bin,
        "account_number": account_number,
        "holder": clean_spaces(holder).upper(),
    }


@transaction.atomic
def bank_account_create(
    *,
    actor,
    unit,
    bank_name: str,
    bank_bin: str,
    account_number: str,
    holder: str,
    branch: str = "",
    campaign=None,
) -> BankAccount:
    require(actor, FUNDS_MANAGE, unit)
    account = _bank_account_new(unit, bank_name, bank_bin, account_number, holder, branch, campaign)
    account.full_clean()
    account.save()
    audit.record(
        actor=actor, action="funds.bank_account.created", obj=account, changes=audit.created(account)
    )
    return account


@transaction.atomic
def bank_account_declare(
    *,
    actor,
    unit,
    bank_name: str,
    bank_bin: str,
    account_number: str,
    holder: str,
    branch: str = "",
    campaign=None,
) -> BankAccount:
    """A finance officer declares an account of their unit (issue 15, point 5).  It stays unused
    (no gift can name it, no statement be imported into it) until confirmed by someone else who
    approves payments or manages the unit's funds: an account number is where money goes."""
    require(actor, FUNDS_RECORD, unit)
    account = _bank_account_new(unit, bank_name, bank_bin, account_number, holder, branch, campaign)
    account.is_active = False
    account.awaiting_confirmation = True
    account.declared_by = actor
    account.full_clean()
    account.save()
    audit.record(
        actor=actor, action="funds.bank_account.declared", obj=account, changes=audit.created(account)
    )
    return account


def can_confirm_bank_accounts(user, unit=None) -> bool:
    return has_perm(user, FUNDS_APPROVE, unit) or has_perm(user, FUNDS_MANAGE, unit)


@transaction.atomic
def bank_account_confirm(*, actor, bank_account: BankAccount) -> BankAccount:
    """The checker's confirmation of a declared account: from then on it is in use."""
    bank_account = BankAccount.objects.select_for_update().get(pk=bank_account.pk)
    if not can_confirm_bank_accounts(actor, bank_account.unit):
        require(actor, FUNDS_APPROVE, bank_account.unit)  # refuses, with the usual message
    if not bank_account.awaiting_confirmation:
        raise ValidationError(_("Tài khoản %(n)s không chờ xác nhận.") % {"n": bank_account.account_number})
    if actor is not None and bank_account.declared_by_id == actor.pk:
        raise ValidationError(
            _(
                "Người khai báo tài khoản %(n)s không tự xác nhận được; cần một người duyệt chi hoặc quản lý quỹ khác."
            )
            % {"n": bank_account.account_number}
        )
    bank_account.is_active = True
    bank_account.awaiting_confirmation = False
    bank_account.save(update_fields=["is_active", "awaiting_confirmation"])
    audit.record(
        actor=actor,
        action="funds.bank_account.confirmed",
        obj=bank_account,
        changes={"is_active": {"before": False, "after": True}},
    )
    return bank_account


def _bank_account_new(unit, bank_name, bank_bin, account_number, holder, branch, campaign) -> BankAccount:
    """A new account's checked fields (not saved): the same checks for a declaration and a creation."""
    fields = _bank_fields(bank_name, bank_bin, account_number, holder)
    if campaign is not None and not campaign.accepts_from(unit):
        raise ValidationError(
            {
                "campaign": _("“%(unit)s” không thuộc phạm vi của cuộc vận động “%(c)s”.")
                % {"unit": unit.name, "c": campaign.name}
            }
        )
    other = BankAccount.objects.filter(
        Q(bank_bin=fields["bank_bin"]) & Q(account_number=fields["account_number"])
    ).first()
    if other is not None:
        raise ValidationError(
            {
                "account_number": _("Tài khoản %(n)s đã được khai báo cho “%(unit)s”.")
                % {"n": fields["account_number"], "unit": other.unit.name}
            }
        )
    return BankAccount(unit=unit, branch=clean_spaces(branch), campaign=campaign, **fields)


@transaction.atomic
def bank_account_set_active(*, actor, bank_account: BankAccount, active: bool) -> BankAccount:
    bank_account = BankAccount.objects.select_for_update().get(pk=bank_account.pk)
    require(actor, FUNDS_MANAGE, bank_account.unit)
    if active and bank_account.awaiting_confirmation:
        return bank_account_confirm(actor=actor, bank_account=bank_account)
    if bank_account.is_active != active:
        bank_account.is_active = active
        bank_account.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="funds.bank_account.activated" if active else "funds.bank_account.deactivated",
            obj=bank_account,
            changes={"is_active": {"before": not active, "after": active}},
        )
    return bank_account


def bank_ledger_account(fund: Fund, bank_account: BankAccount) -> Account:
    """The fund's ledger account for money it keeps in `bank_account` (same unit only)."""
    if bank_account.unit_id != fund.unit_id:
        raise ValidationError(
            {
                "bank_account": _("Tài khoản %(n)s không phải của “%(unit)s”.")
                % {"n": bank_account.account_number, "unit": fund.unit.name}
            }
        )
    if not bank_account.is_active:
        raise ValidationError(
            {"bank_account": _("Tài khoản %(n)s đã ngừng sử dụng.") % {"n": bank_account.account_number}}
        )
    account, _created = Account.objects.get_or_create(
        fund=fund, kind=AccountKind.BANK, bank_account=bank_account
    )
    account.fund = fund
    return account
