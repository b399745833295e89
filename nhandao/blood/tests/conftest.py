from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from conftest import make_user
from nhandao.blood import services
from nhandao.blood.models import CollectionCentre
from nhandao.core.access import Role
from nhandao.org import services as org_services


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The public forms' failed tries are counted in the cache (core.throttle): none carried over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def medic_a(world):
    user = make_user("medic_a")
    org_services.role_assign(
        actor=None, user=user, unit=world.commune_a, role=Role.MEDICAL_STAFF, valid_from=dt.date(2025, 7, 1)
    )
    return user


@pytest.fixture
def centre(db):
    return CollectionCentre.objects.get_or_create(name="Bệnh viện Hữu nghị Việt Tiệp")[0]


def make_drive(world, unit=None, *, days=14, capacity=10, **kw):
    unit = unit or world.commune_a
    fields = {
        "name": "Chủ nhật Đỏ Lê Chân",
        "venue": "Nhà văn hóa phường",
        "address": "Số 5 Lạch Tray",
        "ward": unit.ward,
        "date": timezone.localdate() + dt.timedelta(days=days),
        "starts_at": dt.time(7, 0),
        "ends_at": dt.time(11, 0),
        "centre": CollectionCentre.objects.get_or_create(name="Bệnh viện Hữu nghị Việt Tiệp")[0],
        "capacity_per_hour": capacity,
        "target_units": 40,
    }
    fields.update(kw)
    manager = world.manager_a if unit.path.startswith(world.commune_a.path) else world.manager_b
    return services.drive_create(actor=manager, unit=unit, **fields)


@pytest.fixture
def drive(world):
    return make_drive(world)


def register(drive, *, name="Nguyễn Thị Hoa", born=dt.date(1995, 3, 10), phone="0912000111", **kw):
    fields = {
        "drive": drive,
        "full_name": name,
        "date_of_birth": born,
        "sex": "F",
        "phone": phone,
        "slot": dt.time(7, 0),
        "weight": Decimal("52"),
    }
    fields.update(kw)
    return services.registration_create(**fields)
