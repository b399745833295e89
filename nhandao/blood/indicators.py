"""The blood module's indicators for the plan's reports (see nhandao.core.indicators), registered
when BloodConfig.ready() imports this module.  Each counts over the unit's whole subtree (unit.path
prefix) for the period [start, end], dates included; nobody is named.

- units collected (donations recorded: at drives or from the centre's list), and the yearly target
  the steering committee set for the unit itself (blood.Target) for the year the period ends in;
- donors giving for the first time / again (a repeat donor has a donation before the one in the period);
- deferrals found at screening and the deferral rate (deferrals / (donations + deferrals), whole %);
- donors of each ABO group who gave in the period (the blood group mix);
- organ, tissue and body donation pledges registered in the period.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Indicator, common_path, register, rollup

from .models import Deferral, Donation, OrganPledge, Target


def _donations(unit, start, end):
    return Donation.objects.filter(unit__path__startswith=unit.path, donated_on__range=(start, end))


def units_collected(unit, start, end) -> int:
    return _donations(unit, start, end).count()


def units_collected_many(units, start, end) -> dict[int, int]:
    """The same for many units at once (the movements' boards and rankings): one query."""
    rows = (
        Donation.objects.filter(unit__path__startswith=common_path(units), donated_on__range=(start, end))
        .values_list("unit__path")
        .annotate(n=Count("id"))
    )
    return rollup(dict(rows), units)


def units_target(unit, start, end) -> int:
    total = Target.objects.filter(unit=unit, year=end.year).aggregate(s=Sum("units"))["s"]
    return int(total or 0)


def _earlier():
    return Donation.objects.filter(donor=OuterRef("donor"), donated_on__lt=OuterRef("donated_on"))


def donors_new(unit, start, end) -> int:
    return (
        _donations(unit, start, end)
        .annotate(repeat=Exists(_earlier()))
        .filter(repeat=False)
        .values("donor")
        .distinct()
        .count()
    )


def donors_repeat(unit, start, end) -> int:
    first_timers = (
        _donations(unit, start, end).annotate(repeat=Exists(_earlier())).filter(repeat=False).values("donor")
    )
    return _donations(unit, start, end).exclude(donor__in=first_timers).values("donor").distinct().count()


def deferrals(unit, start, end) -> int:
    return Deferral.objects.filter(unit__path__startswith=unit.path, on__range=(start, end)).count()


def deferral_rate(unit, start, end) -> int:
    deferred = deferrals(unit, start, end)
    seen = deferred + units_collected(unit, start, end)
    return round(100 * deferred / seen) if seen else 0


def _group_counter(prefix: str):
    groups = [f"{prefix}+", f"{prefix}-"]

    def compute(unit, start, end) -> int:
        return (
            _donations(unit, start, end)
            .filter(donor__blood_group__in=groups)
            .values("donor")
            .distinct()
            .count()
        )

    return compute


def pledges_new(unit, start, end) -> int:
    return OrganPledge.objects.filter(
        unit__path__startswith=unit.path, pledged_on__range=(start, end)
    ).count()


AREA = ContentArea.DONATION
for indicator in (
    Indicator(
        "blood.units",
        _("Đơn vị máu tiếp nhận"),
        _("Số lần hiến máu ghi nhận trong kỳ (tại các đợt và theo danh sách của cơ sở tiếp nhận máu)."),
        units_collected,
        area=AREA,
        order=70,
        compute_many=units_collected_many,
    ),
    Indicator(
        "blood.units_target",
        _("Chỉ tiêu đơn vị máu của năm"),
        _("Chỉ tiêu năm do Ban chỉ đạo thành phố giao cho chính đơn vị (năm của ngày cuối kỳ)."),
        units_target,
        area=AREA,
        order=71,
    ),
    Indicator(
        "blood.donors_new",
        _("Người hiến máu lần đầu"),
        _("Người có lần hiến đầu tiên trong kỳ."),
        donors_new,
        area=AREA,
        order=72,
    ),
    Indicator(
        "blood.donors_repeat",
        _("Người hiến máu nhắc lại"),
        _("Người hiến trong kỳ đã từng hiến trước đó."),
        donors_repeat,
        area=AREA,
        order=73,
    ),
    Indicator(
        "blood.deferrals",
        _("Lượt tạm hoãn hiến máu"),
        _("Lượt khám được tạm hoãn trong kỳ (lý do không đưa vào báo cáo)."),
        deferrals,
        area=AREA,
        order=74,
    ),
    Indicator(
        "blood.deferral_rate",
        _("Tỉ lệ tạm hoãn hiến máu (%)"),
        _("Lượt tạm hoãn trên tổng lượt hiến và tạm hoãn trong kỳ, làm tròn phần trăm."),
        deferral_rate,
        area=AREA,
        order=75,
    ),
    *(
        Indicator(
            f"blood.group_{code}",
            label,
            _("Số người hiến trong kỳ thuộc nhóm máu này (Rh+ và Rh−)."),
            _group_counter(prefix),
            area=AREA,
            order=76 + i,
        )
        for i, (code, prefix, label) in enumerate(
            [
                ("o", "O", _("Người hiến nhóm máu O")),
                ("a", "A", _("Người hiến nhóm máu A")),
                ("b", "B", _("Người hiến nhóm máu B")),
                ("ab", "AB", _("Người hiến nhóm máu AB")),
            ]
        )
    ),
    Indicator(
        "blood.pledges",
        _("Đăng ký hiến mô, bộ phận cơ thể, hiến xác"),
        _("Đăng ký hiến mới trong kỳ."),
        pledges_new,
        area=AREA,
        order=80,
    ),
):
    register(indicator)
