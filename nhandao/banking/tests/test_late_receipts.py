"""Late transfers (issue 13, point 11): a transfer the bank books after its campaign closed may
still be booked to it with a reason (audited); the Decree 93 report lists such receipts apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nhandao.banking import services
from nhandao.banking.models import LineStatus, StatementLine
from nhandao.campaigns import services as campaign_services
from nhandao.core.models import AuditEvent
from nhandao.funds import public as fund_public

from . import samples
from .conftest import import_file


@pytest.fixture
def late_line(world, vcb, yagi):
    """A credit without a code, booked on 10/09/2024; the appeal closed on 09/09/2024."""
    txns = [samples.Txn(dt.datetime(2024, 9, 10, 9, 0), 750_000, "NGUYEN THI MAI chuyen tien ung ho bao")]
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    campaign_services.campaign_close(actor=world.city_admin, campaign=yagi, on=dt.date(2024, 9, 9))
    yagi.refresh_from_db()
    line = StatementLine.objects.get(bank_account=vcb)
    assert line.status == LineStatus.QUEUED
    return line


REASON = "Người ủng hộ chuyển ngày 09/09, ngân hàng hạch toán ngày 10/09"


def test_a_late_transfer_is_booked_to_the_closed_campaign_with_its_reason(world, yagi, late_line):
    line = services.line_book_late(actor=world.city_admin, line=late_line, campaign=yagi, reason=REASON)
    assert line.status == LineStatus.POSTED
    assert line.donation.campaign_id == yagi.pk and line.donation.late_reason == REASON
    event = AuditEvent.objects.get(action="banking.line.booked_late")
    assert event.data["reason"] == REASON and event.data["campaign"] == yagi.code


def test_the_decree_93_report_lists_late_receipts_separately(world, yagi, late_line):
    services.line_book_late(actor=world.city_admin, line=late_line, campaign=yagi, reason=REASON)
    late = fund_public.public_late_receipts(yagi)
    assert (late.count, late.total) == (1, 750_000)
    from nhandao.portal import report

    r = report.build(yagi)
    assert r.late.count == 1
    assert report.pdf(r)[:4] == b"%PDF"


def test_a_late_booking_needs_a_reason_and_a_closed_campaign(world, yagi, late_line):
    with pytest.raises(ValidationError, match="lý do"):
        services.line_book_late(actor=world.city_admin, line=late_line, campaign=yagi, reason="muộn")
    other = campaign_services.campaign_open(
        actor=world.city_admin,
        campaign=campaign_services.campaign_create(
            actor=world.city_admin,
            unit=world.city,
            name="Tết nhân ái",
            kind="programme",
            starts_on=dt.date(2024, 9, 1),
        ),
    )
    with pytest.raises(ValidationError, match="đã kết thúc tiếp nhận"):
        services.line_book_late(actor=world.city_admin, line=late_line, campaign=other, reason=REASON)
    late_line.refresh_from_db()
    assert late_line.status == LineStatus.QUEUED


def test_a_closed_campaign_takes_no_gift_without_a_late_reason(world, yagi, late_line):
    from nhandao.banking.services import matching

    posted, failures = matching.post_lines(
        actor=world.city_admin,
        bank_account=late_line.bank_account,
        items=[(late_line, matching.Target("campaign", campaign=yagi))],
    )
    assert posted == 0 and "không trong thời gian tiếp nhận" in failures[0][1]


def test_the_line_page_books_a_late_transfer(world, yagi, late_line):
    client = world.client(world.city_admin)
    url = reverse("banking:line", args=[late_line.pk])
    assert "Khoản nhận muộn" in client.get(url).content.decode()
    response = client.post(url, {"action": "late", "campaign": yagi.pk, "late_reason": REASON})
    assert response.status_code == 302
    late_line.refresh_from_db()
    assert late_line.status == LineStatus.POSTED


def test_a_user_without_the_right_to_record_gifts_cannot_book_late(world, yagi, late_line):
    with pytest.raises(PermissionDenied):
        services.line_book_late(actor=world.viewer_a, line=late_line, campaign=yagi, reason=REASON)
