"""Amounts of đồng: reading what people type, the whole-đồng check, the form field.

Money is whole đồng (VND has no minor unit) in integer columns, never a float.  Moved here
from funds (its form field and its services' check) so that campaigns and the other apps
below funds use them without importing funds.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nhandao.core.vnwords import MAX as MAX_AMOUNT

_GROUPED = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")


def parse_money(text: str) -> int:
    """'1.000.000', '1,000,000', '1 000 000', '1000000 ₫' -> 1000000; decimals are an error."""
    value = (text or "").strip().lower()
    for suffix in ("₫", "vnđ", "vnd", "đồng", "đ"):
        value = value.removesuffix(suffix).strip()
    value = value.replace("\u00a0", " ")
    if re.fullmatch(r"\d+", value):
        return int(value)
    match = _GROUPED.match(value)
    if match:
        return int(re.sub(r"[.,\s]", "", value))
    if re.fullmatch(r"\d+([.,]\d+)+", value):
        raise forms.ValidationError(_("Số tiền phải là số đồng nguyên, không có phần lẻ."))
    raise forms.ValidationError(_("Số tiền “%(v)s” không hợp lệ.") % {"v": text})


def whole_dong(value, field: str = "amount", *, allow_zero: bool = False) -> int:
    """An amount in whole đồng: an int, or a Decimal/str without a fractional part."""
    if value is None or value == "" or isinstance(value, bool):
        raise ValidationError({field: _("Hãy nhập số tiền (đồng).")})
    if isinstance(value, int):
        amount = value
    else:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError({field: _("Số tiền “%(v)s” không hợp lệ.") % {"v": value}}) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError({field: _("Số tiền phải là số đồng nguyên, không có phần lẻ.")})
        amount = int(number)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("Số tiền phải lớn hơn 0.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("Số tiền quá lớn.")})
    return amount


class MoneyField(forms.CharField):
    """Whole đồng typed the Vietnamese way; the service still checks the range."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "1.000.000"}
    )

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_money(value)
