"""The fund's indicators for the plan's reports (see nhandao.core.indicators): money received and
paid out by the unit's subtree in the period, read from the ledger (the books are the one truth:
a reversed gift or payment nets to zero there, whatever its record says).

Money raised is the credit of the income accounts (gifts in money, not in kind); money spent is
the debit of the expense accounts (help paid in money; transfers to sub-units are not spending),
over the funds of the unit and its sub-units, general funds and campaign funds alike, by the
entries' value date.  `ledger_entries` is the one filter for all of them: the totals
(funds.raised, funds.spent) and their breakdown per fund and campaign (funds.by_fund: the units'
humanitarian funds in one row, each campaign in a row of its own) read the
same entries, so the rows of the breakdown add up to the totals.
"""

from __future__ import annotations

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Breakdown, Indicator, common_path, register, register_breakdown, rollup

from .models import Entry
from .models.funds import AccountKind


def ledger_entries(path: str, start, end, kinds) -> QuerySet[Entry]:
    """The ledger's entries on accounts of `kinds` of the funds in the subtree `path`, dated in [start, end]."""
    return Entry.objects.filter(
        fund__unit__path__startswith=path,
        account__kind__in=list(kinds),
        value_date__range=(start, end),
    )


def _ledger_sum(unit, start, end, kind: str) -> int:
    total = ledger_entries(unit.path, start, end, [kind]).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


def money_raised(unit, start, end) -> int:
    return -_ledger_sum(unit, start, end, AccountKind.INCOME)


def money_raised_many(units, start, end) -> dict[int, int]:
    """The same from the ledger for many units at once (the movements' boards): one query."""
    rows = (
        ledger_entries(common_path(units), start, end, [AccountKind.INCOME])
        .values_list("fund__unit__path")
        .annotate(s=Sum("amount"))
    )
    return {pk: -total for pk, total in rollup(dict(rows), units).items()}


def money_spent(unit, start, end) -> int:
    """Payments to people in the period (transfers to sub-units are not spending)."""
    return _ledger_sum(unit, start, end, AccountKind.EXPENSE)


def money_by_fund(unit, start, end) -> list[dict]:
    """Money raised and spent in the period per fund and campaign (one query): what the ledger tags
    with a campaign in a row per campaign (its restricted funds, and gifts to a movement received
    in the humanitarian funds: the portal's campaign totals read the same tag), the rest of the
    units' humanitarian (general) funds in one row."""
    rows = (
        ledger_entries(unit.path, start, end, [AccountKind.INCOME, AccountKind.EXPENSE])
        .values_list("campaign_id", "campaign__name", "account__kind")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    out: dict[str, dict] = {}
    for campaign_id, name, kind, total in rows:
        key = f"campaign-{campaign_id}" if campaign_id else "general"
        row = out.setdefault(
            key,
            {
                "key": key,
                # Stored as data (Vietnamese, the report's language); pages translate the
                # general funds' label (a msgid) with gettext.
                "label": name if campaign_id else FUNDS_GENERAL,
                "order": campaign_id or 0,
                "values": {"raised": 0, "spent": 0},
            },
        )
        if kind == AccountKind.INCOME:
            row["values"]["raised"] -= int(total or 0)
        else:
            row["values"]["spent"] += int(total or 0)
    return list(out.values())


# The general funds' row label, kept in Vietnamese in the frozen rows (FundKind.GENERAL's msgid).
FUNDS_GENERAL = gettext_noop("Quỹ nhân đạo")


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
register_breakdown(
    Breakdown(
        "funds.by_fund",
        _("Tiền vận động và chi hỗ trợ theo quỹ, cuộc vận động"),
        _(
            "Tiền ủng hộ (không tính hiện vật) đã ghi sổ và các khoản chi hỗ trợ bằng tiền trong kỳ, "
            "theo quỹ nhân đạo của các đơn vị và theo từng cuộc vận động."
        ),
        (("raised", _("Tiền vận động được")), ("spent", _("Tiền đã chi hỗ trợ"))),
        money_by_fund,
        area=ContentArea.RELIEF,
        order=52,
    )
)
