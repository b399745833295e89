"""A unit's finance officer declares its bank accounts, confirmed by another (issue 15, point 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nhandao.core.access import Role
from nhandao.core.models import AuditEvent
from nhandao.funds import services
from nhandao.funds.models import BankAccount
from nhandao.org import services as org_services

ACCOUNT = {
    "bank_name": "Vietcombank",
    "bank_bin": "970436",
    "account_number": "0031000123456",
    "holder": "Hội Chữ thập đỏ phường Lê Chân",
}


def _declare(world, **kw):
    return services.bank_account_declare(actor=world.finance_officer_a, unit=world.commune_a, **ACCOUNT, **kw)


def test_the_finance_officer_declares_an_account_through_the_form(world):
    client = world.client(world.finance_officer_a)
    page = client.get(reverse("funds:bank_accounts")).content.decode()
    assert reverse("funds:bank_account_create") in page  # the list has its add link now
    response = client.post(reverse("funds:bank_account_create"), {"unit": world.commune_a.pk, **ACCOUNT})
    assert response.status_code == 302
    account = BankAccount.objects.get(account_number="0031000123456")
    assert (account.is_active, account.awaiting_confirmation, account.declared_by) == (
        False,
        True,
        world.finance_officer_a,
    )
    assert AuditEvent.objects.filter(action="funds.bank_account.declared", object_id=str(account.pk)).exists()
    assert "Chờ xác nhận" in client.get(reverse("funds:bank_accounts")).content.decode()


def test_a_declared_account_takes_no_gift_until_confirmed(world, fund_a):
    account = _declare(world)
    page = world.client(world.finance_officer_a).get(reverse("funds:donation_create")).content.decode()
    assert "0031000123456" not in page
    with pytest.raises(ValidationError):
        services.bank_ledger_account(fund_a, account)


def test_the_approver_confirms_it_and_it_is_in_use(world):
    account = _declare(world)
    client = world.client(world.finance_approver_a)
    assert "Xác nhận tài khoản" in client.get(reverse("funds:bank_accounts")).content.decode()
    client.post(reverse("funds:bank_account_confirm", args=[account.pk]))
    account.refresh_from_db()
    assert account.is_active and not account.awaiting_confirmation
    assert AuditEvent.objects.filter(
        action="funds.bank_account.confirmed", actor=world.finance_approver_a
    ).exists()


def test_the_declarer_cannot_confirm_their_own_account(world):
    org_services.role_assign(
        actor=None,
        user=world.finance_officer_a,
        unit=world.commune_a,
        role=Role.FINANCE_APPROVER,
        valid_from=dt.date(2025, 7, 1),
    )
    account = _declare(world)
    with pytest.raises(ValidationError, match="không tự xác nhận"):
        services.bank_account_confirm(actor=world.finance_officer_a, bank_account=account)


def test_a_finance_officer_cannot_confirm(world):
    account = _declare(world)
    other_officer = world.entry_a  # no approval, no fund management
    with pytest.raises(PermissionDenied):
        services.bank_account_confirm(actor=other_officer, bank_account=account)


def test_a_user_of_another_unit_is_refused(world):
    account = _declare(world)
    response = world.client(world.manager_b).post(reverse("funds:bank_account_confirm", args=[account.pk]))
    assert response.status_code in (403, 404)
    account.refresh_from_db()
    assert account.awaiting_confirmation and not account.is_active


def test_a_viewer_cannot_declare(world):
    assert world.client(world.viewer_a).get(reverse("funds:bank_account_create")).status_code == 403
