"""The ledger's guarantees cover what the public sees (issue 16, point 11): a gift's amount, date,
fund and campaign as the portal shows them are held against the gift's chained posting, so that
changing the Donation row directly in the database is caught by `verify_ledger` and shown on the
public receipt check, which prints the chain's figure."""

from __future__ import annotations

import datetime as dt
import io

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from nhandao.funds import ledger

from .conftest import give


def _row(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify_output() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_ledger", "--all-errors", stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue() + err.getvalue()


def test_gifts_recorded_through_the_services_match_their_chain(world, fund_a):
    gifts = [give(world.finance_officer_a, fund_a, amount) for amount in (200_000, 1_250_000)]
    assert ledger.gift_mismatches() == ([], [], 0)
    chained = ledger.chained_gift(gifts[1].pk)
    assert chained.matches and chained.amount == 1_250_000 and chained.fund_id == fund_a.pk


def test_an_amount_changed_in_the_gift_row_is_caught_by_verify_ledger(world, fund_a):
    gift = give(world.finance_officer_a, fund_a, 200_000)
    _row("UPDATE funds_donation SET amount = 20000000 WHERE id = %s", [gift.pk])
    code, text = _verify_output()
    assert code == 1
    assert f"Khoản ủng hộ #{gift.pk}: bản ghi ghi 20000000 đ" in text and "200000 đ" in text


def test_a_date_changed_in_the_gift_row_is_caught(world, fund_a):
    gift = give(world.finance_officer_a, fund_a, 300_000)
    _row("UPDATE funds_donation SET received_on = %s WHERE id = %s", [dt.date(2020, 1, 1), gift.pk])
    report = ledger.verify()
    assert not report.ok and any(f"#{gift.pk}" in e and "01/01/2020" in e for e in report.errors)


def test_a_gift_row_without_a_posting_is_caught(world, fund_a):
    gift = give(world.finance_officer_a, fund_a, 300_000)
    _row(
        "INSERT INTO funds_donation (unit_id, fund_id, account_id, channel, donor_name, display, public_name,"
        " public_key, amount, currency, received_on, external_ref, counterparty_name, counterparty_account,"
        " memo, note, late_reason, receipt_year, receipt_number, verify_code, status, recorded_at, search_key)"
        " SELECT unit_id, fund_id, account_id, channel, donor_name, display, public_name, public_key,"
        " 99000000, currency, received_on, '', '', '', '', '', '', receipt_year, receipt_number + 1000,"
        " 'FAKE0001', status, recorded_at, search_key FROM funds_donation WHERE id = %s",
        [gift.pk],
    )
    report = ledger.verify()
    assert not report.ok and any("không có bút toán nào" in e for e in report.errors)


def test_the_public_receipt_check_shows_the_chains_amount_and_says_the_row_disagrees(world, fund_a):
    gift = give(world.finance_officer_a, fund_a, 200_000)
    page = Client().get(f"/xac-minh/bien-nhan/{gift.verify_code}/").content.decode()
    assert "200.000 ₫" in page and "khác với bút toán" not in page
    _row("UPDATE funds_donation SET amount = 20000000 WHERE id = %s", [gift.pk])
    cache.clear()  # the page is cached by the chain's head, which a change outside the ledger leaves
    page = Client().get(f"/xac-minh/bien-nhan/{gift.verify_code}/").content.decode()
    assert "200.000 ₫" in page and "20.000.000 ₫" not in page
    assert "khác với bút toán trong sổ cái" in page


def test_a_reversed_gift_still_matches_its_original_posting(world, fund_a):
    from nhandao.funds import services

    gift = give(world.finance_officer_a, fund_a, 500_000)
    services.donation_reverse(actor=world.finance_approver_a, donation=gift, reason="Nhập nhầm")
    assert ledger.gift_mismatches()[2] == 0
    assert ledger.verify().ok
