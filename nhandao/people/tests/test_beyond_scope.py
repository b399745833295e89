"""Duplicate checks look beyond the user's scope on purpose: they say a record exists elsewhere,
never whose it is (org.access.split_visible)."""

import datetime as dt

import pytest

from .helpers import person


@pytest.fixture
def hung_b(world):
    """A member of phường Ngô Quyền."""
    return person(
        world.branch_b, "Trần Văn Hùng", date_of_birth=dt.date(1979, 11, 23), phone="0987654321", sex="M"
    )


@pytest.fixture
def hung_a(world):
    """A member of phường Lê Chân with the same name and phone."""
    return person(
        world.branch_a, "Trần Văn Hùng", date_of_birth=dt.date(1981, 3, 14), phone="0987654321", sex="M"
    )


def _type_name_and_phone(world):
    return world.client(world.entry_a).post(
        "/nguoi/them/",
        {"unit": world.branch_a.pk, "full_name": "tran van hung", "phone": "0987654321", "sex": "M"},
    )


def test_a_duplicate_in_another_commune_is_only_counted_on_the_create_form(world, hung_b):
    response = _type_name_and_phone(world)
    html = response.content.decode()
    assert response.status_code == 200
    for secret in ("Trần Văn Hùng", "23/11/1979", world.branch_b.name, f"/nguoi/{hung_b.pk}/"):
        assert secret not in html, secret
    assert "1 hồ sơ ở đơn vị ngoài phạm vi của bạn" in html


def test_a_duplicate_in_the_users_commune_is_shown_with_its_details(world, hung_a):
    response = _type_name_and_phone(world)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trần Văn Hùng" in html and world.branch_a.name in html and f"/nguoi/{hung_a.pk}/" in html
    assert "ngoài phạm vi của bạn" not in html
