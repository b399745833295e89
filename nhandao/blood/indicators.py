"""The blood module's indicators (see nhandao.core.indicators): units of blood given in the period
by the donations recorded under the unit's subtree."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Indicator, common_path, register, rollup

from .models import Donation


def blood_units(unit, start, end) -> int:
    return Donation.objects.filter(unit__path__startswith=unit.path, donated_on__range=(start, end)).count()


def blood_units_many(units, start, end) -> dict[int, int]:
    rows = (
        Donation.objects.filter(unit__path__startswith=common_path(units), donated_on__range=(start, end))
        .values_list("unit__path")
        .annotate(n=Count("id"))
    )
    return rollup(dict(rows), units)


register(
    Indicator(
        "blood.units",
        _("Đơn vị máu tiếp nhận"),
        _("Số lần hiến máu (mỗi lần một đơn vị) ghi nhận trong kỳ tại đơn vị và các đơn vị cấp dưới."),
        blood_units,
        area=ContentArea.DONATION,
        order=60,
        compute_many=blood_units_many,
    )
)
