from __future__ import annotations

import datetime as dt

import pytest

from nhandao.relief.models import IncidentKind
from nhandao.relief.services import incidents as incident_services


@pytest.fixture
def yagi(world):
    """The city's typhoon over both communes; Lê Chân's residents and households known."""
    incident = incident_services.incident_create(
        actor=world.city_admin,
        unit=world.city,
        kind=IncidentKind.TYPHOON,
        name="Bão số 3 – Yagi",
        starts_on=dt.date(2024, 9, 6),
        communes=[world.commune_a, world.commune_b],
    )
    incident_services.affected_commune_set(
        actor=world.city_admin, incident=incident, commune=world.commune_a, residents=1000, households=300
    )
    return incident
