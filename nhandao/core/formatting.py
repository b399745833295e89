"""One place for how money, numbers and dates look.

Money is whole đồng (VND has no minor unit) held in integer columns; it is
shown "1.250.000 ₫".  Dates are dd/mm/yyyy.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def number(value: int | None) -> str:
    """272000 -> '272.000'.  Vietnamese does not inflect nouns after numbers."""
    if value is None:
        return ""
    if not isinstance(value, int):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def money(value: int | None) -> str:
    """1250000 -> '1.250.000 ₫'."""
    if value is None:
        return ""
    return f"{number(value)} ₫"


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
