"""The one money rule: what is read, what is refused, and that formatting then reading returns the amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from nhandao.core.money import (
    MAX_AMOUNT,
    MoneyError,
    MoneyField,
    amount_in_words,
    format_amount,
    format_number,
    parse_amount,
    parse_quantity,
    round_to_dong,
    whole_dong,
)

ACCEPTED = [
    ("1.250.000", 1_250_000),
    ("1,250,000", 1_250_000),
    ("1250000", 1_250_000),
    ("1 250 000", 1_250_000),
    ("1\u00a0250\u00a0000", 1_250_000),
    ("  1.250.000  ", 1_250_000),
    ("1.250.000 ₫", 1_250_000),
    ("1.250.000₫", 1_250_000),
    ("1.250.000 đ", 1_250_000),
    ("1.250.000đ", 1_250_000),
    ("1.250.000 đồng", 1_250_000),
    ("1.250.000 VND", 1_250_000),
    ("1.250.000 VNĐ", 1_250_000),
    ("1.250.000 vnđ", 1_250_000),
    ("VND 1.250.000", 1_250_000),
    ("20.000.000,00", 20_000_000),
    ("1,000,000.00", 1_000_000),
    ("150000,00", 150_000),
    ("150000.0", 150_000),
    ("1.250", 1_250),
    ("1,250", 1_250),
    ("0", 0),
    ("+200.000", 200_000),
    (1_250_000, 1_250_000),
    (1_250_000.0, 1_250_000),
    (Decimal("1250000.00"), 1_250_000),
]

REFUSED = [
    ("abc", "invalid"),
    ("một triệu", "invalid"),
    ("1e6", "invalid"),
    ("NaN", "invalid"),
    ("1.5", "fraction"),
    ("12,50", "fraction"),
    ("1.000,50", "fraction"),
    ("1,000.5", "fraction"),
    (1000.5, "fraction"),
    (Decimal("1000.5"), "fraction"),
    ("1.00.000", "separators"),
    ("1..000", "separators"),
    ("1.2345", "separators"),
    ("1234.567", "separators"),
    ("1,000.000,00", "separators"),
    ("1.000 000", "separators"),
    ("1.000,", "separators"),
    ("1,000.", "separators"),
    ("1.000, 00", "separators"),
    ("1tr2", "shorthand"),
    ("1,2 triệu", "shorthand"),
    ("500k", "shorthand"),
    ("2 tỷ", "shorthand"),
    ("-50.000", "negative"),
    ("(50.000)", "negative"),
    (-5, "negative"),
    ("9" * 40, "too_large"),
    (True, "invalid"),
]


@pytest.mark.parametrize(("text", "amount"), ACCEPTED)
def test_every_common_spelling_of_an_amount_is_read(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_fractions_shorthand_and_misplaced_separators_are_refused(text, code):
    with pytest.raises(MoneyError) as info:
        parse_amount(text)
    assert info.value.code == code


@pytest.mark.parametrize("empty", [None, "", "   ", "-", "–"])
def test_an_empty_value_is_no_amount(empty):
    assert parse_amount(empty) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("-1.000.000", -1_000_000),
        ("(1.000.000)", -1_000_000),
        ("1.000.000-", -1_000_000),
        ("- 50.000 ₫", -50_000),
    ],
)
def test_negative_amounts_are_read_where_the_caller_allows_them(text, amount):
    assert parse_amount(text, negative=True) == amount


def test_the_message_is_vietnamese_and_names_the_value():
    with pytest.raises(MoneyError) as info:
        parse_amount("12 con gà")
    assert info.value.message == "Số tiền “12 con gà” không hợp lệ."
    assert isinstance(info.value, ValueError)


def test_shorthand_is_refused_with_a_message_asking_for_the_digits():
    with pytest.raises(MoneyError, match="hãy ghi đủ chữ số"):
        parse_amount("1tr2")


def test_a_dot_before_three_digits_is_a_thousands_separator_not_a_decimal():
    assert parse_amount("1.250") == parse_amount("1,250") == parse_amount("1250") == 1250


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["₫", "đ", "VND", "vnđ", ""]))
def test_formatting_then_reading_returns_the_amount(amount, unit):
    assert parse_amount(format_amount(amount, unit)) == amount
    assert parse_amount(format_number(amount)) == amount


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["₫", "VND", ""]))
def test_formatting_then_reading_returns_a_negative_amount_where_allowed(amount, unit):
    assert parse_amount(format_amount(amount, unit), negative=True) == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_bank_statement_spellings_read_back_the_same_amount(amount):
    assert parse_amount(f"{amount:,}") == amount
    assert parse_amount(f"{amount:,}.00") == amount
    assert parse_amount(format_number(amount) + ",00") == amount
    assert parse_amount(f"{amount:,}".replace(",", " ")) == amount


def test_amounts_are_shown_with_dot_thousands_and_a_unit():
    assert format_amount(1_250_000) == "1.250.000 ₫"
    assert format_amount(1_250_000, "VND") == "1.250.000 VND"
    assert format_amount(-20_000) == "-20.000 ₫"
    assert format_amount(None) == ""


def test_whole_dong_reads_text_by_the_same_rule():
    # Decimal("1.000") is one đồng; the rule reads a dot before three digits as thousands.
    assert whole_dong("1.000") == 1000
    assert whole_dong("1.250.000 ₫") == 1_250_000


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "Số tiền phải lớn hơn 0."),
        ("-5", "Số tiền phải lớn hơn 0."),
        (MAX_AMOUNT + 1, "Số tiền quá lớn."),
        ("1000.50", "Số tiền phải là số đồng nguyên, không có phần lẻ."),
        (None, "Hãy nhập số tiền (đồng)."),
    ],
)
def test_whole_dong_refuses_what_a_service_must_not_post(value, message):
    with pytest.raises(ValidationError) as info:
        whole_dong(value, "goal")
    assert info.value.message_dict == {"goal": [message]}


def test_whole_dong_allows_zero_only_when_asked():
    assert whole_dong(0, allow_zero=True) == 0


@pytest.mark.parametrize(
    ("value", "dong"),
    [(Decimal("12.5"), 13), (Decimal("12.49"), 12), (Decimal("100") * Decimal("25345.5"), 2534550)],
)
def test_rounding_to_dong_is_half_up_and_explicit(value, dong):
    assert round_to_dong(value) == dong


def test_quantities_of_goods_keep_their_decimals():
    assert parse_quantity("1,5") == Decimal("1.5")
    assert parse_quantity("12") == Decimal("12")
    with pytest.raises(ValidationError):
        parse_quantity("1.2345")


def test_amounts_in_words_are_reachable_from_money():
    assert amount_in_words(50_000_000) == "Năm mươi triệu đồng"


class _Form(forms.Form):
    amount = MoneyField(required=False)
    debit = MoneyField(required=False, negative=True)
    fee = MoneyField(required=False, min_value=1)


def test_the_form_field_reads_the_vietnamese_way():
    form = _Form({"amount": "1.250.000 đ", "debit": "(50.000)"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": 1_250_000, "debit": -50_000, "fee": None}


def test_the_form_field_refuses_with_the_parsers_message():
    form = _Form({"amount": "1tr2", "fee": "0"})
    assert not form.is_valid()
    assert "hãy ghi đủ chữ số" in form.errors["amount"][0]
    assert "fee" in form.errors


def test_the_form_field_shows_its_value_formatted_and_asks_for_the_numeric_keyboard():
    html = str(_Form(initial={"amount": 1_250_000})["amount"])
    assert 'value="1.250.000"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="text"' in html


def test_the_form_field_redisplays_what_was_typed():
    html = str(_Form({"amount": "1tr2"})["amount"])
    assert 'value="1tr2"' in html
