"""The demo history: five years of the fund posted through the services, and the books hold."""

from nhandao.campaigns.models import Campaign, CampaignStatus
from nhandao.funds import ledger
from nhandao.funds.models import Disbursement, DisbursementStatus, Donation, LedgerDigest, Pledge, PostingKind
from nhandao.funds.public import campaign_totals


def test_seed_demo_builds_a_verifiable_history(seeded_city, db):
    assert "funds:" in seeded_city.output
    assert Donation.objects.count() >= 1_500
    assert Donation.objects.filter(channel="bank").exclude(external_ref="").exists()
    assert Donation.objects.filter(channel="in_kind").exists()
    assert Pledge.objects.exists()
    assert Disbursement.objects.filter(status=DisbursementStatus.APPROVED, kind="transfer").exists()
    assert Disbursement.objects.filter(status=DisbursementStatus.DRAFT).count() >= 1
    assert Donation.objects.filter(postings__kind=PostingKind.REVERSAL).exists()
    yagi = Campaign.objects.get(name__contains="Yagi")
    assert yagi.status == CampaignStatus.CLOSED
    totals = campaign_totals(yagi)
    assert totals.raised_money > 0 and totals.spent > 0 and totals.balance_money >= 0
    assert Campaign.objects.filter(status=CampaignStatus.OPEN).exists()
    assert LedgerDigest.objects.filter(campaign__isnull=True).count() > 1_000  # one per day of history
    report = ledger.verify()
    assert report.ok, report.errors
    # Payments naming confirmed cases of the register: approved ones made their help records.
    from nhandao.beneficiaries.api import help_records_for_source
    from nhandao.funds.models import DisbursementCase

    linked = DisbursementCase.objects.select_related("disbursement")
    approved = [x for x in linked if x.disbursement.status == DisbursementStatus.APPROVED]
    assert approved and any(x.disbursement.status == DisbursementStatus.DRAFT for x in linked)
    for link in approved:
        assert link.help_record in help_records_for_source(f"funds.disbursement:{link.disbursement_id}")
