"""Vietnamese order (issue 15, point 4): A < Ă < Â < B … D < Đ < E … O < Ô < Ơ < P, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from nhandao.core import collation

# "Ái" and "An" differ in their letters (i < n) before their tones, so Ái comes first:
EXPECTED = [
    "Ái",
    "An",
    "Anh",
    "Ăn",
    "Ẩn",
    "Bình",
    "Dũng",
    "Đức",
    "Em",
    "Ê",
    "Oanh",
    "Ô Môn",
    "Ơn",
    "Pha",
    "Ưng",
    "Vân",
]
SHUFFLED = [EXPECTED[i] for i in (5, 0, 12, 3, 15, 7, 1, 9, 14, 2, 11, 6, 13, 4, 10, 8)]


def test_python_sort_puts_letters_with_marks_after_their_base():
    assert collation.vi_sorted(reversed(EXPECTED)) == EXPECTED


def test_stored_sort_key_orders_letters_bytewise():
    assert sorted(SHUFFLED, key=collation.sort_key) == EXPECTED
    assert collation.sort_key("Đỗ Thị Hằng").isascii()


def test_tones_break_ties_after_the_letters():
    assert collation.vi_sorted(["Hóa", "Hỏa", "Hoa", "Hòa", "Họa", "Hõa"]) == [
        "Hoa",
        "Hòa",
        "Hỏa",
        "Hõa",
        "Hóa",
        "Họa",
    ]


@pytest.mark.django_db
def test_database_orders_unit_names_in_vietnamese(geo):
    from nhandao.org import services
    from nhandao.org.models import Unit, UnitKind

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
    from nhandao.people.models import Person

    for name in ["Trần Văn Ơn", "Lê Thị Ô", "Phạm Văn Đức", "Nguyễn Văn Dũng", "Hoàng Ánh", "Vũ Văn Vân"]:
        p = Person(full_name=name, unit=world.commune_a)
        p.refresh_keys()
        p.save()
    given = [p.given_name for p in Person.objects.filter(unit=world.commune_a).order_by("sort_key", "id")]
    assert given == ["Ánh", "Dũng", "Đức", "Ô", "Ơn", "Vân"]


@pytest.mark.django_db
def test_city_lists_name_a_branch_with_its_commune(world):
    from django.template import Context, Template

    html = Template("{{ u|unit_label }}").render(Context({"u": world.branch_a}))
    assert html == f'{world.branch_a.name} <small class="muted">· {world.commune_a.name}</small>'
    assert Template("{{ u|unit_label }}").render(Context({"u": world.commune_a})) == world.commune_a.name
