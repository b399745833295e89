"""Contention (issue 16, point 10): ten simultaneous approvals of one draft payment give one
approval and nine "already approved" answers, never a server error; a request blocked by a lock
fails fast with a Vietnamese 503 page (lock_timeout), nothing written, while reads keep working."""

from __future__ import annotations

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from nhandao.funds import ledger, services
from nhandao.funds.models import AccountKind, Disbursement, DisbursementStatus

from .conftest import give, pay

pytestmark = pytest.mark.django_db(transaction=True)


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers at BEGIN IMMEDIATE and its in-memory test database is shared "
            "between threads (test_concurrency.py explains): the race is tested on PostgreSQL."
        )


@pytest.fixture
def draft(world):
    fund = services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=world.commune_a.valid_from
    )
    give(world.finance_officer_a, fund, 10_000_000)
    return pay(world, fund, 3_000_000, approve=False)


def test_ten_simultaneous_approvals_give_one_approval_and_nine_already_approved(world, draft):
    _postgres_only()
    clients = [world.client(world.finance_approver_a) for _ in range(10)]  # signed in before the race
    url = reverse("funds:disbursement_approve", args=[draft.pk])
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def approve(client):
        try:
            barrier.wait()
            response = client.post(url)
            said = " ".join(str(m) for m in get_messages(response.wsgi_request))
            with lock:
                answers.append((response.status_code, said))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert [status for status, _said in answers] == [302] * 10, answers
    said = [text for _status, text in answers]
    assert sum("Đã duyệt và ghi sổ khoản chi" in s for s in said) == 1, said
    assert sum("đã được duyệt" in s for s in said) == 9, said
    draft.refresh_from_db()
    assert draft.status == DisbursementStatus.APPROVED
    assert draft.fund.accounts.get(kind=AccountKind.CASH).balance == 7_000_000
    assert ledger.verify().ok


def test_a_request_blocked_by_a_lock_fails_fast_with_a_vietnamese_page_and_reads_go_on(world, draft):
    _postgres_only()
    client = Client()
    client.force_login(world.finance_approver_a)
    held, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Disbursement.objects.select_for_update().get(pk=draft.pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert held.wait(timeout=10)
        with connection.cursor() as cursor:  # the request runs on this thread's connection
            cursor.execute("SET lock_timeout = '300ms'")
        response = client.post(reverse("funds:disbursement_approve", args=[draft.pk]))
        assert response.status_code == 503 and response["Retry-After"]
        assert "Hệ thống đang bận" in response.content.decode()
        # Reads take no row lock: the payment's page and the list still answer.
        assert client.get(reverse("funds:disbursement", args=[draft.pk])).status_code == 200
        assert client.get(reverse("funds:disbursements")).status_code == 200
    finally:
        release.set()
        holder.join(timeout=30)
    draft.refresh_from_db()
    assert draft.status == DisbursementStatus.DRAFT  # nothing written


def test_the_web_requests_run_with_lock_and_statement_timeouts(db):
    _postgres_only()
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW statement_timeout")
        statement_timeout = cursor.fetchone()[0]
    assert lock_timeout == "5s" and statement_timeout == "30s"
