"""The beneficiaries module's indicators for the plan's reports (see nhandao.core.indicators):
help given by the unit's subtree in the period (valid records only), humanitarian addresses."""

from __future__ import annotations

from functools import partial

from django.db.models import Count, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Indicator, common_path, register, rollup, rollup_distinct

from .choices import CommitmentStatus, HelpKind, HelpStatus
from .models import Commitment, HelpRecord


def _help(unit, start, end):
    return HelpRecord.objects.filter(
        delivering_unit__path__startswith=unit.path, date__range=(start, end), status=HelpStatus.VALID
    )


def _help_many(units, start, end):
    return HelpRecord.objects.filter(
        delivering_unit__path__startswith=common_path(units),
        date__range=(start, end),
        status=HelpStatus.VALID,
    )


def households_helped_many(units, start, end) -> dict[int, int]:
    pairs = list(
        _help_many(units, start, end).values_list("delivering_unit__path", "case_id").order_by().distinct()
    )
    return rollup_distinct(pairs, units)


def help_count_many(units, start, end, kind: str) -> dict[int, int]:
    rows = (
        _help_many(units, start, end)
        .filter(kind=kind)
        .values_list("delivering_unit__path")
        .annotate(n=Count("id"))
    )
    return rollup(dict(rows), units)


def help_records(unit, start, end) -> int:
    return _help(unit, start, end).count()


def households_helped(unit, start, end) -> int:
    return _help(unit, start, end).values("case").distinct().count()


def help_value(unit, start, end, kind: str = "") -> int:
    qs = _help(unit, start, end)
    if kind:
        qs = qs.filter(kind=kind)
    return int(qs.aggregate(s=Sum("value"))["s"] or 0)


def addresses_active(unit, start, end) -> int:
    """Commitments that ran during the period (started by its end, not ended before its start)."""
    return (
        Commitment.objects.filter(unit__path__startswith=unit.path, starts_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .exclude(Q(status=CommitmentStatus.ENDED) & Q(ended_on__isnull=True))
        .count()
    )


def addresses_new(unit, start, end) -> int:
    return Commitment.objects.filter(unit__path__startswith=unit.path, starts_on__range=(start, end)).count()


for _indicator in (
    Indicator(
        "beneficiaries.help_records",
        _("Lượt trợ giúp"),
        _("Lượt trợ giúp hợp lệ trao trong kỳ."),
        help_records,
        area=ContentArea.RELIEF,
        order=30,
    ),
    Indicator(
        "beneficiaries.households",
        _("Người, hộ được trợ giúp"),
        _("Số hồ sơ (người, hộ) khác nhau nhận trợ giúp trong kỳ."),
        households_helped,
        area=ContentArea.RELIEF,
        order=31,
        compute_many=households_helped_many,
    ),
    Indicator(
        "beneficiaries.value",
        _("Tổng giá trị trợ giúp"),
        _("Tổng giá trị các lượt trợ giúp hợp lệ trong kỳ."),
        help_value,
        area=ContentArea.RELIEF,
        money=True,
        order=32,
    ),
    Indicator(
        "beneficiaries.addresses_active",
        _("Địa chỉ nhân đạo đang thực hiện"),
        _("Cam kết của nhà tài trợ còn hiệu lực trong kỳ."),
        addresses_active,
        area=ContentArea.RELIEF,
        order=40,
    ),
    Indicator(
        "beneficiaries.addresses_new",
        _("Địa chỉ nhân đạo mới"),
        _("Cam kết bắt đầu trong kỳ."),
        addresses_new,
        area=ContentArea.RELIEF,
        order=41,
    ),
):
    register(_indicator)

for _n, (_kind, _label) in enumerate(HelpKind.choices):
    register(
        Indicator(
            f"beneficiaries.value.{_kind}",
            format_lazy("{}: {}", _("Giá trị trợ giúp"), _label),
            _("Giá trị trợ giúp theo hình thức trong kỳ."),
            partial(help_value, kind=_kind),
            area=ContentArea.RELIEF,
            money=True,
            order=33 + _n / 10,
        )
    )


def help_count(unit, start, end, kind: str) -> int:
    """Valid help records of one kind in the period (gifts given, houses built or repaired)."""
    return _help(unit, start, end).filter(kind=kind).count()


register(
    Indicator(
        "beneficiaries.gifts",
        _("Suất quà đã trao"),
        _("Lượt trợ giúp hợp lệ hình thức quà tặng trao trong kỳ."),
        partial(help_count, kind=HelpKind.GIFT),
        area=ContentArea.RELIEF,
        order=34.5,
        compute_many=partial(help_count_many, kind=HelpKind.GIFT),
    )
)
register(
    Indicator(
        "beneficiaries.houses",
        _("Nhà nhân đạo xây mới, sửa chữa"),
        _("Lượt trợ giúp hợp lệ hình thức nhà nhân đạo (xây mới hoặc sửa chữa) trao trong kỳ."),
        partial(help_count, kind=HelpKind.HOUSE),
        area=ContentArea.RELIEF,
        order=34.6,
        compute_many=partial(help_count_many, kind=HelpKind.HOUSE),
    )
)
