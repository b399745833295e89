"""The public script catches truncation: the chain cut after a published digest (head rewound),
and digests deleted from the published list since you kept them."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nhandao.campaigns import services as campaign_services
from nhandao.campaigns.models import CampaignKind
from nhandao.funds import ledger
from nhandao.funds.models import Entry, LedgerDigest
from nhandao.funds.services import DonationInput, donations_record_batch
from nhandao.funds.tests.tampering import tamper

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify_ledger_chain.py"
spec = importlib.util.spec_from_file_location("verify_ledger_chain", SCRIPT)
verifier = importlib.util.module_from_spec(spec)
spec.loader.exec_module(verifier)


@pytest.fixture
def appeal(world):
    """Gifts to a public appeal four and three days ago, digested (days before the download in
    every time zone the deployment may use)."""
    today = timezone.localdate()
    campaign = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Lũ quét",
        kind=CampaignKind.APPEAL,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),
    )
    campaign = campaign_services.campaign_open(actor=world.city_admin, campaign=campaign)
    now = timezone.now()
    for days, amount in ((4, 100_000), (4, 200_000), (3, 300_000)):
        moment = now - dt.timedelta(days=days)
        donations_record_batch(
            actor=None,
            rows=[
                DonationInput(
                    channel="cash",
                    amount=amount,
                    received_on=timezone.localdate(moment),
                    unit=world.city,
                    campaign=campaign,
                )
            ],
            posted_at=moment,
        )
    ledger.make_digests(until=today - dt.timedelta(days=2))
    return campaign


def _save(client, appeal, tmp_path, name):
    url = reverse("portal_data:digests_json") + f"?campaign={appeal.code}"
    path = tmp_path / name
    path.write_text(json.dumps({"digests": client.get(url).json()["digests"]}), encoding="utf-8")
    return path


def _download(client, appeal, tmp_path):
    response = client.get(reverse("portal_data:entries_json", args=[appeal.code]))
    path = tmp_path / "so-cai.json"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def test_an_honest_ledger_passes_with_kept_and_current_digests(appeal, tmp_path, capsys):
    client = Client()
    kept = _save(client, appeal, tmp_path, "truoc.json")
    current = _save(client, appeal, tmp_path, "nay.json")
    entries = _download(client, appeal, tmp_path)
    assert verifier.main([str(entries), "--digests", str(kept), "--current", str(current)]) == 0
    assert "ĐÚNG" in capsys.readouterr().out


def test_deleted_digest_rows_are_caught_by_the_script_and_by_verify_ledger(appeal, tmp_path, capsys):
    client = Client()
    kept = _save(client, appeal, tmp_path, "truoc.json")
    last_day = LedgerDigest.objects.filter(campaign=appeal).order_by("-day").first().day
    tamper(("DELETE FROM funds_ledgerdigest WHERE day >= %s", [last_day]))
    cache.clear()  # the head did not move: the portal would serve the list it cached before
    current = _save(client, appeal, tmp_path, "nay.json")
    entries = _download(client, appeal, tmp_path)
    assert verifier.main([str(entries), "--digests", str(kept), "--current", str(current)]) == 1
    assert "đã bị cắt bớt" in capsys.readouterr().err
    assert any("Tóm tắt mới nhất đã lưu" in e for e in ledger.verify().errors)


def test_cut_postings_and_a_rewound_head_are_caught_by_the_script(appeal, tmp_path, capsys):
    """The last gift's posting goes, the head is rewound and even the digests after it are
    deleted and the anchor moved: the books look whole inside, the digests you kept do not agree."""
    client = Client()
    kept = _save(client, appeal, tmp_path, "truoc.json")
    first_day = LedgerDigest.objects.filter(campaign=appeal).order_by("day").first()
    keep = first_day.last_number
    last = Entry.objects.get(number=keep)
    tamper(
        ("DELETE FROM funds_entry WHERE number > %s", [keep]),
        ("DELETE FROM funds_posting WHERE id > %s", [last.posting_id]),
        ("DELETE FROM funds_ledgerdigest WHERE day > %s", [first_day.day]),
        (
            "UPDATE funds_chainhead SET last_number = %s, last_hash = %s, last_posting_id = %s, "
            "last_posted_at = %s, digest_day = %s, digest_number = %s, digest_hash = %s",
            [keep, last.hash, last.posting_id, last.posted_at, first_day.day, keep, last.hash],
        ),
    )
    entries = _download(client, appeal, tmp_path)
    assert verifier.main([str(entries), "--digests", str(kept)]) == 1
    assert "đầu chuỗi bị lùi lại" in capsys.readouterr().err


def test_a_download_cut_on_purpose_is_not_truncation(appeal, tmp_path):
    client = Client()
    kept = _save(client, appeal, tmp_path, "truoc.json")
    first = LedgerDigest.objects.filter(campaign=appeal).order_by("day").first().last_number
    response = client.get(reverse("portal_data:entries_json", args=[appeal.code]) + f"?up_to={first}")
    path = tmp_path / "mot-phan.json"
    path.write_bytes(b"".join(response.streaming_content))
    assert json.loads(path.read_text(encoding="utf-8"))["up_to"] == first
    assert verifier.main([str(path), "--digests", str(kept)]) == 0
