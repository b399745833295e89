"""Tết and lunar dates for Vietnam (UTC+7), checked against published dates.

Mùng 1 Tết 2020–2026 are the dates of the Government's Tết holiday notices (Ministry of Labour,
Invalids and Social Affairs / Ministry of Home Affairs, e.g. CV 4260/LĐTBXH-CVL for Tết Ất Tỵ 2025:
29/01/2025; 2026: 17/02/2026); 2027–2035 are from the Vietnamese calendar of Hồ Ngọc Đức
(informatik.uni-leipzig.de/~duc/amlich/), the reference every Vietnamese almanac reproduces.
The years where Vietnam and China differ are the trap a Chinese-calendar library falls into.
"""

import datetime as dt

import pytest

from nhandao.core.vncalendar import LunarDate, hung_kings_day, lunar_to_solar, solar_to_lunar, tet

TET = {
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 2),  # China: 03/02/2030
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}


@pytest.mark.parametrize("year", sorted(TET))
def test_tet_matches_the_published_table(year):
    assert tet(year) == TET[year]


@pytest.mark.parametrize(
    "year, vietnam, china",
    [(1985, dt.date(1985, 1, 21), dt.date(1985, 2, 20)), (2007, dt.date(2007, 2, 17), dt.date(2007, 2, 18))],
)
def test_tet_follows_vietnam_not_china(year, vietnam, china):
    assert tet(year) == vietnam != china


def test_round_trip_and_leap_month():
    assert solar_to_lunar(dt.date(2026, 2, 17)) == LunarDate(2026, 1, 1)
    # 2025 (Ất Tỵ) has a leap sixth month, starting 25/07/2025.
    assert lunar_to_solar(2025, 6, 1, leap=True) == dt.date(2025, 7, 25)
    assert solar_to_lunar(dt.date(2025, 7, 25)) == LunarDate(2025, 6, 1, leap=True)


def test_hung_kings_day():
    assert hung_kings_day(2025) == dt.date(2025, 4, 7)
    assert hung_kings_day(2026) == dt.date(2026, 4, 26)


def test_a_date_that_does_not_exist_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="không tồn tại"):
        lunar_to_solar(2026, 5, 1, leap=True)
