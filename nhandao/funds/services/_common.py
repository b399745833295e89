"""Helpers shared by the fund services: permission checks, names, numbering, files (amounts: core.money)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import refcodes
from nhandao.core.formatting import date as fmt_date
from nhandao.core.text import clean_spaces, initials, search_key

from ..models import (
    ANONYMOUS_NAME,
    Account,
    AccountKind,
    BankAccount,
    Display,
    Fund,
    NumberSeries,
    Pledge,
    PledgeFulfilment,
)


def public_name(name: str, display: str) -> str:
    """How a giver appears in public: full name, initials ("N.T.M.") or "Nhà hảo tâm"."""
    name = clean_spaces(name)
    if display == Display.ANONYMOUS or not name:
        return ANONYMOUS_NAME
    if display == Display.INITIALS:
        return initials(name)
    return name


def item_key(name: str, unit_label: str) -> str:
    """Goods are counted per (name, unit) ignoring case and diacritics: "Gạo|kg" == "gao|KG"."""
    return f"{search_key(name)}|{search_key(unit_label)}"[:200]


def not_in_future(day: dt.date, field: str, *, today: dt.date | None = None) -> dt.date:
    """`today` lets a batch read the clock once."""
    if day is None:
        raise ValidationError({field: _("Hãy nhập ngày.")})
    if day > (today or timezone.localdate()):
        raise ValidationError({field: _("Ngày %(d)s ở tương lai.") % {"d": fmt_date(day)}})
    return day


def require_open_fund(fund: Fund, day: dt.date | None = None, field: str = "fund") -> None:
    if not fund.is_open:
        raise ValidationError(
            {field: _("Quỹ “%(fund)s” đã đóng; không thể ghi thêm nghiệp vụ.") % {"fund": fund.name}}
        )
    if not fund.unit.is_active():
        raise ValidationError({field: _("Đơn vị “%(unit)s” đã ngừng hoạt động.") % {"unit": fund.unit.name}})
    if day is not None and day < fund.opened_on:
        raise ValidationError(
            {
                field: _("Ngày %(d)s trước ngày mở quỹ “%(fund)s” (%(o)s).")
                % {"d": fmt_date(day), "fund": fund.name, "o": fmt_date(fund.opened_on)}
            }
        )


def next_numbers(unit_id: int, series: str, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive numbers in a unit's book; returns the first."""
    counter = (
        NumberSeries.objects.select_for_update().filter(unit_id=unit_id, series=series, year=year).first()
    )
    if counter is None:
        NumberSeries.objects.bulk_create(
            [NumberSeries(unit_id=unit_id, series=series, year=year)], ignore_conflicts=True
        )
        counter = NumberSeries.objects.select_for_update().get(unit_id=unit_id, series=series, year=year)
    first = counter.last_number + 1
    NumberSeries.objects.filter(pk=counter.pk).update(last_number=counter.last_number + count)
    return first


VERIFY_CODE_LENGTH = 12


def verify_code(rng=None) -> str:
    """An opaque, unguessable code for a receipt's public verification link (32^12 ≈ 10^18).

    32 divides 256, so a random byte modulo 32 picks each character uniformly.
    """
    alphabet = refcodes.ALPHABET
    if rng is not None:  # seeding: deterministic for a seed
        return "".join(rng.choice(alphabet) for _ in range(VERIFY_CODE_LENGTH))
    return "".join(alphabet[b % 32] for b in secrets.token_bytes(VERIFY_CODE_LENGTH))


def pledge_code_taken(code: str) -> bool:
    """Whether a pledge has this reference code (registered with core.refcodes: codes in transfer
    memos name either a campaign or a pledge, unique across both)."""
    return Pledge.objects.filter(code=code).exists()


def outstanding(pledge: Pledge) -> int:
    """What is still owed on a pledge (donations record fulfilments, pledges and reversals read it)."""
    fulfilled = (
        PledgeFulfilment.objects.filter(pledge=pledge, reversed=False).aggregate(s=Sum("amount"))["s"] or 0
    )
    return pledge.amount - pledge.cancelled_amount - fulfilled


def outstanding_locked(pledge_id: int) -> tuple[str, int]:
    """(status, outstanding) of a pledge, its row locked for the rest of the transaction."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
    return pledge.status, outstanding(pledge)


def ledger_account(fund: Fund, kind: str, bank_account: BankAccount | None = None) -> Account:
    """The fund's account of a kind (its account for a given bank account), created on first use."""
    if kind == AccountKind.BANK:
        account, _created = Account.objects.get_or_create(fund=fund, kind=kind, bank_account=bank_account)
    else:
        account, _created = Account.objects.get_or_create(fund=fund, kind=kind, bank_account=None)
    account.fund = fund
    return account


def accounts_of(fund: Fund) -> dict[str, Account]:
    """The fund's standard accounts by kind (bank accounts excluded)."""
    result = {}
    for account in Account.objects.filter(fund=fund).exclude(kind=AccountKind.BANK):
        account.fund = fund
        result[account.kind] = account
    return result
