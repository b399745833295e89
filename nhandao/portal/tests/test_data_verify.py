"""Verify the books: digests page and JSON, the entries download, and the published script."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nhandao.funds import ledger
from nhandao.funds.models import Entry, LedgerDigest

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify_ledger_chain.py"


def load_script():
    spec = importlib.util.spec_from_file_location("verify_ledger_chain", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


verifier = load_script()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, campaign) -> dict:
    response = client.get(reverse("portal_data:entries_json", args=[campaign.code]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/json")
    return json.loads(body(response))


def all_digests(client, campaign=None) -> list[dict]:
    url = reverse("portal_data:digests_json") + (f"?campaign={campaign.code}" if campaign else "")
    digests = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.json()
        digests.extend(page["digests"])
        url = page["next"]
    return digests


@pytest.fixture
def digested(portal):
    """The portal world with today's digests stored (as the nightly job would)."""
    ledger.make_digests(until=timezone.localdate())
    return portal


def test_the_download_holds_every_entry_of_the_campaign_with_its_hash(digested):
    doc = download(Client(), digested.campaign)
    numbers = list(
        Entry.objects.filter(campaign=digested.campaign).order_by("number").values_list("number", flat=True)
    )
    assert [e["number"] for e in doc["entries"]] == numbers
    assert doc["count"] == len(numbers)
    assert doc["campaign"]["code"] == digested.campaign.code
    assert doc["last_campaign_hash"] == doc["entries"][-1]["campaign_hash"]


def test_the_script_serialises_entries_exactly_like_the_ledger(digested):
    doc = download(Client(), digested.campaign)
    stored = {e.number: e for e in Entry.objects.filter(campaign=digested.campaign).select_related("posting")}
    for record in doc["entries"]:
        e = stored[record["number"]]
        expected = ledger.entry_canonical(
            e.number, e.posting_id, e.posting.digest, e.fund_id, e.account_id, e.amount,
            e.campaign_id, e.item, e.quantity, e.value_date, e.posted_at,
        )  # fmt: skip
        assert verifier.canonical(record) == expected
        assert record["campaign_hash"] == e.campaign_hash


def test_the_recomputed_chain_matches_the_published_digests(digested, tmp_path, capsys):
    client = Client()
    entries = tmp_path / "so-cai.json"
    entries.write_text(json.dumps(download(client, digested.campaign), ensure_ascii=False), encoding="utf-8")
    digests = tmp_path / "tom-tat.json"
    digests.write_text(json.dumps({"digests": all_digests(client, digested.campaign)}), encoding="utf-8")
    assert verifier.main([str(entries), "--digests", str(digests)]) == 0
    assert "ĐÚNG" in capsys.readouterr().out


def tampered_run(tmp_path, doc, digests) -> int:
    entries = tmp_path / "so-cai-sua.json"
    entries.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    path = tmp_path / "tom-tat.json"
    path.write_text(json.dumps({"digests": digests}), encoding="utf-8")
    return verifier.main([str(entries), "--digests", str(path)])


def rehash(doc) -> None:
    """What a forger would do: recompute every published hash after changing a line."""
    previous = verifier.GENESIS
    for e in doc["entries"]:
        previous = hashlib.sha256(f"{previous}\n{verifier.canonical(e)}".encode()).hexdigest()
        e["campaign_hash"] = previous


def test_changing_any_published_amount_makes_it_fail(digested, tmp_path, capsys):
    client = Client()
    doc = download(client, digested.campaign)
    digests = all_digests(client, digested.campaign)
    for index in range(len(doc["entries"])):
        forged = copy.deepcopy(doc)
        forged["entries"][index]["amount"] += 1000
        assert tampered_run(tmp_path, forged, digests) == 1, index
        assert "LỖI" in capsys.readouterr().err
        rehash(forged)  # hashes made consistent again: the digest still catches it
        assert tampered_run(tmp_path, forged, digests) == 1, index
        assert "không khớp" in capsys.readouterr().err


def test_a_deleted_or_reordered_entry_makes_it_fail(digested, tmp_path):
    client = Client()
    doc = download(client, digested.campaign)
    digests = all_digests(client, digested.campaign)
    deleted = copy.deepcopy(doc)
    del deleted["entries"][1]
    assert tampered_run(tmp_path, deleted, digests) == 1
    rehash(deleted)
    assert tampered_run(tmp_path, deleted, digests) == 1
    swapped = copy.deepcopy(doc)
    swapped["entries"][0], swapped["entries"][1] = swapped["entries"][1], swapped["entries"][0]
    assert tampered_run(tmp_path, swapped, digests) == 1


def test_without_any_digest_to_compare_it_says_so(portal, tmp_path, capsys):
    # Postings of today only: no digest yet, and none given.
    doc = download(Client(), portal.campaign)
    assert doc["digest"] is None
    path = tmp_path / "so-cai.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert verifier.main([str(path)]) == 2
    assert "Không có tóm tắt" in capsys.readouterr().err


def test_up_to_cuts_the_download_at_a_digest(digested):
    client = Client()
    doc = download(client, digested.campaign)
    middle = doc["entries"][2]["number"]
    response = client.get(
        reverse("portal_data:entries_json", args=[digested.campaign.code]) + f"?up_to={middle}"
    )
    cut = json.loads(body(response))
    assert [e["number"] for e in cut["entries"]] == [e["number"] for e in doc["entries"][:3]]


@pytest.mark.parametrize("value", ["-1", "abc", "1e9", "9" * 40, "<script>", "1 OR 1=1"])
def test_a_bad_up_to_is_refused_in_vietnamese(digested, value):
    response = Client().get(
        reverse("portal_data:entries_json", args=[digested.campaign.code]), {"up_to": value}
    )
    assert response.status_code == 400
    assert "số thứ tự" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_digests_page_and_json_show_the_chain_heads(digested):
    client = Client()
    digest = LedgerDigest.objects.filter(campaign=digested.campaign).order_by("-day").first()
    page = client.get(reverse("portal_data:index"), {"campaign": digested.campaign.code})
    assert page.status_code == 200
    html = page.content.decode()
    assert digest.chain_hash in html
    assert "nhandao-ledger-v1" in html  # the canonical form is documented on the page
    assert reverse("portal_data:verify_script") in html
    whole = client.get(reverse("portal_data:index"))
    head = LedgerDigest.objects.filter(campaign__isnull=True).order_by("-day").first()
    assert head.chain_hash in whole.content.decode()
    data = client.get(reverse("portal_data:digests_json")).json()
    assert data["chain"] == "ledger"
    assert data["digests"][0] == {
        "day": head.day.isoformat(),
        "last_number": head.last_number,
        "chain_hash": head.chain_hash,
        "entries": head.entries,
    }


def test_the_digests_are_paginated_with_bounded_queries(digested, django_assert_max_num_queries):
    from datetime import timedelta

    # Many days of history: one global digest per day.
    ledger.make_digests(until=timezone.localdate() + timedelta(days=400))
    client = Client()
    with django_assert_max_num_queries(8):
        first = client.get(reverse("portal_data:digests_json")).json()
    assert len(first["digests"]) == 300
    assert first["next"]
    with django_assert_max_num_queries(8):
        second = client.get(first["next"]).json()
    assert second["page"] == 2
    with django_assert_max_num_queries(10):
        page = client.get(reverse("portal_data:index"), {"page": "3"})
    assert page.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"page": "abc"},
        {"campaign": "<script>alert(1)</script>"},
        {"campaign": "x" * 10000},
        {"campaign": "' OR 1=1 --"},
    ],
)
def test_garbage_parameters_never_fail(digested, params):
    client = Client()
    for name in ("portal_data:index", "portal_data:digests_json"):
        response = client.get(reverse(name), params)
        assert response.status_code in (200, 404)
        assert b"<script>alert(1)</script>" not in response.content
    if "campaign" in params:
        response = client.get(reverse("portal_data:digests_json"), params)
        assert response.status_code == 404
        assert "Không có cuộc vận động" in response.json()["error"]


def test_hidden_and_draft_campaigns_have_no_chain_page_or_download(digested):
    client = Client()
    for campaign in (digested.private_campaign, digested.draft):
        assert client.get(reverse("portal_data:entries_json", args=[campaign.code])).status_code == 404
        response = client.get(reverse("portal_data:digests_json"), {"campaign": campaign.code})
        assert response.status_code == 404
        assert campaign.name not in client.get(reverse("portal_data:index")).content.decode()


def test_the_script_is_published(db):
    response = Client().get(reverse("portal_data:verify_script"))
    assert response.status_code == 200
    assert b"nhandao-ledger-v1" in body(response)


def test_entries_after_the_last_digest_are_reported_as_not_yet_covered(digested, world, tmp_path, capsys):
    from nhandao.funds import services as funds

    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=digested.campaign,
        channel="cash",
        amount=123_000,
        received_on=timezone.localdate(),
        donor_name="Người Đến Sau",
        display="full",
    )
    client = Client()
    doc = download(client, digested.campaign)
    assert tampered_run(tmp_path, doc, all_digests(client, digested.campaign)) == 0
    assert "chưa có tóm tắt" in capsys.readouterr().out
