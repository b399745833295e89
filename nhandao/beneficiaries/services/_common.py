"""Helpers shared by the beneficiary services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core.access import BENEFICIARIES_VIEW
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind
from nhandao.people.services import commune_of  # noqa: F401  (the commune-level society of a unit)

from ..choices import CaseStatus
from ..models import Case


def _check_visible(actor, case: Case) -> None:
    """A case outside the actor's scope does not exist for them."""
    if actor is not None and not access.has_perm(actor, BENEFICIARIES_VIEW, case.unit):
        raise Case.DoesNotExist


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(value: dt.date | None, field: str, label: str) -> None:
    if value is not None and value > _today():
        raise ValidationError({field: _("%(l)s không được ở tương lai.") % {"l": label}})


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "hệ thống"
    return actor.get_full_name() or actor.get_username()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def commune_of_ward(ward) -> Unit | None:
    """The commune-level society serving a current administrative unit today."""
    if ward is None:
        return None
    return Unit.objects.active().filter(kind=UnitKind.COMMUNE, ward=ward).order_by("pk").first()


def check_address(actor, perm: str, ward, unit: Unit | None = None) -> tuple[Unit, Unit]:
    """(commune, keeping unit) for an address, or a ValidationError naming the field.

    The address must be in a current commune-level unit served by a society, and that
    society (or the chi hội chosen under it) must lie in the actor's scope.
    """
    if ward is None:
        raise ValidationError({"ward": _("Cần có xã, phường, đặc khu nơi ở.")})
    commune = commune_of_ward(ward)
    if commune is None:
        raise ValidationError(
            {"ward": _("%(w)s chưa có Hội Chữ thập đỏ cấp xã trong hệ thống.") % {"w": ward.name}}
        )
    if unit is None:
        unit = commune
    elif not unit.path.startswith(commune.path):
        raise ValidationError(
            {"unit": _("%(u)s không thuộc %(c)s, nơi hộ đang ở.") % {"u": unit.name, "c": commune.name}}
        )
    if actor is not None and not access.has_perm(actor, perm, unit):
        raise ValidationError(
            {
                "ward": _(
                    "Địa chỉ ở %(w)s thuộc %(c)s, ngoài phạm vi của bạn; hồ sơ phải do đơn vị đó lập "
                    "(hoặc Hội cấp trên chuyển hồ sơ)."
                )
                % {"w": ward.name, "c": commune.name}
            }
        )
    return commune, unit


def _require_open(case: Case) -> None:
    if case.merged_into_id:
        raise ValidationError(
            _("Hồ sơ này đã được hợp nhất vào hồ sơ khác; hãy làm việc trên hồ sơ còn lại.")
        )
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Hồ sơ đã đóng; mở lại hồ sơ trước khi thay đổi."))


def address_key(text: str) -> str:
    """'Số 12, ngõ 5 Lạch Tray' and 'so 12 ngo 5 lach tray' compare equal."""
    key = normalize(text or "")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in key).split())[:200]
