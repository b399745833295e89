"""Helpers shared by the relief services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nhandao.core.text import clean_spaces


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def text(value, limit: int) -> str:
    return clean_spaces(value or "")[:limit]


def required_text(value, limit: int, field: str, message: str) -> str:
    value = text(value, limit)
    if not value:
        raise ValidationError({field: message})
    return value


def need_date(value, field: str) -> None:
    if value is None:
        raise ValidationError({field: _("Hãy nhập ngày (dd/mm/yyyy).")})
