"""Every address the README sends people to opens (issue 15, point 11).

The README is parsed for addresses written as code (`/nguoi/`); each is opened by the city
administrator (who may open every page of the office) and must answer 200, after redirects.
An address given with a placeholder (`/tin-nhan/ngung-nhan/…`) is left out.
An address the README documents as reserved to one role (tracing, `/truy-tim/`, only for the
tracing officer, not even unit managers) is refused to the city administrator by design: it is
opened by a holder of that role instead, and the administrator's refusal is checked too.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import make_user
from nhandao.core.access import Role
from nhandao.org import services as org_services

README = Path(__file__).resolve().parent.parent / "README.md"
# Dots allowed: an importer without a readable slug is addressed by its key (`/nhap-du-lieu/movements.targets/`).
ADDRESS = re.compile(r"`(/[a-z0-9][a-z0-9\-/.]*/)`")
# Addresses only one role may open, by design (see the README line that documents each).
ROLE_ONLY = {"/truy-tim/": Role.TRACING_OFFICER}


def documented_addresses() -> list[str]:
    return sorted(set(ADDRESS.findall(README.read_text(encoding="utf-8"))))


def test_the_readme_documents_addresses():
    addresses = documented_addresses()
    assert "/nhap-du-lieu/nguoi/" in addresses and len(addresses) >= 10, addresses


@pytest.mark.parametrize("url", documented_addresses())
def test_documented_address_opens(world, url):
    response = world.client(world.city_admin).get(url, follow=True)
    if url in ROLE_ONLY:
        assert response.status_code == 403, (url, response.status_code, response.redirect_chain)
        holder = make_user("readme_role_holder")
        org_services.role_assign(
            actor=None, user=holder, unit=world.city, role=ROLE_ONLY[url], valid_from=dt.date(2025, 7, 1)
        )
        response = world.client(holder).get(url, follow=True)
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
