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
