"""The fund's indicators for the plan's reports (see nhandao.core.indicators): money received and
paid out by the unit's subtree in the period, read from the ledger (the books are the one truth:
a reversed gift or payment nets to zero there, whatever its record says).

Money raised is the credit of the income accounts (gifts in money, not in kind); money spent is
the debit of the expense accounts (help paid in money; transfers to sub-units are not spending),
over the funds of the unit and its sub-units, general funds and campaign funds alike, by the
entries' value date.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Indicator, common_path, register, rollup

from .models import Entry
from .models.funds import AccountKind


def _ledger_sum(unit, start, end, kind: str) -> int:
    total = Entry.objects.filter(
        fund__unit__path__startswith=unit.path,
        account__kind=kind,
        value_date__range=(start, end),
    ).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


def money_raised(unit, start, end) -> int:
    return -_ledger_sum(unit, start, end, AccountKind.INCOME)


def money_raised_many(units, start, end) -> dict[int, int]:
    """The same from the ledger for many units at once (the movements' boards): one query."""
    rows = (
        Entry.objects.filter(
            fund__unit__path__startswith=common_path(units),
            account__kind=AccountKind.INCOME,
            value_date__range=(start, end),
        )
        .values_list("fund__unit__path")
        .annotate(s=Sum("amount"))
    )
    return {pk: -total for pk, total in rollup(dict(rows), units).items()}


def money_spent(unit, start, end) -> int:
    """Payments to people in the period (transfers to sub-units are not spending)."""
    return _ledger_sum(unit, start, end, AccountKind.EXPENSE)


register(
    Indicator(
        "funds.raised",
        _("Tiền vận động được"),
        _("Tiền ủng hộ (không tính hiện vật) đã ghi sổ trong kỳ."),
        money_raised,
        area=ContentArea.RELIEF,
        money=True,
        order=50,
        compute_many=money_raised_many,
    )
)
register(
    Indicator(
        "funds.spent",
        _("Tiền đã chi hỗ trợ"),
        _("Các khoản chi hỗ trợ bằng tiền đã duyệt trong kỳ."),
        money_spent,
        area=ContentArea.RELIEF,
        money=True,
        order=51,
    )
)
