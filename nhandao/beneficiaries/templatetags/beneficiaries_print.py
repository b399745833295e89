"""Filters for printed documents (Decree 30/2020/NĐ-CP layout)."""

from django import template

from nhandao.core.formatting import long_date

register = template.Library()


@register.filter
def docdate(value) -> str:
    """'ngày 05 tháng 02 năm 2026': a leading zero for days under 10 and for months 1 and 2."""
    return long_date(value) if value else ""


@register.filter
def upper_vi(value) -> str:
    return str(value or "").upper()
