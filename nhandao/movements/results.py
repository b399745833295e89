"""Live results, periods and the emulation score: pure computation over the registers.

Nothing here writes.  Results come from the indicator registry (`nhandao.core.indicators`), so a
movement's figures are the same numbers the plan's reports take from the same registers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from nhandao.core import indicators, vncalendar
from nhandao.org.models import BranchType, Unit, UnitKind

from .models import MovementKind, PeerGroup, UnitProfile

# Tết Nhân ái: the society's campaign opens about 45 days before Tết (gifts must reach families
# before the 23rd of the last lunar month) and closes on mùng 10 (the ninth day after mùng 1).
TET_DAYS_BEFORE = 45
TET_LAST_DAY = 10


def tet_period(year: int) -> tuple[dt.date, dt.date]:
    """The Tết Nhân ái campaign of the lunar new year that begins in solar `year`."""
    tet = vncalendar.tet(year)
    return tet - dt.timedelta(days=TET_DAYS_BEFORE), tet + dt.timedelta(days=TET_LAST_DAY - 1)


def default_period(kind: str, year: int) -> tuple[dt.date, dt.date]:
    if kind == MovementKind.TET:
        return tet_period(year)
    if kind == MovementKind.MONTH:  # Tháng Nhân đạo: 1–31 May (peak 8–19 May)
        return dt.date(year, 5, 1), dt.date(year, 5, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def previous_period(kind: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The same campaign a year earlier (Tết moves with the moon; the others keep their dates)."""
    if kind == MovementKind.TET:
        return tet_period(vncalendar.solar_to_lunar(end).year - 1)
    return _year_back(start), _year_back(end)


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year - 1, day=28)


def compute(codes: list[str], units: list[Unit], start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """{unit pk: {indicator code: value}} for each unit's whole subtree over [start, end].

    An indicator that offers `compute_many` answers for all the units at once; the others one by one.
    """
    out: dict[int, dict[str, int]] = {u.pk: {} for u in units}
    for code in codes:
        values = indicators.compute_for(code, units, start, end)
        for unit in units:
            out[unit.pk][code] = values.get(unit.pk, 0)
    return out


def percent(result: int | None, target: int | None) -> int | None:
    if not target:
        return None
    return int((Decimal(result or 0) * 100 / Decimal(target)).to_integral_value(ROUND_HALF_UP))


# Peer groups -------------------------------------------------------------------------------------
def default_peer_group(unit: Unit) -> str:
    if unit.kind == UnitKind.COMMUNE:
        division = (unit.ward.division_type if unit.ward_id else "") or ""
        return PeerGroup.WARD if division.lower().startswith("phường") else PeerGroup.COMMUNE
    if unit.kind == UnitKind.BRANCH and unit.branch_type == BranchType.SCHOOL:
        return PeerGroup.SCHOOL
    if unit.kind == UnitKind.BRANCH and unit.branch_type == BranchType.ENTERPRISE:
        return PeerGroup.ENTERPRISE
    return PeerGroup.OTHER


def competes(unit: Unit) -> bool:
    """Commune-level societies, school and enterprise branches take part in the ranking."""
    return unit.kind == UnitKind.COMMUNE or (
        unit.kind == UnitKind.BRANCH and unit.branch_type in (BranchType.SCHOOL, BranchType.ENTERPRISE)
    )


COMPETING = Q(kind=UnitKind.COMMUNE) | Q(
    kind=UnitKind.BRANCH, branch_type__in=[BranchType.SCHOOL, BranchType.ENTERPRISE]
)


def in_peer_group(group: str) -> Q:
    """Units (queried from Unit) whose peer group is `group`: placed there by hand, or there by
    `default_peer_group` with no choice of their own (the same rule, in SQL)."""
    ward = Q(ward__division_type__istartswith="phường")
    default = {
        PeerGroup.WARD: Q(kind=UnitKind.COMMUNE) & ward,
        PeerGroup.COMMUNE: Q(kind=UnitKind.COMMUNE) & ~ward,
        PeerGroup.SCHOOL: Q(kind=UnitKind.BRANCH, branch_type=BranchType.SCHOOL),
        PeerGroup.ENTERPRISE: Q(kind=UnitKind.BRANCH, branch_type=BranchType.ENTERPRISE),
    }.get(group, Q(pk__in=[]))
    unchosen = Q(movement_profile__isnull=True) | Q(movement_profile__peer_group="")
    return Q(movement_profile__peer_group=group) | (unchosen & default)


def competitors(root: Unit, on: dt.date) -> dict[int, tuple[Unit, str]]:
    """The units of `root`'s subtree that compete, with their peer group: commune-level societies,
    school and enterprise branches, active on `on`."""
    units = (
        Unit.objects.active(on)
        .filter(path__startswith=root.path)
        .exclude(pk=root.pk)
        .filter(COMPETING)
        .select_related("ward")
        .order_by("name", "pk")
    )
    units = list(units)
    chosen = dict(
        UnitProfile.objects.filter(unit__in=[u.pk for u in units])
        .exclude(peer_group="")
        .values_list("unit_id", "peer_group")
    )
    return {u.pk: (u, chosen.get(u.pk) or default_peer_group(u)) for u in units}


# Emulation score ---------------------------------------------------------------------------------
@dataclass
class Standing:
    unit: Unit
    peer_group: str
    values: dict[str, int]
    parts: dict[str, Decimal]
    manual: int
    score: Decimal = Decimal(0)
    rank: int = 0
    extra: dict = field(default_factory=dict)


TWO = Decimal("0.01")


def standings(scheme, *, on: dt.date | None = None, group: str = "") -> list[Standing]:
    """The ranking of `scheme`'s competitors within their peer groups.

    Each criterion gives `weight × value ÷ best value in the peer group` points (the best unit of a
    group gets the whole weight; nobody gets anything when nobody did anything), the manual scores
    are added, and units are ranked by total within their group (equal totals share a rank)."""
    on = on or min(scheme.ends_on, timezone.localdate())
    criteria = list(scheme.criteria.all())
    entrants = competitors(scheme.unit, on)
    if group:
        entrants = {pk: e for pk, e in entrants.items() if e[1] == group}
    units = [u for u, _g in entrants.values()]
    codes = [c.indicator for c in criteria]
    values = compute(codes, units, scheme.starts_on, min(scheme.ends_on, on))
    manual: dict[int, int] = defaultdict(int)
    for unit_id, points in scheme.manual_scores.filter(unit__in=[u.pk for u in units]).values_list(
        "unit_id", "points"
    ):
        manual[unit_id] += points
    best: dict[tuple[str, str], int] = defaultdict(int)
    for unit, peer in entrants.values():
        for code in codes:
            best[(peer, code)] = max(best[(peer, code)], values[unit.pk][code])
    rows: list[Standing] = []
    for unit, peer in entrants.values():
        parts = {}
        for c in criteria:
            top = best[(peer, c.indicator)]
            parts[c.indicator] = (
                (Decimal(c.weight) * values[unit.pk][c.indicator] / top).quantize(TWO) if top else Decimal(0)
            )
        score = sum(parts.values(), Decimal(0)) + manual[unit.pk]
        rows.append(Standing(unit, peer, values[unit.pk], parts, manual[unit.pk], score.quantize(TWO)))
    rows.sort(key=lambda s: (s.peer_group, -s.score, s.unit.name, s.unit.pk))
    position, last_group, last_score, last_rank = 0, None, None, 0
    for s in rows:
        if s.peer_group != last_group:
            position, last_score = 0, None
        position += 1
        s.rank = last_rank if s.score == last_score else position  # equal totals share a rank
        last_group, last_score, last_rank = s.peer_group, s.score, s.rank
    return rows
