"""Helpers shared by the people services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nhandao.core.access import (
    PEOPLE_VIEW,
)
from nhandao.org import access

from ..choices import (
    ETHNICITIES,
)
from ..models import (
    Person,
)

PERSON_FIELDS = (
    "full_name",
    "sex",
    "date_of_birth",
    "birth_year",
    "cccd",
    "legacy_id_number",
    "phone",
    "email",
    "ethnicity",
    "ward",
    "address_detail",
    "occupation",
    "workplace",
    "note",
)
_ETHNICITY_CODES = {code for code, _name in ETHNICITIES}


def _check_visible(actor, person: Person) -> None:
    """A person outside the actor's scope does not exist for them."""
    if actor is not None and not access.has_perm(actor, PEOPLE_VIEW, person.unit):
        raise Person.DoesNotExist


def _today() -> dt.date:
    return timezone.localdate()
