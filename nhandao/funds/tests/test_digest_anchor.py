"""The digests are append-only and the chain's head is anchored to the latest one: cutting digests
from the end, leaving a gap, or cutting the last postings and rewinding the head is caught by
verify_ledger even by someone who switches the database's triggers off."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from nhandao.funds import ledger
from nhandao.funds.models import ChainHead, Entry, LedgerDigest
from nhandao.funds.services import DonationInput, donations_record_batch

from .conftest import give
from .tampering import tamper


def _gift_at(world, fund, moment, amount=100_000):
    donations_record_batch(
        actor=None,
        rows=[
            DonationInput(channel="cash", amount=amount, received_on=timezone.localdate(moment), fund=fund)
        ],
        posted_at=moment,
    )


@pytest.fixture
def four_days(world, fund_a):
    """Gifts three, two and one day ago and today: the digests of the three days before today."""
    now = timezone.now()
    for days in (3, 2, 1):
        _gift_at(world, fund_a, now - dt.timedelta(days=days))
    give(world.finance_officer_a, fund_a, 50_000)
    return [timezone.localdate(now - dt.timedelta(days=d)) for d in (3, 2, 1)]


def _errors() -> list[str]:
    report = ledger.verify()
    assert not report.ok
    return report.errors


def test_the_head_is_anchored_to_the_latest_digest(four_days):
    head = ChainHead.objects.get()
    latest = LedgerDigest.objects.filter(campaign__isnull=True).order_by("-day").first()
    assert latest.day == four_days[-1]
    assert (head.digest_day, head.digest_number, head.digest_hash) == (
        latest.day,
        latest.last_number,
        latest.chain_hash,
    )
    assert ledger.verify().ok


def test_the_database_refuses_to_delete_digests(four_days):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM funds_ledgerdigest WHERE day = %s", [four_days[-1]])


def test_deleting_the_last_digest_rows_is_caught(four_days):
    tamper(("DELETE FROM funds_ledgerdigest WHERE day = %s", [four_days[-1]]))
    assert any("Tóm tắt mới nhất đã lưu" in e and "đã bị xóa" in e for e in _errors())


def test_deleting_the_last_digests_and_moving_the_anchor_is_still_caught(four_days):
    earlier = LedgerDigest.objects.get(campaign__isnull=True, day=four_days[0])
    tamper(
        ("DELETE FROM funds_ledgerdigest WHERE day > %s", [four_days[0]]),
        (
            "UPDATE funds_chainhead SET digest_day = %s, digest_number = %s, digest_hash = %s",
            [earlier.day, earlier.last_number, earlier.chain_hash],
        ),
    )
    errors = _errors()
    assert any("Thiếu tóm tắt sổ cái đến hết ngày" in e for e in errors), errors


def test_a_gap_in_the_digests_is_caught(four_days):
    tamper(("DELETE FROM funds_ledgerdigest WHERE day = %s", [four_days[1]]))
    errors = _errors()
    assert any("Thiếu tóm tắt sổ cái từ ngày" in e for e in errors), errors


def test_cutting_the_last_postings_and_rewinding_the_head_is_caught(four_days):
    """The postings of the last two days go, and the head is set back to the last entry kept,
    consistently (hash, posting, moment): the latest digest still names the entries cut."""
    keep = LedgerDigest.objects.get(campaign__isnull=True, day=four_days[0]).last_number
    last = Entry.objects.get(number=keep)
    tamper(
        ("DELETE FROM funds_entry WHERE number > %s", [keep]),
        ("DELETE FROM funds_posting WHERE id > %s", [last.posting_id]),
        (
            "UPDATE funds_chainhead SET last_number = %s, last_hash = %s, last_posting_id = %s, "
            "last_posted_at = %s",
            [keep, last.hash, last.posting_id, last.posted_at],
        ),
    )
    errors = _errors()
    assert any("các bút toán cuối đã bị xóa và đầu chuỗi bị lùi lại" in e for e in errors), errors


def test_a_head_that_disagrees_with_the_last_posting_is_caught(four_days):
    tamper(("UPDATE funds_chainhead SET last_posting_id = last_posting_id + 5", []))
    assert any("Đầu chuỗi không khớp với bút toán cuối cùng" in e for e in _errors())


def test_the_nightly_command_moves_the_anchor(world, fund_a):
    _gift_at(world, fund_a, timezone.now() - dt.timedelta(days=2))
    call_command("ledger_digest", stdout=io.StringIO())
    head = ChainHead.objects.get()
    assert head.digest_day == timezone.localdate() - dt.timedelta(days=1)
    assert ledger.verify().ok
