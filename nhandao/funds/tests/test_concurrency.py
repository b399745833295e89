"""Two approvals racing for the same money: the fund lock lets exactly one through."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nhandao.funds import ledger, services
from nhandao.funds.models import AccountKind, DisbursementStatus

from .conftest import give, pay


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_cannot_overdraw_a_fund(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite takes a database-wide write lock at BEGIN IMMEDIATE, so two approvals can never "
            "interleave; and the in-memory test database shares one cache between threads, where SQLite "
            "answers 'table is locked' instead of waiting.  The race is tested on PostgreSQL."
        )
    fund = services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=world.commune_a.valid_from
    )
    give(world.finance_officer_a, fund, 100_000_000)
    first = pay(world, fund, 60_000_000, approve=False)
    second = pay(world, fund, 60_000_000, approve=False)

    # Widen the window between reading the balance and posting: without the fund lock
    # both approvals would read 100 million here and both would post.
    monkeypatch.setattr(ledger.posting, "after_balance_check", lambda: time.sleep(0.5))
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}

    def approve(disbursement):
        try:
            barrier.wait()
            services.disbursement_approve(actor=world.finance_approver_a, disbursement=disbursement)
            results[disbursement.pk] = "approved"
        except ValidationError as exc:
            results[disbursement.pk] = " ".join(exc.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(d,)) for d in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    outcomes = list(results.values())
    assert outcomes.count("approved") == 1, results
    refusal = next(o for o in outcomes if o != "approved")
    assert "không đủ để ghi giảm" in refusal, results
    assert fund.accounts.get(kind=AccountKind.CASH).balance == 40_000_000
    statuses = sorted(
        type(first).objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    )
    assert statuses == sorted([DisbursementStatus.APPROVED, DisbursementStatus.DRAFT])
    assert ledger.verify().ok
