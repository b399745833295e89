"""The pages: each works for its users, refuses another unit's (404/403) and is bounded in queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nhandao.movements import services
from nhandao.movements.models import Movement, Target

from .conftest import make_movement

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(world):
    """Ngô Quyền's own movement, criteria, ranking, proposal and model."""
    movement = make_movement(world, world.commune_b, name="Phong trào riêng Ngô Quyền")
    scheme = services.scheme_create(
        actor=None,
        unit=world.commune_b,
        year=2026,
        name="Thi đua Ngô Quyền",
        criteria=[("beneficiaries.gifts", 100)],
    )
    ranking = services.ranking_freeze(actor=None, scheme=scheme)
    proposal = services.proposal_create(
        actor=None, unit=world.commune_b, level="city_society", title="Giấy khen", year=2026
    )
    practice = services.practice_create(
        actor=None,
        unit=world.commune_b,
        title="Mô hình Ngô Quyền",
        description="x",
        place="NQ",
        since=dt.date(2024, 1, 1),
        area="1",
    )
    return {
        "movement": movement,
        "scheme": scheme,
        "ranking": ranking,
        "proposal": proposal,
        "practice": practice,
    }


PAGES = [
    ("movements:movement", "movement"),
    ("movements:target_set", "movement"),
    ("movements:target_formula", "movement"),
    ("movements:target_export", "movement"),
    ("movements:scheme", "scheme"),
    ("movements:scheme_criteria", "scheme"),
    ("movements:score_add", "scheme"),
    ("movements:ranking_freeze", "scheme"),
    ("movements:ranking", "ranking"),
    ("movements:proposal", "proposal"),
    ("movements:proposal_item_add", "proposal"),
    ("movements:proposal_fill", "proposal"),
    ("movements:proposal_docx", "proposal"),
    ("movements:practice", "practice"),
    ("movements:practice_figure_add", "practice"),
    ("movements:practice_file_add", "practice"),
    ("movements:adoption_add", "practice"),
]
POSTS = ["movements:proposal_submit", "movements:proposal_review", "movements:proposal_decide"]


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_another_commune_s_records_are_refused(world, theirs, name, key):
    response = world.client(world.manager_a).get(reverse(name, args=[theirs[key].pk]))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("name", POSTS)
def test_another_commune_s_proposal_cannot_be_moved_on(world, theirs, name):
    response = world.client(world.manager_a).post(reverse(name, args=[theirs["proposal"].pk]))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_the_owner_reaches_every_page(world, theirs, name, key):
    assert world.client(world.manager_b).get(reverse(name, args=[theirs[key].pk])).status_code == 200


def test_a_user_without_a_role_is_refused_the_lists(world):
    client = world.client(world.nobody)
    for name in ("movements:list", "movements:schemes", "movements:proposals", "movements:practices"):
        assert client.get(reverse(name)).status_code == 403


def test_the_city_movement_board_shows_a_commune_its_own_row(world, movement):
    services.target_set(
        actor=None, movement=movement, unit=world.commune_b, indicator="beneficiaries.gifts", value=7
    )
    page = (
        world.client(world.manager_a).get(reverse("movements:movement", args=[movement.pk])).content.decode()
    )
    assert world.commune_a.name in page and world.commune_b.name not in page


def test_a_movement_is_launched_from_the_form(world):
    response = world.client(world.city_admin).post(
        reverse("movements:movement_create"),
        {
            "unit": world.city.pk,
            "kind": "tet",
            "year": 2027,
            "name": "Tết Nhân ái 2027",
            "indicator_codes": ["beneficiaries.gifts", "funds.raised"],
        },
    )
    movement = Movement.objects.get()
    assert response.status_code == 302 and movement.starts_on == dt.date(2026, 12, 23)


def test_a_negative_target_on_the_form_shows_the_message(world, movement):
    response = world.client(world.city_admin).post(
        reverse("movements:target_set", args=[movement.pk]),
        {"unit": world.commune_a.pk, "indicator": "beneficiaries.gifts", "value": -1},
    )
    assert "không được âm" in response.content.decode() and not Target.objects.exists()


def test_the_board_is_bounded_in_queries(world, movement, django_assert_max_num_queries):
    client = world.client(world.city_admin)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("movements:movement", args=[movement.pk])).status_code == 200


def test_the_lists_are_bounded_in_queries(world, theirs, django_assert_max_num_queries):
    client = world.client(world.city_admin)
    for name in ("movements:list", "movements:schemes", "movements:proposals", "movements:practices"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name)).status_code == 200


def test_the_ranking_board_shows_each_peer_group(world, scheme):
    client = world.client(world.city_admin)
    page = client.get(reverse("movements:scheme", args=[scheme.pk]), {"khoi": "ward"}).content.decode()
    assert world.commune_a.name in page
