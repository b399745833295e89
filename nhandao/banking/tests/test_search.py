"""Banks chosen from a search list instead of typing NAPAS BINs (issue 15, point 5)."""

from __future__ import annotations

from django.urls import reverse


def test_a_bank_is_found_by_name_or_code_and_chosen_by_its_bin(world):
    url = reverse("office:search", args=["ngan-hang"])
    client = world.client(world.finance_officer_a)
    assert client.get(url, {"q": "vietcom"}).json()["results"][0]["value"] == "970436"
    assert client.get(url, {"q": "ngoai thuong"}).json()["results"][0]["value"] == "970436"


def test_the_bank_list_needs_a_signed_in_user(world):
    assert world.client().get(reverse("office:search", args=["ngan-hang"])).status_code == 302
