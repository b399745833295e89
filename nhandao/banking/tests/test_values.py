import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhandao.banking.statements.values import ValueProblem, leading_reference, parse_amount, parse_datetime


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.000.000", 1_000_000),
        ("20.000.000,00", 20_000_000),
        ("1,000,000", 1_000_000),
        ("300,000 ", 300_000),
        (" 1 000 000 ", 1_000_000),
        ("1\u00a0500\u00a0000", 1_500_000),
        ("1,000,000.00", 1_000_000),
        ("150000,00", 150_000),
        ("1.500", 1_500),
        ("797", 797),
        ("-50.000", -50_000),
        ("(50.000)", -50_000),
        ("50.000-", -50_000),
        ("+200.000", 200_000),
        ("50.000 VND", 50_000),
        ("50.000đ", 50_000),
        ("0", 0),
        (1000000, 1_000_000),
        (1000000.0, 1_000_000),
    ],
)
def test_amounts_in_every_vietnamese_spelling(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("empty", [None, "", "   ", "-"])
def test_an_empty_cell_has_no_amount(empty):
    assert parse_amount(empty) is None


@pytest.mark.parametrize("bad", ["abc", "1.5", "12,50", "1.00.000", "1..000", 1.5, "1,000.000,00"])
def test_unreadable_or_fractional_amounts_are_refused(bad):
    with pytest.raises(ValueProblem):
        parse_amount(bad)


@given(st.integers(min_value=0, max_value=10**14))
def test_every_style_reads_back_the_same_amount(n):
    dots = f"{n:,}".replace(",", ".")
    assert parse_amount(dots) == n
    assert parse_amount(dots + ",00") == n
    assert parse_amount(f"{n:,}") == n
    assert parse_amount(f"{n:,}.00") == n
    assert parse_amount(f" {n:,} ") == n


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("01/09/2024 10:27:58", dt.date(2024, 9, 1), dt.time(10, 27, 58)),
        ("01/09/2024 10:27:58 ", dt.date(2024, 9, 1), dt.time(10, 27, 58)),
        ("1/9/2024", dt.date(2024, 9, 1), None),
        ("01/09/2024", dt.date(2024, 9, 1), None),
        ("01-09-2024", dt.date(2024, 9, 1), None),
        ("01.09.2024 07:05", dt.date(2024, 9, 1), dt.time(7, 5)),
        ("2024-09-01 07:05:09", dt.date(2024, 9, 1), dt.time(7, 5, 9)),
        ("01/09/24", dt.date(2024, 9, 1), None),
        ("10/09/2024\n23:59:01", dt.date(2024, 9, 10), dt.time(23, 59, 1)),
        (dt.datetime(2024, 9, 1, 8, 0), dt.date(2024, 9, 1), dt.time(8, 0)),
        (dt.datetime(2024, 9, 1), dt.date(2024, 9, 1), None),
        (45536, dt.date(2024, 9, 1), None),
    ],
)
def test_dates_with_or_without_times(text, date, time):
    assert parse_datetime(text) == (date, time)


@pytest.mark.parametrize("bad", ["", "STT", "31/02/2024", "hôm qua", 12])
def test_unreadable_dates_are_refused(bad):
    with pytest.raises(ValueProblem):
        parse_datetime(bad)


def test_a_reference_printed_after_the_date_is_read():
    assert leading_reference("10/09/2024\nFT24254123456789") == "FT24254123456789"
    assert leading_reference("10/09/2024") == ""
