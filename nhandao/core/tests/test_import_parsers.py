"""The parsers accept the messy forms real spreadsheets contain and refuse nonsense clearly."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import (
    DateOrYear,
    choice,
    multi,
    parse_bool,
    parse_date,
    parse_date_or_year,
    parse_email,
    parse_int,
    parse_money,
    parse_name,
    parse_phone,
)

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("05/03/1962", DateOrYear(1962, dt.date(1962, 3, 5))),
        ("5/3/62", DateOrYear(1962, dt.date(1962, 3, 5))),
        ("5/3/15", DateOrYear(2015, dt.date(2015, 3, 5))),
        ("05-03-1962", DateOrYear(1962, dt.date(1962, 3, 5))),
        ("05.03.1962", DateOrYear(1962, dt.date(1962, 3, 5))),
        ("1962-03-05", DateOrYear(1962, dt.date(1962, 3, 5))),
        (" 05 / 03 / 1962 ", DateOrYear(1962, dt.date(1962, 3, 5))),
        ("1962", DateOrYear(1962)),
        (1962, DateOrYear(1962)),
        (1962.0, DateOrYear(1962)),
        ("03/1962", DateOrYear(1962)),
        (22710, DateOrYear(1962, dt.date(1962, 3, 5))),  # an Excel serial number
        (22710.0, DateOrYear(1962, dt.date(1962, 3, 5))),
        (dt.datetime(1962, 3, 5, 0, 0), DateOrYear(1962, dt.date(1962, 3, 5))),
        (dt.date(1962, 3, 5), DateOrYear(1962, dt.date(1962, 3, 5))),
        ("05/03/1962 00:00:00", DateOrYear(1962, dt.date(1962, 3, 5))),
    ],
)
def test_dates_are_read_in_every_form_old_records_use(raw, expected):
    assert parse_date_or_year(raw, today=TODAY) == expected


@pytest.mark.parametrize("raw", ["31/02/1990", "13/13/1990", "không rõ", "1850", "5//", "00/00/0000"])
def test_impossible_dates_are_refused_with_the_value_in_the_message(raw):
    with pytest.raises(CellError) as exc:
        parse_date_or_year(raw, today=TODAY)
    assert raw.strip() in exc.value.message or "không" in exc.value.message


def test_blank_dates_are_none():
    assert parse_date_or_year("  ") is None
    assert parse_date_or_year(None) is None


def test_a_full_date_column_refuses_a_bare_year():
    with pytest.raises(CellError) as exc:
        parse_date("2015")
    assert "chỉ có năm" in exc.value.message


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_any_date_written_dd_mm_yyyy_reads_back(day):
    assert parse_date_or_year(day.strftime("%d/%m/%Y")) == DateOrYear(day.year, day)


# Serials 1900-2100 (dates in 1905) read as bare years, the far likelier meaning in a birth column.
@given(st.dates(min_value=dt.date(1905, 10, 1), max_value=dt.date(2099, 12, 31)))
def test_any_excel_serial_reads_back(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date_or_year(float(serial)).date == day


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "84912345678",
        912345678,
        912345678.0,
        "(+84) 912.345.678",
        "0084912345678",
    ],
)
def test_phones_in_any_common_form_normalise_to_ten_digits(raw):
    assert parse_phone(raw) == "0912345678"


def test_landlines_keep_eleven_digits():
    assert parse_phone("0225 3842 123") == "02253842123"


@pytest.mark.parametrize("raw", ["12345", "091234567890123", "số máy bàn", "0912a45678"])
def test_bad_phones_are_refused(raw):
    with pytest.raises(CellError) as exc:
        parse_phone(raw)
    assert "Số điện thoại" in exc.value.message


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("NGUYỄN THỊ MINH ANH", "Nguyễn Thị Minh Anh"),
        ("  trần   văn  bình ", "Trần Văn Bình"),
        ("LÊ văn a", "Lê Văn A"),
    ],
)
def test_names_in_capitals_or_lower_case_are_title_cased(raw, expected):
    assert parse_name(raw) == expected


def test_names_with_digits_are_refused():
    with pytest.raises(CellError):
        parse_name("Nguyễn Văn 2")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (1000000, 1000000),
        ("1.000.000", 1000000),
        ("1,000,000 đ", 1000000),
        ("20.000.000,00", 20000000),
        ("50000 VNĐ", 50000),
        (30000.0, 30000),
    ],
)
def test_money_is_whole_dong_from_any_common_form(raw, expected):
    assert parse_money(raw) == expected


@pytest.mark.parametrize("raw", [1000.5, "1.000,5", "-5000", "mười nghìn"])
def test_money_with_fractions_or_words_is_refused(raw):
    with pytest.raises(CellError):
        parse_money(raw)


def test_integers_booleans_and_emails():
    assert parse_int("1.234") == 1234
    assert parse_bool("Có") is True and parse_bool("x") is True and parse_bool("không") is False
    assert parse_email(" An@Example.ORG ") == "an@example.org"
    with pytest.raises(CellError):
        parse_email("an at example")


def test_choices_ignore_case_and_diacritics_and_list_the_options():
    sex = choice({"Nam": "M", "Nữ": "F"}, "giới tính")
    assert sex("NU") == "F" and sex("nữ") == "F" and sex(" Nam ") == "M"
    with pytest.raises(CellError) as exc:
        sex("khác")
    assert "Nam, Nữ" in exc.value.message


def test_multi_splits_on_commas_and_semicolons():
    roles = multi(choice({"Hội viên": "member", "TNV": "volunteer"}))
    assert roles("Hội viên; tnv") == ["member", "volunteer"]
    assert roles("") == []
