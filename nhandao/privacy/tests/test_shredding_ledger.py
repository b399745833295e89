"""Shredding a donor and a payee forgets their names in the ledger too, and every guarantee holds:
verify_ledger, the published digests and the public script (posting canonical form v2)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.campaigns import services as campaign_services
from nhandao.campaigns.models import CampaignKind
from nhandao.core.models import AuditEvent
from nhandao.core.text import search_key
from nhandao.funds import ledger
from nhandao.funds import services as funds_services
from nhandao.funds.models import ChainHead, Channel, Entry, LedgerDigest, Posting
from nhandao.funds.services import CaseShare
from nhandao.funds.tests.tampering import tamper
from nhandao.privacy import services
from nhandao.privacy.models import SubjectRequest

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify_ledger_chain.py"
DONOR = "Phạm Thị Hồng"
PAYEE = "Vũ Thị Lan"


def _script():
    spec = importlib.util.spec_from_file_location("verify_ledger_chain", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _erase(world, person):
    req = services.request_file(actor=world.manager_a, person=person, kind="deletion")
    return services.request_erase(actor=world.manager_a, request=req)


def _text_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model._meta.db_table, field.column


def _where_found(*needles: str) -> list[str]:
    """Every table.column whose text (or JSON, escaped or not) still holds one of the needles."""
    forms = set()
    for needle in needles:
        forms |= {needle, json.dumps(needle)[1:-1], search_key(needle)}
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            for form in sorted(forms):
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE LOWER(CAST("{column}" AS TEXT)) LIKE %s',
                    [f"%{form.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}: {form}")
    return found


@pytest.fixture
def appeal(world):
    campaign = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Bão số 3",
        kind=CampaignKind.APPEAL,
        starts_on=timezone.localdate() - dt.timedelta(days=5),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return campaign_services.campaign_open(actor=world.city_admin, campaign=campaign)


@pytest.fixture
def books(world, person_a, appeal):
    """Two gifts of a registered donor to a public appeal, and a payment to a named payee."""
    fund = funds_services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )
    donor = funds_services.donor_create(
        actor=world.finance_officer_a, unit=world.commune_a, kind="person", person=person_a, name=DONOR
    )
    for amount in (2_000_000, 300_000):
        funds_services.donation_record(
            actor=world.finance_officer_a,
            unit=world.commune_a,
            campaign=appeal,
            channel=Channel.CASH,
            amount=amount,
            received_on=timezone.localdate(),
            donor=donor,
            donor_name=DONOR,
            display="full",
        )
    funds_services.donation_record(
        actor=world.finance_officer_a,
        fund=fund,
        channel=Channel.CASH,
        amount=5_000_000,
        received_on=timezone.localdate(),
        donor=donor,
        donor_name=DONOR,
        display="full",
    )
    case = make_case(world.commune_a, PAYEE)
    payment = funds_services.disbursement_draft(
        actor=world.finance_officer_a,
        fund=fund,
        kind="payment",
        purpose="Hỗ trợ hộ khó khăn",
        help_kind="cash",
        payee_name=PAYEE,
        payee_account="0071000999888",
        payee_bank="Vietcombank",
        cases=[CaseShare(case, 400_000)],
    )
    funds_services.disbursement_approve(actor=world.finance_approver_a, disbursement=payment)
    with transaction.atomic():
        ledger.lock_head()
        ledger.make_digests(until=timezone.localdate())
    return case


def test_new_postings_commit_to_salted_hashes_of_their_texts(books):
    posting = Posting.objects.filter(donation__isnull=False).order_by("id").first()
    assert posting.canonical_version == 2 and len(posting.text_salt) == 32
    assert DONOR in posting.description
    assert posting.description_hash == ledger.text_hash(posting.text_salt, posting.description)
    assert DONOR not in json.dumps(posting.digest)


def test_shredding_a_donor_and_a_payee_keeps_every_guarantee(world, person_a, books, appeal, tmp_path):
    client = Client()
    digests_before = tmp_path / "tom-tat-truoc.json"
    url = reverse("portal_data:digests_json") + f"?campaign={appeal.code}"
    digests_before.write_text(json.dumps({"digests": client.get(url).json()["digests"]}), encoding="utf-8")

    _erase(world, person_a)
    _erase(world, books.head)

    report = ledger.verify()
    assert report.ok, report.errors
    shredded = set(report.redacted)
    assert shredded == set(
        Posting.objects.filter(canonical_version=2, text_salt="").values_list("pk", flat=True)
    )
    assert len(shredded) == 3  # the three gifts; the payment's text never named the payee
    assert Posting.objects.filter(pk__in=shredded, description__contains="Người đã xoá").count() == 3

    # The public script recomputes the campaign's chain from the download after shredding and
    # matches it with the digests kept from before and those published now.
    response = client.get(reverse("portal_data:entries_json", args=[appeal.code]))
    entries = tmp_path / "so-cai.json"
    entries.write_bytes(b"".join(response.streaming_content))
    current = tmp_path / "tom-tat.json"
    current.write_text(json.dumps({"digests": client.get(url).json()["digests"]}), encoding="utf-8")
    script = _script()
    assert script.main([str(entries), "--digests", str(digests_before), "--current", str(current)]) == 0

    # The names are gone from every text column of every table (audit trail included).
    found = _where_found(DONOR, PAYEE)
    assert found == [], "\n".join(found)
    shredding = AuditEvent.objects.get(action="funds.postings.shredded", object_id=str(person_a.pk))
    assert sorted(shredding.data["postings"]) == sorted(shredded) and shredding.data["kept_v1"] == []


def test_old_v1_postings_keep_verifying_and_their_names_are_explained(world, person_a, books):
    """A posting written before v2 commits to its text: the shredding leaves it and says why."""
    first = Posting.objects.filter(donation__isnull=False).order_by("id").first()
    _rewrite_as_v1(first.pk)
    assert ledger.verify().ok
    request = _erase(world, person_a)
    first.refresh_from_db()
    assert DONOR in first.description  # kept: rewriting it would break the chain
    assert "dạng chuẩn v2" in request.effect and "1 bút toán" in request.effect
    event = AuditEvent.objects.get(action="funds.postings.shredded")
    assert event.data["kept_v1"] == [first.pk] and "chuỗi băm" in event.data["note"]
    assert ledger.verify().ok
    assert SubjectRequest.objects.get(pk=request.pk).status == "done"


def _rewrite_as_v1(posting_id: int) -> None:
    """Make one posting look like data written before posting-v2: its digest in the v1 form, every
    later hash recomputed (test data, written with the triggers off)."""
    p = Posting.objects.get(pk=posting_id)
    digest = ledger.posting_digest(
        ledger.posting_canonical(
            p.id,
            p.kind,
            p.unit_id,
            p.value_date,
            p.voucher,
            p.description,
            p.reason,
            p.donation_id,
            p.disbursement_id,
            p.pledge_id,
            p.reverses_id,
            p.created_by_id,
            p.created_at,
        )
    )
    tamper(
        (
            "UPDATE funds_posting SET canonical_version = 1, text_salt = '', description_hash = '', "
            "reason_hash = '', digest = %s WHERE id = %s",
            [digest, posting_id],
        )
    )
    _rehash_everything()


def _rehash_everything() -> None:
    previous, campaign_previous = ledger.GENESIS, {}
    updates = []
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
        campaign_hash = ""
        if e.campaign_id:
            campaign_hash = ledger.chain(campaign_previous.get(e.campaign_id, ledger.GENESIS), canonical)
            campaign_previous[e.campaign_id] = campaign_hash
        updates.append(
            (
                "UPDATE funds_entry SET hash = %s, campaign_hash = %s WHERE number = %s",
                [previous, campaign_hash, e.number],
            )
        )
    tamper(
        *updates,
        "DELETE FROM funds_ledgerdigest",
        (
            "UPDATE funds_chainhead SET last_hash = %s, digest_day = NULL, digest_number = 0, digest_hash = ''",
            [previous],
        ),
    )
    assert not LedgerDigest.objects.exists() and ChainHead.objects.get().last_hash == previous
    with transaction.atomic():
        ledger.lock_head()
        ledger.make_digests(until=timezone.localdate())
