from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_user
from nhandao.core.access import Role
from nhandao.org import services as org_services
from nhandao.people import services as people_services


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


def make_person(unit, name="Phạm Thị Hồng", **kw):
    kw.setdefault("date_of_birth", dt.date(1980, 5, 17))
    kw.setdefault("phone", "0912345678")
    kw.setdefault("sex", "F")
    return people_services.person_create(actor=None, unit=unit, full_name=name, allow_duplicate=True, **kw)


@pytest.fixture
def person_a(world):
    return make_person(world.commune_a, cccd="031180000123", address_detail="Số 12 Lạch Tray")


@pytest.fixture
def person_b(world):
    return make_person(world.commune_b, "Lê Văn Bình", phone="0987654321", date_of_birth=dt.date(1975, 1, 2))


def tracing_officer(world, unit, username):
    user = make_user(username)
    org_services.role_assign(
        actor=None, user=user, unit=unit, role=Role.TRACING_OFFICER, valid_from=dt.date(2025, 7, 1)
    )
    return user


@pytest.fixture
def tracer_a(world):
    return tracing_officer(world, world.commune_a, "truytim_a")


@pytest.fixture
def tracer_b(world):
    return tracing_officer(world, world.commune_b, "truytim_b")
