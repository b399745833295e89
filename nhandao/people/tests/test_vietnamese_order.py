"""Vietnamese order in the database (core.collation) on real units and people: the ICU collation on
PostgreSQL, the registered collation on SQLite, the people list's stored key, and branch labels."""

import datetime as dt

import pytest
from django.template import Context, Template

from nhandao.core import collation
from nhandao.core.tests.test_collation import EXPECTED
from nhandao.org import services
from nhandao.org.models import Unit, UnitKind
from nhandao.people.models import Person


@pytest.mark.django_db
def test_database_orders_unit_names_in_vietnamese(geo):
    city = services.unit_create(
        actor=None,
        name="Hội CTĐ thành phố",
        kind=UnitKind.PROVINCE,
        code="X",
        province="31",
        valid_from=dt.date(2000, 1, 1),
    )
    for i, name in enumerate(reversed(EXPECTED)):
        services.unit_create(
            actor=None,
            parent=city,
            name=name,
            kind=UnitKind.BRANCH,
            code=f"X-{i:02d}",
            valid_from=dt.date(2020, 1, 1),
        )
    names = list(
        collation.order_by_name(Unit.objects.filter(parent=city), "name").values_list("name", flat=True)
    )
    assert names == EXPECTED


@pytest.mark.django_db
def test_people_list_order_uses_the_vietnamese_key(world):
    for name in ["Trần Văn Ơn", "Lê Thị Ô", "Phạm Văn Đức", "Nguyễn Văn Dũng", "Hoàng Ánh", "Vũ Văn Vân"]:
        p = Person(full_name=name, unit=world.commune_a)
        p.refresh_keys()
        p.save()
    given = [p.given_name for p in Person.objects.filter(unit=world.commune_a).order_by("sort_key", "id")]
    assert given == ["Ánh", "Dũng", "Đức", "Ô", "Ơn", "Vân"]


@pytest.mark.django_db
def test_city_lists_name_a_branch_with_its_commune(world):
    html = Template("{{ u|unit_label }}").render(Context({"u": world.branch_a}))
    assert html == f'{world.branch_a.name} <small class="muted">· {world.commune_a.name}</small>'
    assert Template("{{ u|unit_label }}").render(Context({"u": world.commune_a})) == world.commune_a.name
