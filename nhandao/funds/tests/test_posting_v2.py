"""Posting canonical form v2: the chain commits to salted hashes of a posting's texts, so a name can
be shredded from a posting without breaking the chain; nothing else about a posting can change."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from nhandao.funds import ledger, services
from nhandao.funds.models import LedgerImmutable, Posting

from .conftest import give
from .tampering import tamper


@pytest.fixture
def gift_posting(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 700_000, donor_name="Trần Thị Thu")
    return Posting.objects.get(donation=donation)


def test_a_new_posting_is_v2_and_its_digest_commits_to_the_salted_hashes(gift_posting):
    p = gift_posting
    assert p.canonical_version == 2
    assert p.description_hash == ledger.text_hash(p.text_salt, p.description)
    assert p.reason_hash == ledger.text_hash(p.text_salt, p.reason)
    canonical = ledger.posting_canonical_v2_text(
        p.id,
        p.kind,
        p.unit_id,
        p.value_date.isoformat(),
        p.voucher,
        p.description_hash,
        p.reason_hash,
        p.donation_id,
        p.disbursement_id,
        p.pledge_id,
        p.reverses_id,
        p.created_by_id,
        ledger.utc_iso(p.created_at),
    )
    assert ledger.posting_digest(canonical) == p.digest
    assert "Trần Thị Thu" not in canonical and canonical.startswith('["nhandao-posting-v2",')


def test_changing_a_v2_text_while_keeping_its_salt_is_caught(gift_posting):
    tamper(("UPDATE funds_posting SET reason = 'sửa' WHERE id = %s", [gift_posting.pk]))
    report = ledger.verify()
    assert any(f"Bút toán {gift_posting.pk}: nội dung đã bị sửa" in e for e in report.errors)


def test_shredding_a_name_keeps_the_chain_and_is_counted(gift_posting):
    with transaction.atomic():
        result = ledger.redact(
            posting_ids=[gift_posting.pk], names=["trần thị thu"], replacement="Người đã xoá #9"
        )
    assert result.shredded == [gift_posting.pk] and result.kept_v1 == []
    p = Posting.objects.get(pk=gift_posting.pk)
    assert "Trần Thị Thu" not in p.description and "Người đã xoá #9" in p.description
    assert p.text_salt == "" and p.digest == gift_posting.digest
    report = ledger.verify()
    assert report.ok, report.errors
    assert report.redacted == [gift_posting.pk]


def test_a_reversal_copying_the_name_is_shredded_too(world, fund_a, gift_posting):
    reversal = services.posting_reverse(
        actor=world.finance_approver_a, posting=gift_posting, reason="Ghi nhầm"
    )
    with transaction.atomic():
        result = ledger.redact(posting_ids=[gift_posting.pk], names=["Trần Thị Thu"], replacement="X")
    assert sorted(result.shredded) == sorted([gift_posting.pk, reversal.pk])
    assert ledger.verify().ok


@pytest.mark.parametrize(
    "change",
    [
        "voucher = 'PT-khac'",  # any other column, even while shredding
        "description_hash = 'x'",
        "digest = 'x'",
        "created_at = created_at",  # a no-op on another column is fine only with the salt emptied
    ],
)
def test_the_database_allows_only_the_shredding_update(gift_posting, change):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        salt = ", text_salt = ''" if change != "created_at = created_at" else ""
        cursor.execute(f"UPDATE funds_posting SET {change}{salt} WHERE id = %s", [gift_posting.pk])


def test_the_database_refuses_to_shred_a_v1_posting(gift_posting):
    tamper(("UPDATE funds_posting SET canonical_version = 1 WHERE id = %s", [gift_posting.pk]))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funds_posting SET description = 'x', text_salt = '' WHERE id = %s", [gift_posting.pk]
        )


def test_the_models_still_refuse_updates(gift_posting):
    with pytest.raises(LedgerImmutable):
        Posting.objects.filter(pk=gift_posting.pk).update(description="x")
