"""The ledger itself: balanced postings, the hash chain, append-only storage, tamper detection, digests."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from nhandao.funds import ledger
from nhandao.funds.models import (
    Account,
    AccountKind,
    ChainHead,
    Entry,
    LedgerDigest,
    LedgerImmutable,
    Posting,
)

from .conftest import give, pay


def _tamper(sql: str, params=()) -> None:
    """Change the ledger behind the application's back, as someone with database admin rights could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
        else:
            for table in ("funds_entry", "funds_posting", "funds_ledgerdigest"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_update")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_delete")
        cursor.execute(sql, params)


def test_a_gift_posts_a_balanced_group(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 5_000_000)
    posting = Posting.objects.get(donation=donation)
    entries = list(posting.entries.order_by("number"))
    assert [e.amount for e in entries] == [5_000_000, -5_000_000]
    assert [e.account.kind for e in entries] == [AccountKind.CASH, AccountKind.INCOME]
    assert sum(e.amount for e in entries) == 0


def test_entries_chain_each_hash_to_the_previous_one(world, fund_a):
    give(world.finance_officer_a, fund_a, 100_000)
    give(world.finance_officer_a, fund_a, 200_000)
    previous = ledger.GENESIS
    for entry in Entry.objects.select_related("posting").order_by("number"):
        canonical = ledger.entry_canonical(
            entry.number,
            entry.posting_id,
            entry.posting.digest,
            entry.fund_id,
            entry.account_id,
            entry.amount,
            entry.campaign_id,
            entry.item,
            entry.quantity,
            entry.value_date,
            entry.posted_at,
        )
        assert entry.hash == ledger.chain(previous, canonical)
        previous = entry.hash
    assert ChainHead.objects.get().last_hash == previous


def test_entry_numbers_are_global_and_consecutive(world, fund_a, fund_b):
    give(world.finance_officer_a, fund_a, 100_000)
    give(world.city_admin, fund_b, 100_000)
    give(world.finance_officer_a, fund_a, 100_000)
    assert list(Entry.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_an_unbalanced_posting_is_refused(world, fund_a):
    cash = fund_a.accounts.get(kind=AccountKind.CASH)
    spec = ledger.PostingSpec(
        "donation", world.commune_a.pk, timezone.localdate(), "x", [ledger.Line(cash, 5)]
    )
    with pytest.raises(ledger.Unbalanced), transaction.atomic():
        ledger.post([spec])
    assert not Entry.objects.exists()


def test_amounts_must_be_integers(world, fund_a):
    cash = fund_a.accounts.get(kind=AccountKind.CASH)
    income = fund_a.accounts.get(kind=AccountKind.INCOME)
    spec = ledger.PostingSpec(
        "donation",
        world.commune_a.pk,
        timezone.localdate(),
        "x",
        [ledger.Line(cash, 10.5), ledger.Line(income, -10.5)],
    )
    with pytest.raises(TypeError), transaction.atomic():
        ledger.post([spec])


# Append-only ---------------------------------------------------------------------------
def test_the_models_refuse_to_update_or_delete_entries(world, fund_a):
    give(world.finance_officer_a, fund_a, 100_000)
    entry = Entry.objects.first()
    entry.amount = 1
    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        entry.delete()
    with pytest.raises(LedgerImmutable):
        Entry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(LedgerImmutable):
        Entry.objects.all().delete()
    with pytest.raises(LedgerImmutable):
        Posting.objects.all().update(description="x")
    assert Entry.objects.aggregate(s=Sum("amount"))["s"] == 0


@pytest.mark.parametrize("table", ["funds_entry", "funds_posting"])
def test_the_database_refuses_update_on_ledger_tables(world, fund_a, table):
    give(world.finance_officer_a, fund_a, 100_000)
    column = "amount = amount + 1" if table == "funds_entry" else "description = 'sửa'"
    with pytest.raises(IntegrityError, match="ghi thêm"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column}")


@pytest.mark.parametrize("table", ["funds_entry", "funds_posting"])
def test_the_database_refuses_delete_on_ledger_tables(world, fund_a, table):
    give(world.finance_officer_a, fund_a, 100_000)
    with pytest.raises(IntegrityError, match="ghi thêm"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert Entry.objects.count() == 2


def test_the_database_refuses_changes_to_published_digests(world, fund_a):
    give(world.finance_officer_a, fund_a, 100_000)
    with transaction.atomic():
        ledger.make_digests(until=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_ledgerdigest SET chain_hash = 'x'")


def test_the_database_guards_are_installed(db):
    assert ledger.guards_present()


# Tamper detection ----------------------------------------------------------------------
def _three_gifts(world, fund_a):
    for amount in (100_000, 200_000, 300_000):
        give(world.finance_officer_a, fund_a, amount)


def test_a_clean_ledger_verifies(world, fund_a):
    _three_gifts(world, fund_a)
    report = ledger.verify()
    assert report.ok, report.errors
    assert (report.entries, report.postings) == (6, 3)


def test_changing_an_amount_with_raw_sql_is_detected_at_that_entry(world, fund_a):
    _three_gifts(world, fund_a)
    _tamper("UPDATE funds_entry SET amount = 900000 WHERE number = 3")
    report = ledger.verify()
    assert not report.ok
    assert report.first_error.startswith("Dòng 3: mã băm không khớp")


@pytest.mark.parametrize(
    "column",
    [
        "amount",
        "account_id",
        "fund_id",
        "posting_id",
        "value_date",
        "posted_at",
        "item",
        "quantity",
        "campaign_hash",
    ],
)
def test_changing_any_historical_entry_field_is_detected(world, fund_a, fund_b, column):
    _three_gifts(world, fund_a)
    value = {
        "amount": 1,
        "account_id": fund_b.accounts.get(kind=AccountKind.CASH).pk,
        "fund_id": fund_b.pk,
        "posting_id": 3,
        "value_date": "2001-01-01",
        "posted_at": "2001-01-01 00:00:00" + ("+00" if connection.vendor == "postgresql" else ""),
        "item": "gao|kg",
        "quantity": "1",
        "campaign_hash": "ab",
    }[column]
    _tamper(f"UPDATE funds_entry SET {column} = %s WHERE number = 2", [value])
    report = ledger.verify()
    assert not report.ok
    assert report.first_error.startswith("Dòng 2:"), report.errors


def test_changing_a_posting_description_is_detected(world, fund_a):
    _three_gifts(world, fund_a)
    _tamper("UPDATE funds_posting SET description = 'Nhận ủng hộ của người khác' WHERE id = 2")
    report = ledger.verify()
    assert not report.ok
    assert any("Bút toán 2: nội dung đã bị sửa" in e for e in report.errors)


def test_deleting_an_entry_is_detected(world, fund_a):
    _three_gifts(world, fund_a)
    _tamper("DELETE FROM funds_entry WHERE number = 4")
    report = ledger.verify()
    assert report.first_error.startswith("Dòng 5: chuỗi bị đứt")


def test_rewriting_the_whole_chain_is_caught_by_the_published_digest(world, fund_a):
    """An insider who recomputes every hash after changing an amount still contradicts yesterday's digest."""
    _three_gifts(world, fund_a)
    with transaction.atomic():
        ledger.make_digests(until=timezone.localdate())
    # Rewrite entry 3 and every hash after it, consistently.
    _tamper("UPDATE funds_entry SET amount = 900000 WHERE number = 3")
    _tamper("UPDATE funds_entry SET amount = -900000 WHERE number = 4")
    previous = ledger.GENESIS
    for e in Entry.objects.select_related("posting").order_by("number"):
        canonical = ledger.entry_canonical(
            e.number,
            e.posting_id,
            e.posting.digest,
            e.fund_id,
            e.account_id,
            e.amount,
            e.campaign_id,
            e.item,
            e.quantity,
            e.value_date,
            e.posted_at,
        )
        previous = ledger.chain(previous, canonical)
        _tamper("UPDATE funds_entry SET hash = %s WHERE number = %s", [previous, e.number])
    _tamper("UPDATE funds_chainhead SET last_hash = %s", [previous])
    _tamper("UPDATE funds_account SET balance = balance + 800000 WHERE kind = 'cash'")
    _tamper("UPDATE funds_account SET balance = balance - 800000 WHERE kind = 'income'")
    report = ledger.verify()
    assert not report.ok
    assert any("Tóm tắt ngày" in e and "lịch sử đã bị viết lại" in e for e in report.errors)


def test_a_drifted_cached_balance_is_reported(world, fund_a):
    _three_gifts(world, fund_a)
    Account.objects.filter(fund=fund_a, kind=AccountKind.CASH).update(balance=1)
    report = ledger.verify()
    assert any("số dư lưu sẵn" in e for e in report.errors)


def test_verify_ledger_command_reports_the_first_broken_link(world, fund_a):
    _three_gifts(world, fund_a)
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "toàn vẹn" in out.getvalue()
    _tamper("UPDATE funds_entry SET amount = 1 WHERE number = 5")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert "Dòng 5: mã băm không khớp" in err.getvalue()


# Campaign chains and digests ---------------------------------------------------------------
def test_each_campaign_has_its_own_chain(world, appeal):
    for amount in (100_000, 250_000):
        give(world.finance_officer_a, None, amount, unit=world.commune_a, campaign=appeal)
    previous = ledger.GENESIS
    rows = list(Entry.objects.filter(campaign=appeal).select_related("posting").order_by("number"))
    assert len(rows) == 4
    for e in rows:
        canonical = ledger.entry_canonical(
            e.number,
            e.posting_id,
            e.posting.digest,
            e.fund_id,
            e.account_id,
            e.amount,
            e.campaign_id,
            e.item,
            e.quantity,
            e.value_date,
            e.posted_at,
        )
        previous = ledger.chain(previous, canonical)
        assert e.campaign_hash == previous


def test_digests_record_each_day_and_each_campaign(world, appeal):
    start = timezone.now() - dt.timedelta(days=3)
    from nhandao.funds import services
    from nhandao.funds.services import DonationInput

    day1 = timezone.localdate(start)
    services.donations_record_batch(
        actor=None,
        rows=[
            DonationInput(
                channel="cash", amount=100_000, received_on=day1, unit=world.commune_a, campaign=appeal
            )
        ],
        posted_at=start,
    )
    services.donations_record_batch(
        actor=None,
        rows=[DonationInput(channel="cash", amount=50_000, received_on=day1, unit=world.commune_a)],
        posted_at=start + dt.timedelta(days=2),
    )
    with transaction.atomic():
        made = ledger.make_digests(until=timezone.localdate() - dt.timedelta(days=1))
    days = list(
        LedgerDigest.objects.filter(campaign__isnull=True).order_by("day").values_list("day", "last_number")
    )
    assert days == [(day1, 2), (day1 + dt.timedelta(days=1), 2), (day1 + dt.timedelta(days=2), 4)]
    campaign_rows = list(
        LedgerDigest.objects.filter(campaign=appeal).values_list("day", "last_number", "entries")
    )
    assert campaign_rows == [(day1, 2, 2)]
    assert made == 1  # the second posting already digested the days before it
    assert LedgerDigest.objects.count() == 4
    assert ledger.verify().ok


def test_the_first_posting_of_a_day_digests_the_days_before(world, fund_a):
    from nhandao.funds.services import DonationInput, donations_record_batch

    yesterday = timezone.now() - dt.timedelta(days=1)
    donations_record_batch(
        actor=None,
        rows=[
            DonationInput(
                channel="cash", amount=1_000, received_on=timezone.localdate(yesterday), fund=fund_a
            )
        ],
        posted_at=yesterday,
    )
    assert not LedgerDigest.objects.exists()
    give(world.finance_officer_a, fund_a, 2_000)
    digest = LedgerDigest.objects.get(campaign__isnull=True)
    assert digest.day == timezone.localdate(yesterday)
    assert (digest.last_number, digest.chain_hash) == (2, Entry.objects.get(number=2).hash)


def test_postings_must_be_appended_in_time_order(world, fund_a):
    from nhandao.funds.services import DonationInput, donations_record_batch

    give(world.finance_officer_a, fund_a, 2_000)
    with pytest.raises(ValueError, match="time order"):
        donations_record_batch(
            actor=None,
            rows=[DonationInput(channel="cash", amount=1_000, received_on=timezone.localdate(), fund=fund_a)],
            posted_at=timezone.now() - dt.timedelta(days=1),
        )


def test_canonical_form_is_plain_json():
    text = ledger.entry_canonical(
        7,
        3,
        "d" * 64,
        1,
        2,
        -500,
        None,
        "gạo|kg",
        "12.5",
        dt.date(2024, 9, 8),
        dt.datetime(2024, 9, 8, 1, 2, 3, 4, tzinfo=dt.UTC),
    )
    assert json.loads(text) == [
        "nhandao-ledger-v1",
        7,
        3,
        "d" * 64,
        1,
        2,
        -500,
        None,
        "gạo|kg",
        "12.500",
        "2024-09-08",
        "2024-09-08T01:02:03.000004Z",
    ]
    assert " " not in text


def test_pay_helper_posts_through_the_ledger(world, fund_a):
    give(world.finance_officer_a, fund_a, 1_000_000)
    pay(world, fund_a, 400_000)
    assert fund_a.accounts.get(kind=AccountKind.CASH).balance == 600_000
    assert ledger.verify().ok


@given(
    item=st.text(max_size=30),
    number=st.integers(1, 10**12),
    amount=st.integers(-(10**15), 10**15),
    campaign=st.one_of(st.none(), st.integers(1, 10**6)),
    quantity=st.one_of(st.none(), st.decimals(min_value=-(10**9), max_value=10**9, places=3)),
)
def test_the_fast_canonical_form_equals_the_reference(item, number, amount, campaign, quantity):
    day = dt.date(2024, 9, 8)
    moment = dt.datetime(2024, 9, 8, 3, 4, 5, 6789, tzinfo=dt.UTC)
    reference = ledger.entry_canonical(
        number, 2, "a" * 64, 3, 4, amount, campaign, item, quantity, day, moment
    )
    fast = ledger.entry_canonical_text(
        number,
        2,
        "a" * 64,
        3,
        4,
        amount,
        campaign,
        item,
        ledger.quantity_text(quantity),
        day.isoformat(),
        ledger.utc_iso(moment),
    )
    assert fast == reference


def test_deleting_a_posting_row_is_detected(world, fund_a):
    _three_gifts(world, fund_a)
    _tamper("DELETE FROM funds_entry WHERE posting_id = 2")
    _tamper("DELETE FROM funds_posting WHERE id = 2")
    report = ledger.verify()
    assert report.first_error.startswith("Dòng 5: chuỗi bị đứt")


def test_ledger_digest_command_cuts_the_days_before_today(world, fund_a):
    from nhandao.funds.services import DonationInput, donations_record_batch

    two_days_ago = timezone.now() - dt.timedelta(days=2)
    donations_record_batch(
        actor=None,
        rows=[
            DonationInput(
                channel="cash", amount=1_000, received_on=timezone.localdate(two_days_ago), fund=fund_a
            )
        ],
        posted_at=two_days_ago,
    )
    out = io.StringIO()
    call_command("ledger_digest", stdout=out)
    assert "Đã lưu 2 tóm tắt" in out.getvalue()  # that day, and yesterday (nothing posted: same state)
    assert list(LedgerDigest.objects.filter(campaign__isnull=True).values_list("last_number", flat=True)) == [
        2,
        2,
    ]
    call_command("ledger_digest", stdout=io.StringIO())
    assert LedgerDigest.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_whole_database_flush_still_empties_the_ledger(world, fund_a):
    """`seed_demo --reset` flushes: TRUNCATE on PostgreSQL, the guarded DELETE on SQLite."""
    give(world.finance_officer_a, fund_a, 1_000)
    assert Entry.objects.exists() and Posting.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not Entry.objects.exists() and not Posting.objects.exists()
