"""The people search list (issue 15, point 5): a person chosen by name, in the caller's scope."""

from __future__ import annotations

from django.urls import reverse

from nhandao.people.tests.helpers import person

URL = reverse("office:search", args=["nguoi"])


def _found(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_a_person_is_found_by_name_without_diacritics(world):
    mai = person(world.commune_a, "Nguyễn Thị Mai")
    found = _found(world.client(world.entry_a), "nguyen thi mai")
    assert [r["value"] for r in found] == [str(mai.pk)]
    assert "Nguyễn Thị Mai" in found[0]["label"] and world.commune_a.name in found[0]["label"]


def test_a_person_is_found_by_record_number(world):
    mai = person(world.commune_a, "Nguyễn Thị Mai")
    assert _found(world.client(world.entry_a), str(mai.pk))[0]["value"] == str(mai.pk)


def test_a_user_of_another_unit_finds_nobody_of_ours(world):
    mai = person(world.commune_a, "Nguyễn Thị Mai")
    client = world.client(world.user_b)
    assert _found(client, "Nguyễn Thị Mai") == []
    assert _found(client, str(mai.pk)) == []


def test_whoever_may_not_see_people_is_refused(world):
    assert world.client(world.nobody).get(URL, {"q": "mai"}).status_code == 403
    assert world.client().get(URL, {"q": "mai"}).status_code == 302  # to the sign-in page


def test_an_unknown_list_is_not_found(world):
    url = reverse("office:search", args=["khong-co"])
    assert world.client(world.entry_a).get(url).status_code == 404


def test_the_merge_form_searches_and_names_only_a_person_in_scope(world):
    mine = person(world.commune_a, "Nguyễn Thị Mai")
    other = person(world.commune_a, "Nguyễn Thị Mai Anh")
    theirs = person(world.commune_b, "Phạm Văn Bên Kia")
    client = world.client(world.manager_a)
    url = reverse("people:merge", args=[mine.pk])
    page = client.get(url).content.decode()
    assert 'data-search-select="/tim/nguoi/"' in page
    page = client.get(url, {"other": other.pk}).content.decode()
    assert "Nguyễn Thị Mai Anh" in page
    page = client.get(url, {"other": theirs.pk}).content.decode()
    assert "Phạm Văn Bên Kia" not in page


def test_member_fields_appear_with_the_role_they_belong_to(world):
    page = world.client(world.entry_a).get(reverse("people:create")).content.decode()
    assert 'data-show-when="kind=staff"' in page  # the staff type, for a staff member only
