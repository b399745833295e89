"""The fund's indicators for the plan's reports (see nhandao.core.indicators): money received and
paid out by the unit's subtree in the period, from the fund's posted records."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Indicator, common_path, register, rollup

from .models import Disbursement, Donation
from .models.disbursements import DisbursementKind, DisbursementStatus
from .models.donations import Channel, RecordStatus


def money_raised(unit, start, end) -> int:
    total = (
        Donation.objects.filter(unit__path__startswith=unit.path, received_on__range=(start, end))
        .filter(status=RecordStatus.POSTED)
        .exclude(channel=Channel.IN_KIND)
        .aggregate(s=Sum("amount"))["s"]
    )
    return int(total or 0)


def money_raised_many(units, start, end) -> dict[int, int]:
    rows = (
        Donation.objects.filter(unit__path__startswith=common_path(units), received_on__range=(start, end))
        .filter(status=RecordStatus.POSTED)
        .exclude(channel=Channel.IN_KIND)
        .values_list("unit__path")
        .annotate(s=Sum("amount"))
    )
    return rollup(dict(rows), units)


def money_spent(unit, start, end) -> int:
    """Payments to people approved in the period (transfers to sub-units are not spending)."""
    total = Disbursement.objects.filter(
        unit__path__startswith=unit.path,
        value_date__range=(start, end),
        status=DisbursementStatus.APPROVED,
        kind=DisbursementKind.PAYMENT,
    ).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


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
