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


@pytest.fixture
def catalogue(world):
    from nhandao.relief.services import stock

    return {
        "kit": stock.item_create(
            actor=world.city_admin, code="KIT", name="Bộ đồ dùng gia đình", measure="bộ", unit_value=450_000
        ),
        "rice": stock.item_create(
            actor=world.city_admin, code="GAO", name="Gạo", measure="kg", unit_value=18_000
        ),
        "water": stock.item_create(
            actor=world.city_admin,
            code="NUOC",
            name="Nước uống đóng chai",
            measure="thùng",
            unit_value=60_000,
            perishable=True,
        ),
    }


@pytest.fixture
def store_a(world):
    from nhandao.relief.services import stock

    return stock.warehouse_create(
        actor=world.manager_a, unit=world.commune_a, name="Kho Hội CTĐ phường Lê Chân"
    )


@pytest.fixture
def store_b(world):
    from nhandao.relief.services import stock

    return stock.warehouse_create(
        actor=world.manager_b, unit=world.commune_b, name="Kho Hội CTĐ phường Ngô Quyền"
    )


def receive(world, warehouse, item, quantity, *, day=None, actor=None, **line):
    from django.utils import timezone

    from nhandao.relief.services import stock

    return stock.stock_receive(
        actor=actor or world.entry_a,
        warehouse=warehouse,
        received_on=day or timezone.localdate(),
        source="other",
        lines=[stock.ReceiptLine(item=item, quantity=quantity, **line)],
    )
