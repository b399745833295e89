"""Payments and goods for help to people: linked to beneficiary cases and their help records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nhandao.beneficiaries import api as beneficiaries
from nhandao.beneficiaries.models import HelpRecord
from nhandao.beneficiaries.tests.helpers import give as give_help
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.funds import services
from nhandao.funds.models import Channel, DisbursementCase, DisbursementStatus, Posting
from nhandao.funds.services import CaseShare, DoubleHelpNeedsReason, GoodsLine

from .conftest import give, today


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


@pytest.fixture
def funded(world, fund_a):
    give(world.finance_officer_a, fund_a, 10_000_000)
    return fund_a


def draft(world, fund, shares, amount=None, **kw):
    return services.disbursement_draft(
        actor=kw.pop("actor", world.finance_officer_a),
        fund=fund,
        kind=kw.pop("kind", "payment"),
        amount=amount,
        purpose=kw.pop("purpose", "Hỗ trợ hộ nghèo dịp Tết"),
        help_kind=kw.pop("help_kind", "cash"),
        cases=[s if isinstance(s, CaseShare) else CaseShare(*s) for s in shares],
        **kw,
    )


def approve(world, d, **kw):
    return services.disbursement_approve(actor=world.finance_approver_a, disbursement=d, **kw)


def test_a_payment_to_confirmed_cases_records_their_help_on_approval(world, funded):
    one, two = make_case(world.commune_a), make_case(world.branch_a, status="active")
    d = draft(world, funded, [(one, 300_000), (two, 200_000)], amount=500_000)
    assert not HelpRecord.objects.exists()  # a draft helps nobody yet

    approve(world, d)

    records = list(beneficiaries.help_records_for_source(f"funds.disbursement:{d.pk}"))
    assert [(r.case, r.value, r.kind, r.source_type) for r in records] == [
        (one, 300_000, "cash", "fund"),
        (two, 200_000, "cash", "fund"),
    ]
    first = records[0]
    assert first.delivering_unit == world.commune_a and first.date == d.value_date
    assert first.recorded_by == world.finance_approver_a and first.source == funded.name
    assert d.voucher_label in first.description
    assert list(d.cases.values_list("help_record", flat=True)) == [r.pk for r in records]
    one.refresh_from_db()
    assert one.status == "active" and one.last_help_on == d.value_date


def test_the_payment_amount_may_be_left_to_the_sum_of_the_shares(world, funded):
    d = draft(world, funded, [(make_case(world.commune_a), 120_000), (make_case(world.commune_a), 80_000)])
    assert d.amount == 200_000


def test_shares_that_do_not_sum_to_the_amount_are_refused(world, funded):
    case = make_case(world.commune_a)
    with pytest.raises(ValidationError, match=r"Tổng số tiền của các hồ sơ \(300.000 ₫\)"):
        draft(world, funded, [(case, 300_000)], amount=500_000)
    with pytest.raises(ValidationError, match=f"Dòng 1 \\({case.number}\\)"):
        draft(world, funded, [(case, "12,5")])


def test_an_unconfirmed_case_is_refused_with_its_number(world, funded):
    reviewed = make_case(world.commune_a, status="reviewed")
    with pytest.raises(ValidationError) as exc:
        draft(world, funded, [(make_case(world.commune_a), 100_000), (reviewed, 100_000)])
    message = " ".join(exc.value.messages)
    assert "Dòng 2" in message and reviewed.number in message and "chưa được xã xác nhận" in message
    assert not DisbursementCase.objects.exists() and not funded.disbursements.exists()


def test_a_case_of_another_unit_cannot_be_picked(world, funded, fund_b):
    other = make_case(world.commune_b)
    with pytest.raises(ValidationError, match=f"không có hồ sơ {other.number} trong phạm vi của bạn"):
        draft(world, funded, [(other, 100_000)])
    # The city sees both communes, but commune A's fund helps only commune A's cases.
    give(world.city_admin, funded, 1_000_000)
    with pytest.raises(ValidationError, match="không thuộc địa bàn của quỹ"):
        draft(world, funded, [(other, 100_000)], actor=world.city_admin)
    assert not DisbursementCase.objects.exists()


def test_a_transfer_to_a_unit_names_no_case(world, city_fund):
    give(world.city_admin, city_fund, 1_000_000)
    with pytest.raises(ValidationError, match="Chỉ khoản chi tiền hoặc xuất hiện vật"):
        draft(
            world,
            city_fund,
            [(make_case(world.commune_a), 100_000)],
            amount=100_000,
            kind="transfer",
            destination_unit=world.commune_a,
            actor=world.city_admin,
        )


def test_double_help_is_warned_at_drafting_and_the_reason_is_stored(world, funded):
    case = make_case(world.commune_a)
    earlier = give_help(case, world.commune_a, kind="cash", days_ago=5, value=400_000)
    with pytest.raises(DoubleHelpNeedsReason) as exc:
        draft(world, funded, [(case, 100_000)])
    assert exc.value.earlier == {case.pk: [earlier]}
    assert case.number in " ".join(exc.value.messages)
    assert not funded.disbursements.exists()

    d = draft(world, funded, [CaseShare(case, 100_000, "Hộ vừa bị cháy nhà")])
    approve(world, d)
    record = d.cases.get().help_record
    assert record.duplicate_reason == "Hộ vừa bị cháy nhà" and record.duplicate_of == earlier


def test_double_help_arising_after_drafting_stops_the_approval_until_a_reason_is_given(world, funded):
    ok, helped = make_case(world.commune_a), make_case(world.commune_a)
    d = draft(world, funded, [(ok, 100_000), (helped, 200_000)])
    earlier = give_help(helped, world.commune_a, kind="cash", value=300_000)

    with pytest.raises(DoubleHelpNeedsReason) as exc:
        approve(world, d)
    assert exc.value.earlier == {helped.pk: [earlier]}
    # All or nothing: nothing posted, no help recorded, still a draft.
    d.refresh_from_db()
    assert d.status == DisbursementStatus.DRAFT and not Posting.objects.filter(disbursement=d).exists()
    assert HelpRecord.objects.filter(source_ref=f"funds.disbursement:{d.pk}").count() == 0

    approve(world, d, duplicate_reasons={helped.pk: "Đợt hỗ trợ bổ sung của thành phố"})
    link = d.cases.get(case=helped)
    assert link.duplicate_reason == "Đợt hỗ trợ bổ sung của thành phố"
    assert link.help_record.duplicate_reason == link.duplicate_reason
    assert link.help_record.duplicate_of == earlier


def test_a_case_closed_before_approval_refuses_the_whole_approval(world, funded):
    from nhandao.beneficiaries.tests.helpers import advance

    ok, closing = make_case(world.commune_a), make_case(world.commune_a)
    d = draft(world, funded, [(ok, 100_000), (closing, 100_000)])
    advance(closing, "closed")
    with pytest.raises(ValidationError, match=closing.number):
        approve(world, d)
    d.refresh_from_db()
    assert d.status == DisbursementStatus.DRAFT and not HelpRecord.objects.exists()


def test_reversing_the_payment_cancels_its_help_records(world, funded):
    case = make_case(world.commune_a)
    d = approve(world, draft(world, funded, [(case, 250_000)]))
    record = d.cases.get().help_record
    with pytest.raises(ValidationError, match="hãy hủy chứng từ đó"):
        beneficiaries.help_record_cancel(actor=world.entry_a, record=record, reason="Nhập nhầm")

    services.disbursement_reverse(actor=world.city_admin, disbursement=d, reason="Chi nhầm hộ")

    record.refresh_from_db()
    assert record.status == "cancelled" and record.cancelled_by == world.city_admin
    assert d.voucher_label in record.cancel_reason and "Chi nhầm hộ" in record.cancel_reason
    case.refresh_from_db()
    assert (
        beneficiaries.help_records_for_source(f"funds.disbursement:{d.pk}").filter(status="valid").count()
        == 0
    )


def test_rejected_and_withdrawn_drafts_record_no_help(world, funded):
    a = draft(world, funded, [(make_case(world.commune_a), 100_000)])
    b = draft(world, funded, [(make_case(world.commune_a), 100_000)])
    services.disbursement_reject(actor=world.finance_approver_a, disbursement=a, reason="Chưa đủ hồ sơ")
    services.disbursement_withdraw(actor=world.finance_officer_a, disbursement=b)
    assert not HelpRecord.objects.exists()


def test_goods_issued_to_cases_share_the_issued_value(world, fund_a):
    services.donation_record(
        actor=world.finance_officer_a,
        fund=fund_a,
        channel=Channel.IN_KIND,
        received_on=today(),
        items=[GoodsLine("Gạo", "kg", 100, 1_000_001)],
    )
    cases = [make_case(world.commune_a) for _ in range(3)]
    d = draft(
        world,
        fund_a,
        [(c, None) for c in cases],
        kind="goods_issue",
        items=[("gao|kg", "100")],
        help_kind="gifts",
    )
    d = approve(world, d)
    records = list(beneficiaries.help_records_for_source(f"funds.disbursement:{d.pk}"))
    assert [r.value for r in records] == [333_334, 333_334, 333_333]
    assert {r.kind for r in records} == {"gift"}
    assert sum(link.amount for link in d.cases.all()) == d.amount == 1_000_001


def test_a_goods_issue_of_cash_help_is_recorded_as_goods(world, fund_a):
    from nhandao.funds.services.disbursements import case_help_kind

    assert case_help_kind("goods_issue", "cash") == "goods"
    assert case_help_kind("payment", "cash") == "cash"
    assert case_help_kind("payment", "relief") == "emergency"
    assert case_help_kind("payment", "housing") == "house"


def test_a_purpose_naming_a_case_s_head_is_refused_before_it_is_published(world, funded):
    case = make_case(world.commune_a)
    name = case.head.full_name
    with pytest.raises(ValidationError, match="không ghi tên, số giấy tờ") as raised:
        draft(world, funded, [(case, 300_000)], amount=300_000, purpose=f"Hỗ trợ {name.upper()} sửa nhà")
    assert name in str(raised.value)  # the drafter sees which name (they may see the case)
    assert draft(world, funded, [(case, 300_000)], amount=300_000, purpose="Hỗ trợ 1 hộ sửa nhà").pk
