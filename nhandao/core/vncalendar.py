"""The Vietnamese lunar calendar: one home for Tết and every date that follows the moon.

Vietnam's lunar calendar is computed for UTC+7, China's for UTC+8. The two usually agree, but not
always: in 1985 Vietnam's Tết fell on 21/01 and China's a month later (20/02), in 2007 on 17/02 and
18/02, in 2030 on 02/02 and 03/02. A Chinese-calendar library therefore gives wrong Tết dates here;
`vnlunar` implements Hồ Ngọc Đức's astronomical algorithm with the time zone as a parameter, and
every call below passes 7.0 explicitly so that a change of the library's default cannot move Tết.

Used by the movements (Tết Nhân ái follows the lunar new year) and by working-day arithmetic
(the Tết and Hùng Kings holidays are lunar dates).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import vnlunar

VIETNAM_UTC_OFFSET = 7.0


@dataclass(frozen=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:  # "10/3 Ất Tỵ" is for almanacs; offices write "10/3 âm lịch"
        suffix = " (nhuận)" if self.leap else ""
        return f"{self.day}/{self.month}{suffix}/{self.year} âm lịch"


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> dt.date:
    """The solar (Gregorian) date of a Vietnamese lunar date; ValueError if it does not exist."""
    result = vnlunar.convert_lunar_to_solar(day, month, year, 1 if leap else 0, VIETNAM_UTC_OFFSET)
    if not result:
        raise ValueError(f"Ngày âm lịch {day}/{month}/{year} không tồn tại.")
    d, m, y = result
    return dt.date(y, m, d)


def solar_to_lunar(day: dt.date) -> LunarDate:
    """The Vietnamese lunar date of a solar date."""
    r = vnlunar.convert_solar_to_lunar(day.day, day.month, day.year, VIETNAM_UTC_OFFSET)
    return LunarDate(year=r["year"], month=r["month"], day=r["day"], leap=bool(r["leap"]))


def tet(year: int) -> dt.date:
    """Mùng 1 Tết Nguyên đán of the lunar year that begins in solar `year`."""
    return lunar_to_solar(year, 1, 1)


def hung_kings_day(year: int) -> dt.date:
    """Giỗ Tổ Hùng Vương, 10/3 âm lịch, a public holiday (Bộ luật Lao động 2019, Điều 112)."""
    return lunar_to_solar(year, 3, 10)


# Public holidays and working days ------------------------------------------------------------
# Bộ luật Lao động 2019 (45/2019/QH14), Điều 112 khoản 1: Tết Dương lịch 01/01; Tết Âm lịch 05 ngày;
# Chiến thắng 30/4; Quốc tế lao động 01/5; Quốc khánh 02/9 and 01 ngày liền kề (trước hoặc sau);
# Giỗ Tổ Hùng Vương 10/3 âm lịch.  Điều 111 khoản 3: a holiday on the weekly rest day is made up
# on the next working day.  The Government picks the Tết days and the day next to 02/9 each year
# and often swaps a working day for a Saturday (hoán đổi ngày làm việc); the years announced are
# in ANNOUNCED below and replace the computed default.  Working days are Monday to Friday
# (Nghị định 45/2013 for the public sector's 40-hour week), so Saturdays and Sundays are rest.


@dataclass(frozen=True)
class AnnouncedYear:
    """The Government's schedule for one year: every weekday off, and the Saturdays worked instead."""

    source: str
    days_off: dict[dt.date, str]
    make_up_days: frozenset[dt.date] = frozenset()


def _days(first: dt.date, last: dt.date, label: str) -> dict[dt.date, str]:
    return {first + dt.timedelta(days=i): label for i in range((last - first).days + 1)}


_NEW_YEAR = "Tết Dương lịch"
_TET = "Tết Âm lịch"
_HUNG = "Giỗ Tổ Hùng Vương"
_REUNIFICATION = "Ngày Chiến thắng"
_LABOUR = "Ngày Quốc tế lao động"
_NATIONAL = "Quốc khánh"
_SWAP = "Nghỉ hoán đổi"
_MAKE_UP = "Nghỉ bù"

ANNOUNCED: dict[int, AnnouncedYear] = {
    # Văn bản 8726/VPCP-KGVX ngày 26/11/2024 and Thông báo 6150/TB-LĐTBXH: Tết from Saturday 25/01
    # to Sunday 02/02/2025 (26 Chạp Giáp Thìn to mùng 5 Ất Tỵ), Saturday 08/02 worked; 30/4–04/5
    # with Friday 02/5 swapped for Saturday 26/4; Quốc khánh 30/8–02/9 (01/9 the adjacent day).
    2025: AnnouncedYear(
        source="8726/VPCP-KGVX (26/11/2024), 6150/TB-LĐTBXH",
        days_off={
            dt.date(2025, 1, 1): _NEW_YEAR,
            **_days(dt.date(2025, 1, 27), dt.date(2025, 2, 1), _TET),
            dt.date(2025, 4, 7): _HUNG,
            dt.date(2025, 4, 30): _REUNIFICATION,
            dt.date(2025, 5, 1): _LABOUR,
            dt.date(2025, 5, 2): _SWAP,
            dt.date(2025, 9, 1): _NATIONAL,
            dt.date(2025, 9, 2): _NATIONAL,
        },
        make_up_days=frozenset({dt.date(2025, 2, 8), dt.date(2025, 4, 26)}),
    ),
    # 12729/VPCP-KGVX ngày 25/12/2025: 01–04/01/2026, Friday 02/01 swapped for Saturday 10/01.
    # Thông báo 9441/TB-BNV ngày 16/10/2025: Tết Monday 16/02 (29 Chạp Ất Tỵ) to Friday 20/02/2026
    # (mùng 4 Bính Ngọ); Quốc khánh 01–02/9 with Monday 31/8 swapped for Saturday 22/8.
    # Giỗ Tổ (26/4) falls on a Sunday: made up on Monday 27/4 (Điều 111 khoản 3).
    2026: AnnouncedYear(
        source="12729/VPCP-KGVX (25/12/2025), 9441/TB-BNV (16/10/2025)",
        days_off={
            dt.date(2026, 1, 1): _NEW_YEAR,
            dt.date(2026, 1, 2): _SWAP,
            **_days(dt.date(2026, 2, 16), dt.date(2026, 2, 20), _TET),
            dt.date(2026, 4, 26): _HUNG,
            dt.date(2026, 4, 27): _MAKE_UP,
            dt.date(2026, 4, 30): _REUNIFICATION,
            dt.date(2026, 5, 1): _LABOUR,
            dt.date(2026, 8, 31): _SWAP,
            dt.date(2026, 9, 1): _NATIONAL,
            dt.date(2026, 9, 2): _NATIONAL,
        },
        make_up_days=frozenset({dt.date(2026, 1, 10), dt.date(2026, 8, 22)}),
    ),
}


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The computed default of Điều 112 for `year`, with the Điều 111 make-up days, no swaps.

    Tết: the last day of the lunar year and mùng 1 to mùng 4 (the choice of most years).  The day
    next to 02/9: 01/9 when 02/9 is not a Monday (then 03/9), so that the two days touch a week.
    """
    days: dict[dt.date, str] = {dt.date(year, 1, 1): _NEW_YEAR}
    first = tet(year)
    days.update(_days(first - dt.timedelta(days=1), first + dt.timedelta(days=3), _TET))
    days[hung_kings_day(year)] = _HUNG
    days[dt.date(year, 4, 30)] = _REUNIFICATION
    days[dt.date(year, 5, 1)] = _LABOUR
    national = dt.date(year, 9, 2)
    days[national] = _NATIONAL
    days[national + dt.timedelta(days=1 if national.weekday() == 0 else -1)] = _NATIONAL
    for day in sorted(d for d in days if _is_weekend(d)):
        extra = day + dt.timedelta(days=1)
        while _is_weekend(extra) or extra in days:
            extra += dt.timedelta(days=1)
        days[extra] = _MAKE_UP
    return dict(sorted(days.items()))


def public_holidays(year: int) -> dict[dt.date, str]:
    """Days off of `year` with their names: the Government's announced schedule where this module
    knows it (ANNOUNCED), the computed default of the Labour Code otherwise."""
    announced = ANNOUNCED.get(year)
    return dict(announced.days_off) if announced is not None else statutory_holidays(year)


@functools.lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    announced = ANNOUNCED.get(year)
    make_up = announced.make_up_days if announced is not None else frozenset()
    return frozenset(public_holidays(year)), make_up


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a day off; a Saturday the Government made a working day counts."""
    off, make_up = _calendar(day.year)
    if day in make_up:
        return True
    return not _is_weekend(day) and day not in off


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The `n`-th working day after `day` (`day` itself is not counted: a request received on
    Friday 13/02/2026 is due 2 working days later on Tuesday 24/02/2026, after Tết)."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    while n:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current
