"""The portal's kept totals equal the ledger's sums after new gifts, payments and reversals."""

from __future__ import annotations

import dataclasses

from django.utils import timezone

from nhandao.funds import public
from nhandao.funds import services as funds
from nhandao.funds.models import Channel, Posting
from nhandao.portal import totals


def _same(campaign):
    assert dataclasses.asdict(totals.campaign_totals(campaign)) == dataclasses.asdict(
        public.campaign_totals(campaign)
    )
    assert totals.campaign_totals_by_unit(campaign) == public.campaign_totals_by_unit(campaign)


def test_kept_totals_follow_every_posting(world, portal):
    from .conftest import _approver

    campaign = portal.campaign
    _same(campaign)
    funds.donation_record(
        actor=world.finance_officer_a,
        unit=world.commune_a,
        campaign=campaign,
        channel=Channel.CASH,
        amount=777_000,
        received_on=timezone.localdate(),
        donor_name="Mới",
    )
    _same(campaign)
    approver = _approver(world, world.city, "approver_city_2")
    posting = Posting.objects.get(donation=portal.bank_gift, kind="donation")
    funds.posting_reverse(actor=approver, posting=posting, reason="Nhầm tài khoản")
    _same(campaign)
    assert totals.campaign_totals(campaign).gifts == 6


def test_a_page_with_kept_totals_costs_few_queries(client, portal, django_assert_max_num_queries):
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/"
    with django_assert_max_num_queries(15):
        assert client.get(url, {"x": "1"}).status_code == 200
