"""The people module's indicators for the plan's reports (see nhandao.core.indicators).

Each counts over the unit's subtree for the period [start, end].  A role counts at the end of the
period when it had started by then (or has no start date) and had not ended by then.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.indicators import Indicator, common_path, register, rollup_distinct

from .choices import RoleKind
from .models import (
    Club,
    DuesPayment,
    PeopleRules,
    PersonRole,
    TrainingParticipant,
    TrainingSession,
    VolunteerHours,
)


def _in(unit, field: str = "unit") -> Q:
    return Q(**{f"{field}__path__startswith": unit.path})


def _held_at(end: dt.date) -> Q:
    return (Q(started_on__isnull=True) | Q(started_on__lte=end)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )


def members_total(unit, start, end) -> int:
    return PersonRole.objects.filter(_in(unit), _held_at(end), kind=RoleKind.MEMBER).count()


def members_new(unit, start, end) -> int:
    return PersonRole.objects.filter(_in(unit), kind=RoleKind.MEMBER, started_on__range=(start, end)).count()


def members_lapsed(unit, start, end) -> int:
    return PersonRole.objects.filter(_in(unit), kind=RoleKind.MEMBER, ended_on__range=(start, end)).count()


def dues_collected(unit, start, end) -> int:
    total = DuesPayment.objects.filter(_in(unit), paid_on__range=(start, end), exempt=False).aggregate(
        s=Sum("amount")
    )["s"]
    return int(total or 0)


def volunteers_active(unit, start, end) -> int:
    """Volunteers whose hours in the configured window before the period's end reach the
    configured minimum (PeopleRules: 8 hours in 12 months by default)."""
    rules = PeopleRules.current()
    since = end - dt.timedelta(days=round(rules.active_volunteer_months * 30.44))
    return (
        VolunteerHours.objects.filter(_in(unit), date__gte=since, date__lte=end)
        .values("person")
        .annotate(total=Sum("hours"))
        .filter(total__gte=rules.active_volunteer_hours)
        .count()
    )


def clubs_active(unit, start, end) -> int:
    return Club.objects.filter(
        _in(unit),
        Q(founded_on__isnull=True) | Q(founded_on__lte=end),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end),
    ).count()


def trainings_held(unit, start, end) -> int:
    return TrainingSession.objects.filter(_in(unit), starts_on__range=(start, end)).count()


def certificates_issued(unit, start, end) -> int:
    return TrainingParticipant.objects.filter(
        _in(unit, "session__unit"), passed=True, certificate_issued_on__range=(start, end)
    ).count()


for _indicator in (
    Indicator(
        "people.members_total",
        _("Tổng số hội viên"),
        _("Hội viên đang sinh hoạt tại ngày cuối kỳ."),
        members_total,
        order=10,
    ),
    Indicator(
        "people.members_new",
        _("Hội viên mới kết nạp"),
        _("Hội viên bắt đầu sinh hoạt trong kỳ."),
        members_new,
        order=11,
    ),
    Indicator(
        "people.members_lapsed",
        _("Hội viên thôi sinh hoạt"),
        _("Hội viên kết thúc sinh hoạt trong kỳ."),
        members_lapsed,
        order=12,
    ),
    Indicator(
        "people.dues",
        _("Hội phí đã thu"),
        _("Tổng hội phí nộp trong kỳ (không tính trường hợp miễn)."),
        dues_collected,
        money=True,
        order=13,
    ),
    Indicator(
        "people.volunteers_active",
        _("Tình nguyện viên tích cực"),
        _(
            "Tình nguyện viên có số giờ trong khoảng thời gian quy định trước ngày cuối kỳ đạt mức tối thiểu đã cấu hình."
        ),
        volunteers_active,
        order=14,
    ),
    Indicator(
        "people.clubs",
        _("Câu lạc bộ, đội, nhóm"),
        _("Câu lạc bộ, đội đang hoạt động tại ngày cuối kỳ."),
        clubs_active,
        order=15,
    ),
    Indicator(
        "people.trainings",
        _("Lớp tập huấn"),
        _("Lớp tập huấn khai giảng trong kỳ."),
        trainings_held,
        area=ContentArea.FIRST_AID,
        order=16,
    ),
    Indicator(
        "people.certificates",
        _("Chứng nhận cấp"),
        _("Học viên đạt, được cấp chứng nhận trong kỳ."),
        certificates_issued,
        area=ContentArea.FIRST_AID,
        order=17,
    ),
):
    register(_indicator)


def volunteers_mobilised(unit, start, end) -> int:
    """People who logged volunteer hours in the period (the movements' "volunteers mobilised")."""
    return (
        VolunteerHours.objects.filter(_in(unit), date__range=(start, end)).values("person").distinct().count()
    )


def volunteers_mobilised_many(units, start, end) -> dict[int, int]:
    pairs = list(
        VolunteerHours.objects.filter(unit__path__startswith=common_path(units), date__range=(start, end))
        .values_list("unit__path", "person_id")
        .order_by()
        .distinct()
    )
    return rollup_distinct(pairs, units)


register(
    Indicator(
        "people.volunteers_mobilised",
        _("Tình nguyện viên được huy động"),
        _("Số người khác nhau có giờ tình nguyện ghi nhận trong kỳ."),
        volunteers_mobilised,
        order=18,
        compute_many=volunteers_mobilised_many,
    )
)
