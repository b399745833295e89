"""The blood module's indicators (see nhandao.core.indicators): units of blood given in the period
by the donations recorded under the unit's subtree."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Indicator, register

from .models import Donation


def blood_units(unit, start, end) -> int:
    return Donation.objects.filter(unit__path__startswith=unit.path, donated_on__range=(start, end)).count()


register(
    Indicator(
        "blood.units",
        _("Đơn vị máu tiếp nhận"),
        _("Số lần hiến máu (mỗi lần một đơn vị) ghi nhận trong kỳ tại đơn vị và các đơn vị cấp dưới."),
        blood_units,
        area=ContentArea.DONATION,
        order=60,
    )
)
