"""Amounts of đồng: reading, checking, rounding, the form field and how they look.

Money is whole đồng (VND has no minor unit) in integer columns, never a float.
Every form, import, bank-statement reader and the public portal reads an amount
with `parse_amount`, so "1.250.000" means the same thing everywhere.

The rule (Vietnamese convention: dot = thousands)
--------------------------------------------------
Accepted, all meaning 1 250 000 đồng::

    1250000    1.250.000    1,250,000    1 250 000    " 1.250.000 "
    1.250.000 ₫    1.250.000 đ    1.250.000 đồng    1.250.000 VND / VNĐ / vnđ
    1.250.000,00   1,250,000.00   (bank statements: a decimal part of zeros)

- Thousands separators are ".", "," or a space; every group after the first
  has exactly three digits ("1.00.000" and "1.2345" are refused), and one
  amount uses one kind of thousands separator.
- A lone separator followed by exactly three digits is a thousands separator:
  "1.250" and "1,250" are 1 250 đồng, never 1,25.
- A decimal separator is the last of "." and "," when both appear
  ("20.000.000,00", "1,000,000.00"), or a lone separator followed by one or two
  digits ("150000,00").  Its digits must be zeros: "1.000,50", "1.5" and
  "12,50" are refused, never rounded.  Where a caller must round (a foreign
  currency at a rate), it calls `round_to_dong` explicitly.
- Negative amounts only where the caller allows them (`negative=True`, the bank
  statement columns): "-50.000", "50.000-", "(50.000)"; "+200.000" is positive.
- An empty text, a lone "-" (how statements print an empty column) is no amount
  (None).
- Shorthand is refused with a message asking for the digits: "1tr2", "1,2 triệu",
  "500k", "2 tỷ".  "1tr2" is 1 200 000 to one person and 1 000 002 to a tired
  one; a ledger must not guess.
- Numbers from spreadsheets: an int as is; a float or Decimal must be whole
  (a float within 10⁻⁶ of a whole number is that number: Excel arithmetic).
- At most 18 digits (the column is a bigint); services bound amounts further
  with `whole_dong` (`MAX_AMOUNT`, the largest amount a receipt can spell out).

Anything refused raises `MoneyError` (a ValueError) whose `message` is Vietnamese
and names the value; forms show it under the field, the import engine puts the
row and column around it, statement readers the line.

Quantities of goods (`parse_quantity`) are different: kilograms and litres have
decimals, so "1,5" and "1.5" are both one and a half.

Amounts in words for receipts live in `nhandao.core.vnwords` (`amount_in_words`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core.vnwords import MAX as MAX_AMOUNT
from nhandao.core.vnwords import amount_in_words

__all__ = [
    "MAX_AMOUNT",
    "MoneyError",
    "MoneyField",
    "amount_in_words",
    "format_amount",
    "format_number",
    "parse_amount",
    "parse_quantity",
    "round_to_dong",
    "whole_dong",
]

MAX_DIGITS = 18
FLOAT_TOLERANCE = 1e-6

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Longest spellings first so "vnđ" is not read as "vn" + "đ".
_CURRENCY = re.compile(r"^(?:vnđ|vnd|đồng|dong|₫|đ)\s*|\s*(?:vnđ|vnd|đồng|dong|₫|đ)$")
_NUMBER = re.compile(r"^[0-9][0-9., ]*$")
_SHORTHAND = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:k|nghìn|nghin|ngàn|ngan|tr|triệu|trieu|tỷ|tỉ|ty|ti)\s*\d*$")
_MINUS = "-−–"
# Thousands groups with one kind of separator and nothing else: what statements print most.
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$|^[1-9]\d{0,2}(?:,\d{3})+$")


class MoneyError(ValueError):
    """An amount that cannot be read; `message` is a Vietnamese sentence naming the value.

    `code` says what is wrong: "invalid", "fraction", "negative", "shorthand",
    "separators" or "too_large".
    """

    def __init__(self, message: str, *, code: str = "invalid", value: object = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.value = value


_MESSAGES = {
    "invalid": gettext_lazy("Số tiền “%(v)s” không hợp lệ."),
    "fraction": gettext_lazy("Số tiền phải là số đồng nguyên, không có phần lẻ."),
    "negative": gettext_lazy("Số tiền “%(v)s” không hợp lệ: không được âm."),
    "shorthand": gettext_lazy(
        "Số tiền “%(v)s” không hợp lệ: hãy ghi đủ chữ số, ví dụ 1.200.000 thay cho 1tr2."
    ),
    "separators": gettext_lazy(
        "Số tiền “%(v)s” không hợp lệ: dấu phân cách hàng nghìn sai chỗ (ví dụ đúng: 1.250.000)."
    ),
    "too_large": gettext_lazy("Số tiền “%(v)s” quá lớn."),
}


def _error(code: str, value: object) -> MoneyError:
    # Only the message raised is translated (a statement of 200,000 rows may raise on many).
    shown = str(value).strip()[:40]
    return MoneyError(str(_MESSAGES[code]) % {"v": shown}, code=code, value=value)


def _strip_currency(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _CURRENCY.sub("", text).strip()
    return text


def parse_amount(value: object, *, negative: bool = False) -> int | None:
    """Whole đồng from what a person typed or a cell held; None for no amount.

    >>> parse_amount("1.250.000 ₫"), parse_amount("20.000.000,00"), parse_amount("1,250")
    (1250000, 20000000, 1250)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _error("invalid", value)
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _error("invalid", value)
        amount = round(value)
        if abs(value - amount) > FLOAT_TOLERANCE:
            raise _error("fraction", value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _error("invalid", value)
        if value != value.to_integral_value():
            raise _error("fraction", value)
        amount = int(value)
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS:
        amount = int(value)  # the common case, "500000": no further work
    elif isinstance(value, str) and len(value) <= MAX_DIGITS + 6 and _GROUPED.match(value):
        amount = int(value.replace(".", "").replace(",", ""))  # "1.250.000", "1,250,000": the rule, quickly
    else:
        amount = _parse_text(str(value), value)
        if amount is None:
            return None
    if amount < 0 and not negative:
        raise _error("negative", value)
    return amount


def _parse_text(raw: str, value: object) -> int | None:
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip().lower()
    if not text or text in _MINUS:
        return None
    is_negative = False
    text = _strip_currency(text)
    if text.startswith("(") and text.endswith(")"):
        is_negative, text = True, _strip_currency(text[1:-1])
    if text[:1] in _MINUS:
        is_negative, text = not is_negative, text[1:].strip()
    elif text[:1] == "+":
        text = text[1:].strip()
    elif text[-1:] in _MINUS:
        is_negative, text = not is_negative, text[:-1].strip()
    text = _strip_currency(text)
    if _SHORTHAND.match(text):
        raise _error("shorthand", value)
    if not _NUMBER.match(text):
        raise _error("invalid", value)
    integer, fraction = _split_decimal(text, value)
    if fraction.strip("0"):
        raise _error("fraction", value)
    if len(integer) > MAX_DIGITS:
        raise _error("too_large", value)
    amount = int(integer)
    return -amount if is_negative else amount


def _split_decimal(text: str, value: object) -> tuple[str, str]:
    """The integer digits and the decimal digits of '1.234.567,00'-like text."""
    dots, commas = text.count("."), text.count(",")
    decimal = ""
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        if text.count(decimal) > 1:
            raise _error("separators", value)
    elif dots + commas == 1:
        sep = "." if dots else ","
        if len(text.rsplit(sep, 1)[1]) in (1, 2):
            decimal = sep
    integer, fraction = text.rsplit(decimal, 1) if decimal else (text, "")
    if decimal and not fraction.isdigit():
        raise _error("separators", value)
    separators = {ch for ch in integer if not ch.isdigit()}
    if len(separators) > 1:
        raise _error("separators", value)
    if separators:
        groups = integer.split(separators.pop())
        if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
            raise _error("separators", value)
    return integer.replace(".", "").replace(",", "").replace(" ", ""), fraction


def whole_dong(value: object, field: str = "amount", *, allow_zero: bool = False) -> int:
    """A service's check of an amount: read by the rule above, positive, at most MAX_AMOUNT.

    Raises ValidationError({field: message}).
    """
    if value is None or value == "" or isinstance(value, bool):
        raise ValidationError({field: _("Hãy nhập số tiền (đồng).")})
    try:
        amount = parse_amount(value, negative=True)
    except MoneyError as exc:
        raise ValidationError({field: exc.message}) from None
    if amount is None:
        raise ValidationError({field: _("Hãy nhập số tiền (đồng).")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("Số tiền phải lớn hơn 0.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("Số tiền quá lớn.")})
    return amount


def round_to_dong(value: Decimal) -> int:
    """An exact amount (a foreign-currency gift at a rate, a share of goods) rounded half up to whole đồng."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_quantity(value: object, field: str = "items") -> Decimal:
    """A quantity of goods: positive, up to three decimals, "1,5" or "1.5" (no thousands separators)."""
    try:
        q = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise ValidationError({field: _("Số lượng “%(v)s” không hợp lệ.") % {"v": value}}) from None
    if not q.is_finite() or q <= 0:
        raise ValidationError({field: _("Số lượng phải lớn hơn 0.")})
    if q != q.quantize(Decimal("0.001")):
        raise ValidationError({field: _("Số lượng có nhiều nhất 3 chữ số thập phân.")})
    if q >= Decimal("1e12"):
        raise ValidationError({field: _("Số lượng quá lớn.")})
    return q


def format_number(value: int | None) -> str:
    """272000 -> '272.000'.  Vietnamese does not inflect nouns after numbers."""
    if value is None:
        return ""
    if not isinstance(value, int):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def format_amount(value: int | None, unit: str = "₫") -> str:
    """1250000 -> '1.250.000 ₫' (unit "VND", "đ" or "" for other places)."""
    if value is None:
        return ""
    number = format_number(value)
    return f"{number} {unit}" if unit else number


class MoneyField(forms.IntegerField):
    """Whole đồng typed the Vietnamese way ("1.250.000", "1250000 đ"); shows "1.250.000".

    `negative=True` lets a field take a negative amount; min_value/max_value work
    as on IntegerField.  The service still checks the range.
    """

    widget = forms.TextInput

    def __init__(self, *, negative: bool = False, placeholder: str = "1.000.000", **kwargs):
        self.negative = negative
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": placeholder}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
            if len(value) > 40:
                raise forms.ValidationError(_("Số tiền “%(v)s” không hợp lệ.") % {"v": value[:40]})
        try:
            return parse_amount(value, negative=self.negative)
        except MoneyError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        return value
