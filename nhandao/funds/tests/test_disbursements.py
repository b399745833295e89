"""Disbursements: maker ≠ checker, only approved ones post, never below zero, transfers, goods."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.core.models import AuditEvent
from nhandao.funds import ledger, services
from nhandao.funds.models import (
    AccountKind,
    Channel,
    DisbursementStatus,
    Entry,
    Fund,
    FundKind,
    Posting,
)
from nhandao.funds.services import GoodsLine

from .conftest import give, pay, today


@pytest.fixture
def funded(world, fund_a):
    give(world.finance_officer_a, fund_a, 10_000_000)
    return fund_a


def test_a_draft_does_not_touch_the_books(world, funded):
    draft = pay(world, funded, 4_000_000, approve=False)
    assert draft.status == DisbursementStatus.DRAFT
    assert draft.voucher_label == f"PC{today().year}-00001"
    assert not Posting.objects.filter(disbursement=draft).exists()
    assert funded.accounts.get(kind=AccountKind.CASH).balance == 10_000_000


def test_approval_by_another_user_posts_the_payment_and_audits_both_people(world, funded):
    d = pay(world, funded, 4_000_000)
    assert d.status == DisbursementStatus.APPROVED and d.decided_by == world.finance_approver_a
    entries = Entry.objects.filter(posting__disbursement=d).order_by("number")
    assert [(e.account.kind, e.amount) for e in entries] == [
        (AccountKind.EXPENSE, 4_000_000),
        (AccountKind.CASH, -4_000_000),
    ]
    event = AuditEvent.objects.get(action="funds.disbursement.approved")
    assert event.data["drafted_by"] == "finance_officer_a"
    assert event.data["approved_by"] == "finance_approver_a"
    assert AuditEvent.objects.filter(
        action="funds.disbursement.drafted", actor=world.finance_officer_a
    ).exists()


def test_the_drafter_cannot_approve_their_own_disbursement(world, funded):
    draft = pay(world, funded, 1_000_000, approve=False, drafter=world.city_admin)
    with pytest.raises(ValidationError, match="Người duyệt phải khác người lập"):
        services.disbursement_approve(actor=world.city_admin, disbursement=draft)
    draft.refresh_from_db()
    assert draft.status == DisbursementStatus.DRAFT
    assert not Posting.objects.filter(disbursement=draft).exists()


def test_an_approved_disbursement_cannot_be_approved_again(world, funded):
    d = pay(world, funded, 1_000_000)
    with pytest.raises(ValidationError, match="đã được duyệt"):
        services.disbursement_approve(actor=world.city_admin, disbursement=d)
    assert Posting.objects.filter(disbursement=d).count() == 1


def test_a_disbursement_above_the_balance_is_refused_at_draft(world, funded):
    with pytest.raises(ValidationError, match="không đủ để chi"):
        pay(world, funded, 10_000_001, approve=False)


def test_a_disbursement_above_the_balance_is_refused_at_approval(world, funded):
    first = pay(world, funded, 6_000_000, approve=False)
    second = pay(world, funded, 6_000_000, approve=False)
    services.disbursement_approve(actor=world.finance_approver_a, disbursement=first)
    with pytest.raises(ValidationError, match="không đủ để ghi giảm"):
        services.disbursement_approve(actor=world.finance_approver_a, disbursement=second)
    second.refresh_from_db()
    assert second.status == DisbursementStatus.DRAFT
    assert funded.accounts.get(kind=AccountKind.CASH).balance == 4_000_000


def test_the_drafter_needs_the_draft_permission_and_the_approver_the_approve_permission(world, funded):
    with pytest.raises(PermissionDenied):
        pay(world, funded, 1_000, approve=False, drafter=world.finance_approver_a)
    draft = pay(world, funded, 1_000, approve=False)
    for user in (world.viewer_a, world.inspector_a, world.manager_a, world.user_b):
        with pytest.raises(PermissionDenied):
            services.disbursement_approve(actor=user, disbursement=draft)


def test_a_rejected_draft_never_posts(world, funded):
    draft = pay(world, funded, 1_000_000, approve=False)
    with pytest.raises(ValidationError, match="lý do"):
        services.disbursement_reject(actor=world.finance_approver_a, disbursement=draft, reason=" ")
    services.disbursement_reject(actor=world.finance_approver_a, disbursement=draft, reason="Thiếu hồ sơ")
    with pytest.raises(ValidationError, match="không duyệt"):
        services.disbursement_approve(actor=world.finance_approver_a, disbursement=draft)
    assert not Posting.objects.filter(disbursement=draft).exists()


def test_the_drafter_can_withdraw_a_draft(world, funded):
    draft = pay(world, funded, 1_000_000, approve=False)
    services.disbursement_withdraw(actor=world.finance_officer_a, disbursement=draft)
    draft.refresh_from_db()
    assert draft.status == DisbursementStatus.WITHDRAWN


def test_a_transfer_moves_money_into_the_sub_units_fund(world, city_fund):
    give(world.city_admin, city_fund, 50_000_000)
    d = services.disbursement_draft(
        actor=world.city_admin,
        fund=city_fund,
        kind="transfer",
        amount=20_000_000,
        purpose="Hỗ trợ phường Lê Chân khắc phục hậu quả bão",
        destination_unit=world.commune_a,
    )
    d = services.disbursement_approve(actor=_approver_city(world), disbursement=d)
    commune_fund = Fund.objects.get(unit=world.commune_a, kind=FundKind.GENERAL)
    assert d.destination_fund == commune_fund
    assert commune_fund.accounts.get(kind=AccountKind.CASH).balance == 20_000_000
    assert city_fund.accounts.get(kind=AccountKind.CASH).balance == 30_000_000
    assert ledger.verify().ok


def _approver_city(world):
    from nhandao.accounts.models import User
    from nhandao.core.access import Role
    from nhandao.org import services as org_services

    user = User.objects.create(username="approver_city", full_name="Duyệt chi thành phố")
    org_services.role_assign(actor=None, user=user, unit=world.city, role=Role.FINANCE_APPROVER)
    return user


def test_a_transfer_goes_only_to_a_sub_unit(world, fund_a, fund_b):
    give(world.finance_officer_a, fund_a, 1_000_000)
    with pytest.raises(ValidationError, match="Chỉ điều chuyển cho đơn vị trực thuộc"):
        services.disbursement_draft(
            actor=world.finance_officer_a,
            fund=fund_a,
            kind="transfer",
            amount=1_000,
            purpose="x",
            destination_unit=world.commune_b,
        )


def test_restricted_money_transferred_stays_restricted(world, appeal):
    donation = give(world.city_admin, None, 9_000_000, unit=world.city, campaign=appeal)
    d = services.disbursement_draft(
        actor=world.city_admin,
        fund=donation.fund,
        kind="transfer",
        amount=5_000_000,
        purpose="Chuyển hỗ trợ hộ bị sập nhà",
        destination_unit=world.commune_a,
    )
    d = services.disbursement_approve(actor=_approver_city(world), disbursement=d)
    assert (d.destination_fund.kind, d.destination_fund.campaign) == (FundKind.RESTRICTED, appeal)
    assert set(Entry.objects.filter(posting__disbursement=d).values_list("campaign_id", flat=True)) == {
        appeal.pk
    }


def test_spending_from_a_restricted_fund_is_always_for_its_campaign(world, appeal, movement):
    donation = give(world.finance_officer_a, None, 1_000_000, unit=world.commune_a, campaign=appeal)
    with pytest.raises(ValidationError, match="chỉ được chi cho cuộc vận động của quỹ"):
        pay(world, donation.fund, 1_000, approve=False, campaign=movement)
    d = pay(world, donation.fund, 1_000)
    assert d.campaign == appeal


def test_goods_are_issued_at_average_value_and_the_last_unit_takes_the_remainder(world, fund_a):
    for value in (1_000_000, 2_000_000):
        services.donation_record(
            actor=world.finance_officer_a,
            fund=fund_a,
            channel=Channel.IN_KIND,
            received_on=today(),
            items=[GoodsLine("Gạo", "kg", 100, value)],
        )
    first = _issue(world, fund_a, "70")
    assert first.amount == 1_050_000  # 3,000,000 × 70/200
    second = _issue(world, fund_a, "130")
    assert second.amount == 1_950_000
    assert fund_a.accounts.get(kind=AccountKind.GOODS).balance == 0
    assert ledger.stock([fund_a.accounts.get(kind=AccountKind.GOODS).pk]) == {
        (fund_a.accounts.get(kind=AccountKind.GOODS).pk, "gao|kg"): (Decimal("0.000"), 0)
    }


def _issue(world, fund, quantity, approve=True):
    d = services.disbursement_draft(
        actor=world.finance_officer_a,
        fund=fund,
        kind="goods_issue",
        items=[("gao|kg", quantity)],
        purpose="Phát gạo cho hộ khó khăn",
        help_kind="gifts",
        households=10,
    )
    return services.disbursement_approve(actor=world.finance_approver_a, disbursement=d) if approve else d


def test_goods_beyond_stock_are_refused(world, fund_a):
    services.donation_record(
        actor=world.finance_officer_a,
        fund=fund_a,
        channel=Channel.IN_KIND,
        received_on=today(),
        items=[GoodsLine("Gạo", "kg", 10, 100_000)],
    )
    with pytest.raises(ValidationError, match="chỉ còn 10 kg “Gạo”"):
        _issue(world, fund_a, "11", approve=False)
    a = _issue(world, fund_a, "6", approve=False)
    b = _issue(world, fund_a, "6", approve=False)
    services.disbursement_approve(actor=world.finance_approver_a, disbursement=a)
    with pytest.raises(ValidationError, match="chỉ còn 4 kg"):
        services.disbursement_approve(actor=world.finance_approver_a, disbursement=b)


def test_goods_transfer_moves_stock_to_the_sub_unit(world, city_fund):
    services.donation_record(
        actor=world.city_admin,
        fund=city_fund,
        channel=Channel.IN_KIND,
        received_on=today(),
        items=[GoodsLine("Nước uống", "thùng", 50, 5_000_000)],
    )
    d = services.disbursement_draft(
        actor=world.city_admin,
        fund=city_fund,
        kind="goods_transfer",
        items=[("nuoc uong|thung", 20)],
        purpose="Chuyển nước uống cho phường Lê Chân",
        destination_unit=world.commune_a,
    )
    d = services.disbursement_approve(actor=_approver_city(world), disbursement=d)
    target_goods = d.destination_fund.accounts.get(kind=AccountKind.GOODS)
    assert ledger.stock([target_goods.pk]) == {
        (target_goods.pk, "nuoc uong|thung"): (Decimal("20.000"), 2_000_000)
    }
    assert ledger.verify().ok


def test_bank_payments_can_be_matched_to_a_statement_line_once(world, fund_a):
    bank = services.bank_account_create(
        actor=world.manager_a,
        unit=world.commune_a,
        bank_name="BIDV",
        bank_bin="970418",
        account_number="12345678901",
        holder="HOI CTD PHUONG LE CHAN",
    )
    give(world.finance_officer_a, fund_a, 5_000_000, channel=Channel.BANK, bank_account=bank)
    source = services.bank_ledger_account(fund_a, bank)
    d = pay(world, fund_a, 2_000_000, source_account=source, payee_name="Nguyễn Văn An")
    from nhandao.funds.selectors import disbursements_for_bank_match

    assert list(disbursements_for_bank_match(bank, amount=2_000_000)) == [d]
    services.disbursement_match_bank_line(
        actor=world.finance_officer_a, disbursement=d, bank_reference="FT999", matched_on=today()
    )
    with pytest.raises(ValidationError, match="đã được đối chiếu"):
        services.disbursement_match_bank_line(
            actor=world.finance_officer_a, disbursement=d, bank_reference="FT998", matched_on=today()
        )
    assert not disbursements_for_bank_match(bank).exists()


@pytest.mark.parametrize(
    "purpose",
    [
        "Trả tiền cho Nguyen Van An",  # the payee's name, without diacritics
        "Hỗ trợ bà cụ, CCCD 031234567890",  # an ID card number
        "Hỗ trợ, liên hệ 0904123456",  # a phone
        "Chuyển vào TK 12345678901",  # an account number
    ],
)
def test_a_purpose_carrying_personal_data_is_refused_naming_it(world, fund_a, purpose):
    give(world.finance_officer_a, fund_a, 5_000_000)
    with pytest.raises(ValidationError, match="Nội dung chi được công khai"):
        pay(world, fund_a, 500_000, purpose=purpose, payee_name="Nguyễn Văn An", payee_account="12345678901")


def test_a_purpose_with_amounts_and_counts_is_published_as_typed(world, fund_a):
    give(world.finance_officer_a, fund_a, 5_000_000)
    d = pay(world, fund_a, 500_000, purpose="Hỗ trợ 2 hộ, mỗi hộ 250.000 đồng", payee_name="Nguyễn Văn An")
    assert d.purpose == "Hỗ trợ 2 hộ, mỗi hộ 250.000 đồng"
