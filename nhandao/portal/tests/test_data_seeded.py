"""On the seeded demo (five years of books): the published script verifies every public campaign's
chain from the downloads, tampering fails it, the IATI file validates, and no download carries a
private value of the seed.  The demo is the session's `seeded_city` (root conftest)."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client
from django.urls import reverse

from nhandao.campaigns.selectors import public_campaigns
from nhandao.funds.models import Disbursement, Donation, LedgerDigest

from .test_data_iati import check
from .test_data_verify import body, verifier


@pytest.fixture
def campaigns(seeded_city, db):
    with_chain = LedgerDigest.objects.filter(campaign__isnull=False).values("campaign_id")
    found = list(public_campaigns().filter(pk__in=with_chain))
    assert found, "the demo has public campaigns with entries"
    return found


def download_and_digests(client, campaign, tmp_path):
    doc = json.loads(body(client.get(reverse("portal_data:entries_json", args=[campaign.code]))))
    digests, url = [], reverse("portal_data:digests_json") + f"?campaign={campaign.code}"
    while url:
        page = client.get(url).json()
        digests.extend(page["digests"])
        url = page["next"]
    path = tmp_path / f"{campaign.code}-tom-tat.json"
    path.write_text(json.dumps({"digests": digests}), encoding="utf-8")
    return doc, path


def run(tmp_path, doc, digests_path) -> int:
    path = tmp_path / "so-cai.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return verifier.main([str(path), "--digests", str(digests_path)])


def test_the_script_verifies_every_seeded_campaign_and_catches_a_changed_amount(campaigns, tmp_path, capsys):
    client = Client()
    for campaign in campaigns:
        doc, digests = download_and_digests(client, campaign, tmp_path)
        assert doc["entries"], campaign.code
        assert run(tmp_path, doc, digests) == 0, capsys.readouterr()
        # Entries after the last digest are not pinned yet: change one that a digest covers.
        with open(digests, encoding="utf-8") as handle:
            covered = max(
                d["entries"]
                for d in json.load(handle)["digests"]
                if d["last_number"] <= doc["entries"][-1]["number"]
            )
        forged = copy.deepcopy(doc)
        forged["entries"][covered // 2]["amount"] -= 1
        assert run(tmp_path, forged, digests) == 1
        # The forger recomputes the hashes too: the published digest still disagrees.
        previous = verifier.GENESIS
        for e in forged["entries"]:
            previous = verifier.link(previous, verifier.canonical(e))
            e["campaign_hash"] = previous
        assert run(tmp_path, forged, digests) == 1
    capsys.readouterr()


def test_the_iati_file_of_the_seeded_campaigns_is_valid(campaigns):
    root = check(body(Client().get(reverse("portal_data:iati"))))
    assert len(root.findall("iati-activity")) == public_campaigns().count()


def private_values() -> set[str]:
    from nhandao.beneficiaries.models import Case

    values: set[str] = set()
    for name, account, memo, ref in Donation.objects.exclude(display="full").values_list(
        "donor_name", "counterparty_account", "memo", "external_ref"
    ):
        values.update((name, account, memo, ref))
    for account, memo, ref, note in Donation.objects.values_list(
        "counterparty_account", "memo", "external_ref", "note"
    ):
        values.update((account, memo, ref, note))
    for name, account, ref in Disbursement.objects.values_list(
        "payee_name", "payee_account", "help_reference"
    ):
        values.update((name, account, ref))
    for name, cccd, phone, address, case_phone in Case.objects.values_list(
        "head__full_name", "head__cccd", "head__phone", "address_detail", "phone"
    ):
        values.update((name, cccd, phone, address, case_phone))
    return {v for v in values if v and len(v) >= 6}


def public_strings(campaign) -> list[str]:
    """What the portal publishes by design: a private value found inside one of these is a coincidence
    of the demo's name lists (an anonymous donor named like a donor who chose to be named)."""
    strings = list(Donation.objects.filter(campaign=campaign).values_list("public_name", flat=True))
    strings += list(Disbursement.objects.filter(campaign=campaign).values_list("purpose", flat=True))
    strings += list(Donation.objects.filter(display="full").values_list("public_name", flat=True).distinct())
    return strings


def test_no_download_of_any_seeded_campaign_carries_a_private_value(campaigns):
    client = Client()
    private = private_values()
    assert len(private) > 100
    for campaign in campaigns:
        published = public_strings(campaign)
        for name in ("gifts_csv", "disbursements_hxl", "entries_json", "campaign_iati"):
            text = body(client.get(reverse(f"portal_data:{name}", args=[campaign.code]))).decode("utf-8-sig")
            leaked = [v for v in private if v in text and not any(v in p for p in published)]
            assert not leaked, (campaign.code, name, leaked[:5])
