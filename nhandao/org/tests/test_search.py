"""Communes and accounts chosen from search lists, not typed as codes (issue 15, point 5)."""

from __future__ import annotations

from django.urls import reverse


def test_a_commune_is_found_by_its_name_without_diacritics_hai_phong_first(world):
    response = world.client(world.entry_a).get(reverse("office:search", args=["xa-phuong"]), {"q": "le chan"})
    found = response.json()["results"]
    assert found[0]["value"] == world.commune_a.ward_id
    assert found[0]["label"].startswith("Phường Lê Chân, Thành phố Hải Phòng")


def test_a_commune_is_found_by_its_code(world):
    code = world.commune_a.ward_id
    response = world.client(world.entry_a).get(reverse("office:search", args=["xa-phuong"]), {"q": code})
    assert [r["value"] for r in response.json()["results"]] == [code]


def test_the_unit_form_asks_for_a_commune_by_name(world):
    page = (
        world.client(world.city_admin).get(reverse("org:unit_create", args=[world.city.pk])).content.decode()
    )
    assert 'data-search-select="/tim/xa-phuong/"' in page


def test_the_role_form_finds_accounts_for_the_city_admin(world):
    url = reverse("office:search", args=["tai-khoan"])
    found = world.client(world.city_admin).get(url, {"q": "manager"}).json()["results"]
    assert {r["value"] for r in found} == {"manager_a", "manager_b"}


def test_who_may_not_assign_roles_cannot_list_accounts(world):
    url = reverse("office:search", args=["tai-khoan"])
    assert world.client(world.manager_a).get(url, {"q": "manager"}).status_code == 403


def test_the_role_form_shows_the_chosen_account_by_its_name(world):
    url = reverse("org:role_assign", args=[world.commune_a.pk])
    page = world.client(world.city_admin).post(url, {"user": "manager_b", "role": ""}).content.decode()
    assert 'data-search-select="/tim/tai-khoan/"' in page
    assert 'data-search-label="manager_b' in page
