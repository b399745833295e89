"""Portal gaps (issue 15, point 12): general funds with their gifts and spending; the receipt
check names the fund as a fund and shows the posting time the office recorded."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from nhandao.core import formatting
from nhandao.funds.models import Entry

from .test_pages import get


def _general_gift_and_payment(world):
    from nhandao.funds import services as funds
    from nhandao.funds.models import Channel

    gift = funds.donation_record(
        actor=world.finance_officer_a,
        unit=world.commune_a,
        channel=Channel.CASH,
        amount=1_230_000,
        received_on=timezone.localdate(),
        donor_name="Công ty Hoa Sen",
        display="full",
    )
    payment = funds.disbursement_draft(
        actor=world.finance_officer_a,
        fund=gift.fund,
        kind="payment",
        amount=310_000,
        purpose="Thăm hỏi hộ ốm đau",
        help_kind="relief",
        households=1,
        people=2,
        recipient_unit=world.commune_a,
        payee_name="Người nhận",
    )
    funds.disbursement_approve(actor=world.finance_approver_a, disbursement=payment)
    return gift


def test_the_funds_page_shows_each_general_fund_with_its_gifts_and_spending(
    client, world, portal, django_assert_max_num_queries
):
    _general_gift_and_payment(world)
    with django_assert_max_num_queries(8):
        body = get(client, "/minh-bach/quy/", don_vi=world.commune_a.pk)
    assert "Đã nhận ủng hộ" in body and "Đã chi hỗ trợ" in body
    row = re.search(r"<tr><td>Hội Chữ thập đỏ phường Lê Chân</td>.*?</tr>", body, re.S).group(0)
    assert "1.230.000 ₫" in row and "310.000 ₫" in row and "920.000 ₫" in row


def test_the_receipt_of_a_general_fund_gift_names_the_fund_not_a_campaign(client, world, portal):
    gift = _general_gift_and_payment(world)
    body = get(client, f"/minh-bach/bien-nhan/{gift.verify_code}/")
    assert "<dt>Quỹ</dt>" in body and gift.fund.name in body
    assert "<dt>Cuộc vận động</dt>" not in body


def test_the_receipt_of_a_campaign_gift_names_both_fund_and_campaign(client, portal):
    body = get(client, f"/minh-bach/bien-nhan/{portal.anonymous_gift.verify_code}/")
    assert "<dt>Quỹ</dt>" in body and "<dt>Cuộc vận động</dt>" in body and "Bão số 3" in body


def test_the_receipt_shows_the_posting_time_the_office_recorded(client, world, db):
    from nhandao.funds.models import Channel
    from nhandao.funds.services.donations import DonationInput, donations_record_batch

    posted_at = timezone.now() - dt.timedelta(days=3, hours=5)
    (gift,) = donations_record_batch(
        actor=None,
        rows=[
            DonationInput(
                unit=world.commune_a,
                channel=Channel.CASH,
                amount=500_000,
                received_on=timezone.localdate() - dt.timedelta(days=3),
                donor_name="Lê Văn Lịch Sử",
            )
        ],
        posted_at=posted_at,
    )
    entry = Entry.objects.filter(posting__donation=gift).order_by("number").first()
    assert formatting.datetime(gift.recorded_at) == formatting.datetime(entry.posted_at)
    body = get(client, f"/minh-bach/bien-nhan/{gift.verify_code}/")
    assert formatting.datetime(gift.recorded_at) in body
