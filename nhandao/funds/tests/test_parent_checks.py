"""The references to reference data that PostgreSQL checks once per statement instead of by a
foreign key per row (funds migration 0017, banking 0007) refuse exactly what the keys refused:
a row naming a missing parent, by INSERT, COPY or UPDATE, and deleting a parent still named."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from nhandao.core import bulk
from nhandao.funds.models import Donation, Entry, Fund, Posting

from .conftest import give

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps these foreign keys (deferred to the commit)"
)

MISSING = 987_654_321


def _copy_of_gift(donation: Donation, **changes):
    """A new gift row like `donation`, written by COPY (core.bulk), with `changes`."""
    columns = [f.attname for f in Donation._meta.concrete_fields if not f.primary_key]
    Row = bulk.row_type(Donation, columns, "GiftCopy")
    values = {c: getattr(donation, c) for c in columns}
    values.update(verify_code="TESTCOPY01", receipt_number=donation.receipt_number + 100_000, **changes)
    bulk.insert(Row, [Row(**values)])


def test_a_gift_naming_a_missing_fund_unit_or_account_is_refused_by_copy_and_by_update(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 100_000)
    for column in ("fund_id", "unit_id", "account_id"):
        with pytest.raises(IntegrityError, match=column), transaction.atomic():
            _copy_of_gift(donation, **{column: MISSING})
        with pytest.raises(IntegrityError, match=column), transaction.atomic():
            Donation.objects.filter(pk=donation.pk).update(**{column: MISSING})
    with transaction.atomic():
        _copy_of_gift(donation)  # the same row naming existing parents is written
    assert Donation.objects.filter(fund=fund_a).count() == 2


def _insert_copy_of_entry(entry: Entry, *, posting_id=None, account_id=None) -> None:
    """A new entry like `entry` (amount 0), by INSERT, naming another posting or account."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO funds_entry (number, posting_id, fund_id, account_id, amount, campaign_id, item, "
            "quantity, value_date, posted_at, hash, campaign_hash) SELECT number + 1000, "
            "COALESCE(%s, posting_id), fund_id, COALESCE(%s, account_id), 0, campaign_id, item, quantity, "
            "value_date, posted_at, hash, campaign_hash FROM funds_entry WHERE number = %s",
            [posting_id, account_id, entry.number],
        )


def test_an_entry_naming_a_missing_account_is_refused(world, fund_a):
    give(world.finance_officer_a, fund_a, 100_000)
    entry = Entry.objects.order_by("number").first()
    with pytest.raises(IntegrityError, match="account_id"), transaction.atomic():
        _insert_copy_of_entry(entry, account_id=MISSING)


@pytest.mark.parametrize("table", ["funds_fund", "org_unit"])
def test_a_parent_still_named_by_gifts_or_entries_cannot_be_deleted(world, fund_a, table):
    give(world.finance_officer_a, fund_a, 100_000)
    pk = fund_a.pk if table == "funds_fund" else fund_a.unit_id
    with (
        pytest.raises(IntegrityError, match="still referenced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
    assert Fund.objects.filter(pk=fund_a.pk).exists()


def test_a_posting_naming_a_missing_gift_and_an_entry_naming_a_missing_posting_are_refused(world, fund_a):
    """Migration 0019: the rows of a batch name parents written just before them, checked in one
    join per statement instead of a key per row."""
    donation = give(world.finance_officer_a, fund_a, 100_000)
    posting = donation.postings.get()
    assert not Posting.objects.filter(pk=posting.pk + 1000).exists()
    with (
        pytest.raises(IntegrityError, match="donation_id"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO funds_posting (id, kind, unit_id, value_date, voucher, description, reason, "
            "donation_id, created_at, digest, canonical_version, text_salt, description_hash, reason_hash) "
            "SELECT id + 1000, kind, unit_id, value_date, voucher, description, reason, %s, created_at, "
            "digest, canonical_version, text_salt, description_hash, reason_hash FROM funds_posting WHERE id = %s",
            [MISSING, posting.pk],
        )
    entry = Entry.objects.filter(posting=posting).order_by("number").first()
    with pytest.raises(IntegrityError, match="posting_id"), transaction.atomic():
        _insert_copy_of_entry(entry, posting_id=MISSING)
    # The table's earlier references are still checked with the new one (one trigger pair each).
    with pytest.raises(IntegrityError, match="account_id"), transaction.atomic():
        _insert_copy_of_entry(entry, account_id=MISSING)


def test_a_gift_named_by_its_posting_cannot_be_deleted(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 100_000)
    with (
        pytest.raises(IntegrityError, match="still referenced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM funds_donation WHERE id = %s", [donation.pk])
    assert Donation.objects.filter(pk=donation.pk).exists()
