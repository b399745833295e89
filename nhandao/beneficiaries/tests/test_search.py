"""Cases chosen from a search list instead of typing file numbers (issue 15, point 5)."""

from __future__ import annotations

from django.urls import reverse

from nhandao.beneficiaries.tests.helpers import make_case

URL = reverse("office:search", args=["ho-so"])


def test_a_case_is_found_by_its_heads_name_and_chosen_by_its_number(world):
    case = make_case(world.commune_a, "Trần Văn Tìm")
    found = world.client(world.entry_a).get(URL, {"q": "tran van tim"}).json()["results"]
    assert found == [
        {"value": case.number, "label": f"{case.number} · Trần Văn Tìm · {world.commune_a.name}"}
    ]


def test_a_user_of_another_commune_does_not_find_a_file_that_did_not_agree_to_share(world):
    case = make_case(world.commune_a, "Trần Văn Riêng", consent=False)
    client = world.client(world.user_b)
    assert client.get(URL, {"q": "tran van rieng"}).json()["results"] == []
    assert client.get(URL, {"q": case.number}).json()["results"] == []


def test_the_merge_form_searches_cases(world):
    case = make_case(world.commune_a, "Trần Văn Giữ")
    page = (
        world.client(world.manager_a)
        .get(reverse("beneficiaries:case_merge", args=[case.pk]))
        .content.decode()
    )
    assert 'data-search-select="/tim/ho-so/"' in page


def test_a_file_that_did_not_agree_to_share_shows_no_name_outside_its_commune(world):
    case = make_case(world.commune_a, "Trần Văn Kín", consent=False)
    found = world.client(world.inspector).get(URL, {"q": case.number}).json()["results"]
    assert found and all("Kín" not in r["label"] for r in found)
