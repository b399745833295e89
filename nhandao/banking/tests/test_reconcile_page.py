"""Messages that help on the reconciliation page (issue 15, point 6): it opens on the last
statement's period, never shows "−0 ₫", says who may lock and why the period cannot be locked yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from . import samples
from .conftest import bank_account, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def account_a(world):
    return bank_account(world, world.commune_a, bin="970436", number="0011001234567", name="Vietcombank")


@pytest.fixture
def imported(world, account_a):
    txns = [
        samples.Txn(dt.datetime(2025, 7, 2, 8) + dt.timedelta(hours=i), 100_000 + i, f"ung ho {i}", f"R{i}")
        for i in range(3)
    ]
    return import_file(world.finance_officer_a, account_a, samples.vietcombank_xlsx(txns))


def test_the_page_opens_on_the_last_statements_period(world, account_a, imported):
    imported.refresh_from_db()
    body = world.client(world.finance_approver_a).get(reverse("banking:reconcile", args=[account_a.pk]))
    body = body.content.decode()
    assert imported.date_to is not None
    assert f'value="{imported.date_to:%d/%m/%Y}"' in body and f'value="{imported.date_from:%d/%m/%Y}"' in body


def test_the_page_never_shows_minus_zero(world, account_a, imported):
    body = world.client(world.finance_approver_a).get(reverse("banking:reconcile", args=[account_a.pk]))
    assert "−0 ₫" not in body.content.decode()


def test_the_page_says_who_may_lock_and_why_not_yet(world, account_a, imported):
    body = world.client(world.finance_officer_a).get(reverse("banking:reconcile", args=[account_a.pk]))
    body = body.content.decode()
    assert "Người được khóa sổ" in body and world.finance_approver_a.get_full_name() in body
    assert "Bạn không có quyền khóa sổ" in body
    assert "Chưa thể khóa sổ kỳ này, vì:" in body and "đang chờ phân loại" in body


def test_a_user_of_another_commune_is_refused(world, account_a, imported):
    response = world.client(world.user_b).get(reverse("banking:reconcile", args=[account_a.pk]))
    assert response.status_code == 404
