"""Pledges (promised, fulfilled, outstanding, written off) and reversing entries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nhandao.core import refcodes
from nhandao.core.models import AuditEvent
from nhandao.funds import ledger, services
from nhandao.funds.models import (
    AccountKind,
    DisbursementStatus,
    Entry,
    PledgeStatus,
    Posting,
    PostingKind,
    RecordStatus,
)
from nhandao.funds.public import resolve_reference
from nhandao.funds.selectors import pledge_progress

from .conftest import give, pay, today


@pytest.fixture
def pledge(world, fund_a):
    return services.pledge_record(
        actor=world.finance_officer_a,
        fund=fund_a,
        donor_name="Công ty Cổ phần Cảng Hải Phòng",
        amount=50_000_000,
        pledged_on=today(),
    )


def _balance(fund, kind):
    return fund.accounts.get(kind=kind).balance


def test_a_pledge_is_a_receivable_not_income(world, fund_a, pledge):
    assert refcodes.is_valid(pledge.code)
    assert resolve_reference(pledge.code) == pledge
    assert _balance(fund_a, AccountKind.PLEDGES) == 50_000_000
    assert _balance(fund_a, AccountKind.INCOME) == 0
    assert pledge_progress(pledge) == {
        "amount": 50_000_000,
        "fulfilled": 0,
        "cancelled": 0,
        "outstanding": 50_000_000,
    }


def test_gifts_applied_to_a_pledge_fulfil_it_and_the_rest_is_plain_income(world, fund_a, pledge):
    give(world.finance_officer_a, fund_a, 30_000_000, pledge=pledge)
    assert pledge_progress(pledge)["outstanding"] == 20_000_000
    give(world.finance_officer_a, fund_a, 25_000_000, pledge=pledge)  # 5 million more than promised
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.FULFILLED
    assert pledge_progress(pledge)["fulfilled"] == 50_000_000
    assert _balance(fund_a, AccountKind.PLEDGES) == 0
    assert _balance(fund_a, AccountKind.INCOME) == -55_000_000
    assert ledger.verify().ok


def test_a_fulfilled_pledge_takes_no_more_gifts(world, fund_a, pledge):
    give(world.finance_officer_a, fund_a, 50_000_000, pledge=pledge)
    with pytest.raises(ValidationError, match="không còn phần chưa thực hiện"):
        give(world.finance_officer_a, fund_a, 1_000, pledge=pledge)


def test_a_gift_recorded_earlier_can_be_applied_to_the_pledge_later(world, fund_a, pledge):
    donation = give(world.finance_officer_a, fund_a, 10_000_000)
    services.donation_apply_to_pledge(actor=world.finance_officer_a, donation=donation, pledge=pledge)
    assert pledge_progress(pledge)["outstanding"] == 40_000_000
    with pytest.raises(ValidationError, match="đã được ghi vào một cam kết"):
        services.donation_apply_to_pledge(actor=world.finance_officer_a, donation=donation, pledge=pledge)


def test_writing_off_the_rest_of_a_pledge_clears_the_receivable(world, fund_a, pledge):
    give(world.finance_officer_a, fund_a, 20_000_000, pledge=pledge)
    with pytest.raises(ValidationError, match="lý do"):
        services.pledge_cancel(actor=world.finance_approver_a, pledge=pledge, reason="")
    services.pledge_cancel(actor=world.finance_approver_a, pledge=pledge, reason="Doanh nghiệp gặp khó khăn")
    pledge.refresh_from_db()
    assert (pledge.status, pledge.cancelled_amount) == (PledgeStatus.CANCELLED, 30_000_000)
    assert _balance(fund_a, AccountKind.PLEDGES) == 0
    assert _balance(fund_a, AccountKind.PLEDGES_DEFERRED) == 0


# Reversals -------------------------------------------------------------------------------------
def test_reversing_a_gift_keeps_both_postings_and_marks_the_gift(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 2_000_000)
    reversal = services.donation_reverse(
        actor=world.finance_approver_a, donation=donation, reason="Ghi nhầm quỹ"
    )
    donation.refresh_from_db()
    assert donation.status == RecordStatus.REVERSED
    original = Posting.objects.get(donation=donation, kind=PostingKind.DONATION)
    assert reversal.reverses == original and reversal.reason == "Ghi nhầm quỹ"
    assert [e.amount for e in reversal.entries.order_by("number")] == [-2_000_000, 2_000_000]
    assert _balance(fund_a, AccountKind.CASH) == 0
    assert Entry.objects.count() == 4
    assert AuditEvent.objects.filter(
        action="funds.donation.reversed", actor=world.finance_approver_a
    ).exists()
    assert ledger.verify().ok


def test_a_posting_is_reversed_only_once(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 2_000_000)
    services.donation_reverse(actor=world.finance_approver_a, donation=donation, reason="Ghi nhầm quỹ")
    with pytest.raises(ValidationError, match="đã được đảo"):
        services.donation_reverse(actor=world.city_admin, donation=donation, reason="Ghi nhầm lần nữa")


def test_a_reversal_is_not_reversed(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 2_000_000)
    reversal = services.donation_reverse(
        actor=world.finance_approver_a, donation=donation, reason="Ghi nhầm quỹ"
    )
    with pytest.raises(ValidationError, match="Không đảo một bút toán đảo"):
        services.posting_reverse(actor=world.city_admin, posting=reversal, reason="Đảo lại cho đúng")


def test_the_person_who_recorded_cannot_reverse(world, fund_a):
    donation = give(world.city_admin, fund_a, 2_000_000)
    with pytest.raises(ValidationError, match="nguyên tắc hai người"):
        services.donation_reverse(actor=world.city_admin, donation=donation, reason="Tự sửa")


def test_a_reversal_needs_a_reason(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 2_000_000)
    with pytest.raises(ValidationError, match="lý do"):
        services.donation_reverse(actor=world.finance_approver_a, donation=donation, reason="")


def test_a_gift_already_spent_cannot_be_reversed(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 2_000_000)
    pay(world, fund_a, 1_500_000)
    with pytest.raises(ValidationError, match="không đủ để ghi giảm"):
        services.donation_reverse(actor=world.city_admin, donation=donation, reason="Ghi nhầm quỹ")
    donation.refresh_from_db()
    assert donation.status == RecordStatus.POSTED


def test_reversing_a_payment_returns_the_money(world, fund_a):
    give(world.finance_officer_a, fund_a, 2_000_000)
    d = pay(world, fund_a, 1_500_000)
    with pytest.raises(ValidationError, match="nguyên tắc hai người"):
        services.disbursement_reverse(actor=world.finance_approver_a, disbursement=d, reason="Chi trùng")
    services.disbursement_reverse(actor=world.city_admin, disbursement=d, reason="Chi trùng")
    d.refresh_from_db()
    assert d.status == DisbursementStatus.REVERSED
    assert _balance(fund_a, AccountKind.CASH) == 2_000_000


def test_reversing_a_gift_applied_to_a_pledge_reopens_the_pledge(world, fund_a, pledge):
    donation = give(world.finance_officer_a, fund_a, 50_000_000, pledge=pledge)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.FULFILLED
    services.donation_reverse(
        actor=world.finance_approver_a, donation=donation, reason="Chuyển nhầm tài khoản"
    )
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN
    assert pledge_progress(pledge)["outstanding"] == 50_000_000
    assert _balance(fund_a, AccountKind.PLEDGES) == 50_000_000


def test_reversing_a_gift_applied_later_also_reverses_the_application(world, fund_a, pledge):
    donation = give(world.finance_officer_a, fund_a, 10_000_000)
    services.donation_apply_to_pledge(actor=world.finance_officer_a, donation=donation, pledge=pledge)
    services.donation_reverse(
        actor=world.finance_approver_a, donation=donation, reason="Chuyển nhầm tài khoản"
    )
    assert pledge_progress(pledge)["outstanding"] == 50_000_000
    assert Posting.objects.filter(kind=PostingKind.REVERSAL).count() == 2
    assert ledger.verify().ok


def test_a_pledge_with_gifts_is_written_off_not_reversed(world, fund_a, pledge):
    give(world.finance_officer_a, fund_a, 1_000_000, pledge=pledge)
    posting = Posting.objects.get(pledge=pledge, kind=PostingKind.PLEDGE)
    with pytest.raises(ValidationError, match="hủy phần còn lại"):
        services.posting_reverse(actor=world.finance_approver_a, posting=posting, reason="Ghi nhầm cam kết")
