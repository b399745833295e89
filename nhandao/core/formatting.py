"""One place for how money, numbers and dates look.

Money is whole đồng (VND has no minor unit) held in integer columns; it is
shown "1.250.000 ₫" by `nhandao.core.money` (reading and formatting amounts
live there).  Dates are dd/mm/yyyy.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language

from nhandao.core.money import format_amount, format_number

# Amounts are formatted by core.money; these names stay for the templates and the many callers.
number = format_number
money = format_amount


def quantity(value: Decimal | int | float | None, places: int = 3) -> str:
    """A quantity or score the Vietnamese way, up to `places` decimals: 1250.5 -> '1.250,5', 51.98 ->
    '51,98', 30 -> '30' (goods in kind, hours, points)."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")


def date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value.strftime("%d/%m/%Y")


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H:%M")


def long_date(day: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2026' (Decree 30/2020: a leading zero for days below 10 and months 1–2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, on: dt.date | None) -> str:
    """The place and date of an official document, 'Hải Phòng, ngày 05 tháng 02 năm 2026'; blank
    spaces to fill by hand when the document is not dated yet."""
    if on is None:
        return f"{place}, ngày      tháng      năm"
    return f"{place}, {long_date(on)}"


def parse_date(text: str) -> dt.date:
    """Parse dd/mm/yyyy (also d/m/yyyy and dd-mm-yyyy); raises ValueError."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def masked_id(value: str | None) -> str:
    """'031185000123' -> '0311••••••23': province and century/sex digits, then the last two."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 6:
        return "•" * len(value)
    return f"{value[:4]}{'•' * (len(value) - 6)}{value[-2:]}"


@lru_cache(maxsize=1024)
def _choice_labels(model, field_name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def choice_label(obj, field_name: str) -> str:
    """What obj.get_<field>_display() gives, from a table built once per field and language:
    Django's rebuilds the field's choices (and translates each label) on every call, which cost a
    list of fifty rows 2 ms."""
    value = getattr(obj, field_name)
    label = _choice_labels(type(obj), field_name, get_language()).get(value)
    return label if label is not None else ("" if value is None else str(value))
