"""Tết and lunar dates for Vietnam (UTC+7), checked against published dates.

Mùng 1 Tết 2020–2026 are the dates of the Government's Tết holiday notices (Ministry of Labour,
Invalids and Social Affairs / Ministry of Home Affairs, e.g. CV 4260/LĐTBXH-CVL for Tết Ất Tỵ 2025:
29/01/2025; 2026: 17/02/2026); 2027–2035 are from the Vietnamese calendar of Hồ Ngọc Đức
(informatik.uni-leipzig.de/~duc/amlich/), the reference every Vietnamese almanac reproduces.
The years where Vietnam and China differ are the trap a Chinese-calendar library falls into.
"""

import datetime as dt

import pytest

from nhandao.core.vncalendar import (
    LunarDate,
    add_working_days,
    hung_kings_day,
    is_working_day,
    lunar_to_solar,
    public_holidays,
    solar_to_lunar,
    statutory_holidays,
    tet,
)

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


# Working days ------------------------------------------------------------------------------------


def test_the_2026_tet_holiday_is_the_one_announced_in_9441_tb_bnv():
    tet_days = [d for d, label in public_holidays(2026).items() if label == "Tết Âm lịch"]
    assert tet_days == [dt.date(2026, 2, d) for d in range(16, 21)]


def test_the_computed_default_agrees_with_the_2026_tet_notice():
    computed = [d for d, label in statutory_holidays(2026).items() if label == "Tết Âm lịch"]
    assert computed == [dt.date(2026, 2, d) for d in range(16, 21)]


def test_a_holiday_on_a_weekend_is_made_up_on_the_next_working_day():
    # Giỗ Tổ 2026 (10/3 Bính Ngọ) is Sunday 26/04: Monday 27/04 is off (Điều 111 khoản 3).
    assert statutory_holidays(2026)[dt.date(2026, 4, 27)] == "Nghỉ bù"
    assert not is_working_day(dt.date(2026, 4, 27))


def test_2025_follows_8726_vpcp_kgvx_with_the_swapped_monday_and_the_saturday_worked():
    assert not is_working_day(dt.date(2025, 1, 27))  # Monday off (swapped)
    assert is_working_day(dt.date(2025, 2, 3))  # back at work after mùng 5
    assert is_working_day(dt.date(2025, 2, 8))  # Saturday worked in exchange


def test_2025_april_and_national_day_bridges():
    assert not is_working_day(dt.date(2025, 5, 2))
    assert is_working_day(dt.date(2025, 4, 26))  # Saturday worked for Friday 02/05
    assert not is_working_day(dt.date(2025, 9, 1))
    assert not is_working_day(dt.date(2025, 4, 7))  # Giỗ Tổ, Monday


def test_2026_new_year_and_national_day_swaps():
    assert not is_working_day(dt.date(2026, 1, 2))
    assert is_working_day(dt.date(2026, 1, 10))
    assert not is_working_day(dt.date(2026, 8, 31))
    assert is_working_day(dt.date(2026, 8, 22))


def test_an_ordinary_weekend_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 3, 7))
    assert is_working_day(dt.date(2026, 3, 9))


def test_two_working_days_after_the_friday_before_tet_fall_after_tet():
    assert add_working_days(dt.date(2026, 2, 13), 2) == dt.date(2026, 2, 24)


def test_adding_zero_working_days_gives_the_same_day():
    assert add_working_days(dt.date(2026, 3, 7), 0) == dt.date(2026, 3, 7)


def test_a_year_not_announced_uses_the_computed_default():
    assert public_holidays(2030) == statutory_holidays(2030)
    assert dt.date(2030, 2, 2) in public_holidays(2030)  # Tết Canh Tuất, Vietnamese calendar
