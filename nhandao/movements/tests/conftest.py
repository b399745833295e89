from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nhandao.movements import services


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


def make_movement(
    world, unit=None, *, codes=("beneficiaries.gifts", "funds.raised"), kind="tet", year=None, **kw
):
    today = timezone.localdate()
    return services.movement_create(
        actor=None,
        unit=unit or world.city,
        kind=kind,
        year=year or today.year,
        name=kw.pop("name", "Tết Nhân ái thử"),
        indicator_codes=list(codes),
        starts_on=kw.pop("starts_on", today - dt.timedelta(days=30)),
        ends_on=kw.pop("ends_on", today + dt.timedelta(days=30)),
        **kw,
    )


@pytest.fixture
def movement(world):
    return make_movement(world)


CRITERIA = [("beneficiaries.gifts", 60), ("beneficiaries.households", 40)]


@pytest.fixture
def scheme(world):
    year = timezone.localdate().year
    return services.scheme_create(
        actor=None, unit=world.city, year=year, name="Thi đua thử", criteria=CRITERIA
    )
