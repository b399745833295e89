"""The one list of bank accounts (the fund's page, with the links banking adds) and its actions;
the fund's former list `/ngan-hang/` redirects to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nhandao.core.access import Role
from nhandao.funds.models import BankAccount
from nhandao.org import services as org_services

from .conftest import bank_account, import_file
from .samples import Txn, vietcombank_xlsx

pytestmark = pytest.mark.django_db

LIST = "/ngan-hang/sao-ke/"


@pytest.fixture
def account_a(world):
    return bank_account(world, world.commune_a, bin="970436", number="0011001234567", name="Vietcombank")


@pytest.fixture
def account_b(world):
    return bank_account(world, world.commune_b, bin="970418", number="9876543210", name="BIDV")


def _rows(body: str) -> str:
    return body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_list_keeps_its_path_and_the_old_fund_list_redirects_to_it_permanently(world):
    assert reverse("funds:bank_accounts") == LIST
    response = world.client(world.viewer_a).get("/ngan-hang/", {"page": "2"})
    assert response.status_code == 301
    assert response["Location"] == f"{LIST}?page=2"


def test_the_list_shows_only_the_accounts_of_the_users_scope(world, account_a, account_b):
    assert "9876543210" in world.client(world.city_admin).get(LIST).content.decode()
    body = world.client(world.viewer_a).get(LIST).content.decode()
    assert "0011001234567" in body
    assert "9876543210" not in body and "Ngô Quyền" not in body


def test_a_viewer_sees_the_accounts_and_their_vietqr_but_not_their_statements(world, account_a):
    statements = f'href="{reverse("banking:account", args=[account_a.pk])}"'
    vietqr = f'href="{reverse("banking:account_vietqr", args=[account_a.pk])}"'
    officer = world.client(world.finance_officer_a).get(LIST).content.decode()
    assert statements in officer and vietqr in officer  # positive control
    response = world.client(world.viewer_a).get(LIST)
    body = response.content.decode()
    assert response.status_code == 200 and "0011001234567" in body and vietqr in body
    assert statements not in body and reverse("banking:mappings") not in body
    assert world.client(world.viewer_a).get(f"/ngan-hang/tai-khoan/{account_a.pk}/").status_code == 404


def test_the_queue_count_is_shown_to_those_who_see_the_statements(world, account_a):
    txns = [
        Txn(dt.datetime(2025, 7, 2, 8 + i), 100_000 + i, f"ung ho dong bao {i}", f"R{i}") for i in range(3)
    ]
    import_file(world.finance_officer_a, account_a, vietcombank_xlsx(txns))
    queue = reverse("banking:queue", args=[account_a.pk])
    assert queue in world.client(world.finance_officer_a).get(LIST).content.decode()
    assert queue not in world.client(world.viewer_a).get(LIST).content.decode()


def test_the_toggle_is_offered_only_on_the_units_the_user_manages(world, account_a, account_b):
    org_services.role_assign(actor=None, user=world.manager_a, unit=world.city, role=Role.VIEWER)
    rows = _rows(world.client(world.manager_a).get(LIST).content.decode())
    assert "0011001234567" in rows and "9876543210" in rows
    assert reverse("funds:bank_account_toggle", args=[account_a.pk]) in rows
    assert reverse("funds:bank_account_toggle", args=[account_b.pk]) not in rows
    assert reverse("funds:bank_account_create") in world.client(world.manager_a).get(LIST).content.decode()
    viewer = world.client(world.viewer_a).get(LIST).content.decode()
    assert "doi-trang-thai" not in viewer and reverse("funds:bank_account_create") not in viewer


def test_a_manager_declares_an_account_and_returns_to_the_one_list(world):
    client = world.client(world.manager_a)
    assert client.get("/ngan-hang/them/").status_code == 200
    response = client.post(
        reverse("funds:bank_account_create"),
        {
            "unit": world.commune_a.pk,
            "bank_name": "Vietcombank",
            "bank_bin": "970436",
            "account_number": "0031000123456",
            "holder": "Hoi CTD Le Chan",
        },
    )
    assert response.status_code == 302 and response["Location"] == LIST
    assert BankAccount.objects.get(account_number="0031000123456").unit == world.commune_a


def test_a_viewer_may_not_declare_an_account(world):
    assert world.client(world.viewer_a).get(reverse("funds:bank_account_create")).status_code == 403


def test_a_manager_deactivates_then_reactivates_an_account(world, account_a):
    client = world.client(world.manager_a)
    url = reverse("funds:bank_account_toggle", args=[account_a.pk])
    assert url == f"/ngan-hang/{account_a.pk}/doi-trang-thai/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    account_a.refresh_from_db()
    assert account_a.is_active is False
    client.post(url)
    account_a.refresh_from_db()
    assert account_a.is_active is True


def test_the_toggle_refuses_another_commune_and_a_viewer(world, account_a):
    url = reverse("funds:bank_account_toggle", args=[account_a.pk])
    assert world.client(world.manager_b).post(url).status_code == 404
    assert world.client(world.viewer_a).post(url).status_code == 403
    assert world.client(world.manager_a).get(url).status_code == 405
    account_a.refresh_from_db()
    assert account_a.is_active is True


def test_the_list_runs_a_bounded_number_of_queries(world, settings, django_assert_max_num_queries):
    settings.NHANDAO_PAGE_SIZE = 50
    for i in range(25):
        unit = world.commune_a if i % 2 else world.commune_b
        bank_account(world, unit, number=f"12345{i:04d}", name=f"Ngân hàng {i}")
    client = world.client(world.city_admin)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200 and "123450024" in response.content.decode()
