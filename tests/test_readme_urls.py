"""Every address the README sends people to opens (issue 15, point 11).

The README is parsed for addresses written as code (`/nguoi/`); each is opened by the city
administrator (who may open every page of the office) and must answer 200, after redirects.
An address given with a placeholder (`/tin-nhan/ngung-nhan/…`) is left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
ADDRESS = re.compile(r"`(/[a-z0-9][a-z0-9\-/]*/)`")


def documented_addresses() -> list[str]:
    return sorted(set(ADDRESS.findall(README.read_text(encoding="utf-8"))))


def test_the_readme_documents_addresses():
    addresses = documented_addresses()
    assert "/nhap-du-lieu/nguoi/" in addresses and len(addresses) >= 10, addresses


@pytest.mark.parametrize("url", documented_addresses())
def test_documented_address_opens(world, url):
    response = world.client(world.city_admin).get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code, response.redirect_chain)


def test_old_import_address_redirects_to_the_readable_one(world):
    client = world.client(world.entry_a)
    response = client.get(f"/nhap-du-lieu/people.person/?don-vi={world.commune_a.pk}")
    assert response.status_code == 301
    assert response["Location"] == f"/nhap-du-lieu/nguoi/?don-vi={world.commune_a.pk}"
    assert (
        client.get("/nhap-du-lieu/beneficiaries.household/mau.xlsx")["Location"]
        == "/nhap-du-lieu/ho-gia-dinh/mau.xlsx"
    )


def test_readable_import_address_opens_and_other_units_are_not_offered(world):
    response = world.client(world.entry_a).get("/nhap-du-lieu/nguoi/")
    assert response.status_code == 200
    assert world.commune_b.name not in response.content.decode()
