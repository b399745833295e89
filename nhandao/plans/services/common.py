"""What every write of the plans app shares: the permission check and the city unit."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nhandao.core.access import PLANS_MANAGE
from nhandao.org import access
from nhandao.org.models import Unit

FIXTURE = Path(__file__).parent.parent / "fixtures" / "ke-hoach-hai-phong-2023.json"
MAX_ATTACHMENT = 20 * 1024 * 1024
ENTRY_FIELDS = ("status", "done", "figures", "difficulties", "proposals")


def _manage(actor) -> None:
    access.require(actor, PLANS_MANAGE, everywhere=True)


def city_unit() -> Unit:
    """The city society: the root unit of the installation that is still active."""
    unit = Unit.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("pk").first()
    if unit is None:
        raise ValidationError(_("Chưa có Hội Chữ thập đỏ thành phố trong cây tổ chức."))
    return unit
