"""Filters for printed documents (Decree 30/2020/NĐ-CP layout)."""

from django import template

register = template.Library()


@register.filter
def docdate(value) -> str:
    """'ngày 05 tháng 02 năm 2026': a leading zero for days under 10 and for months 1 and 2."""
    if not value:
        return ""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def upper_vi(value) -> str:
    return str(value or "").upper()
