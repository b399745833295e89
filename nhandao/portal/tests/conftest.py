"""A public appeal with everything the portal must publish, and private values it must never show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone

# What must never appear in any portal response (seeded below in private fields).
PRIVATE_VALUES = [
    "Đỗ Thị Kín Đáo",  # real name of an anonymous donor
    "PHAM BI MAT",  # the sender's name as the bank wrote it
    "Trần Văn Bình",  # real name behind initials
    "Phạm Bí Mật",  # real name of an anonymous bank donor
    "0904123456",  # a phone in the memo
    "19887766554433",  # the full sender account
    "FT24999000111",  # the bank's transaction reference
    "Ghi chú nội bộ XYZ",  # internal note
    "UNG HO BAO SO 3 GIA DINH PHAM",  # the raw memo
    "Lê Thị Hoa",  # a payee
    "0123456789",  # the payee's account
    "Hỗ trợ bà Cụ Tý",  # help reference of a payment
    "031234567890",  # an ID card number (in the payee's help reference)
    "Số 5 ngõ Bí Mật",  # an address (in the payee bank field)
]


@dataclass
class PortalWorld:
    campaign: object
    private_campaign: object
    draft: object
    bank_gift: object
    anonymous_gift: object
    bank_account: object


def today():
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Tests post and look at once: read the ledger version on every request.
    from nhandao.portal import cache as portal_cache

    settings.NHANDAO_PORTAL_VERSION_SECONDS = 0
    from nhandao.portal import views

    portal_cache._seen.update(version="", at=-1e9)
    views._places.clear()
    cache.clear()
    yield
    cache.clear()


def _approver(world, unit, username):
    from nhandao.accounts.models import User
    from nhandao.core.access import Role
    from nhandao.org import services as org_services

    user = User.objects.create(username=username, full_name="Duyệt chi " + username)
    org_services.role_assign(actor=None, user=user, unit=unit, role=Role.FINANCE_APPROVER)
    return user


@pytest.fixture
def portal(world) -> PortalWorld:
    from nhandao.campaigns import services as campaign_services
    from nhandao.campaigns.models import CampaignKind
    from nhandao.funds import services as funds
    from nhandao.funds.models import Channel
    from nhandao.funds.services import GoodsLine

    campaign = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Bão số 3",
        kind=CampaignKind.APPEAL,
        starts_on=today() - dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=30),
        eligibility="Hộ có nhà bị sập, tốc mái",
        support_level="5.000.000 đồng mỗi hộ có nhà bị sập",
        distribution_method="Chuyển khoản qua Hội cấp xã",
        mobilisation_reference="Lời kêu gọi số 12/LKG-HCTĐ",
    )
    campaign = campaign_services.campaign_open(actor=world.city_admin, campaign=campaign)
    private_campaign = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Chiến dịch nội bộ",
        kind=CampaignKind.MOVEMENT,
        starts_on=today() - dt.timedelta(days=5),
        is_public=False,
    )
    private_campaign = campaign_services.campaign_open(actor=world.city_admin, campaign=private_campaign)
    draft = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Dự thảo chưa công bố",
        kind=CampaignKind.MOVEMENT,
        starts_on=today(),
    )
    bank_account = funds.bank_account_create(
        actor=world.city_admin,
        unit=world.city,
        bank_name="Vietcombank",
        bank_bin="970436",
        account_number="0031000123456",
        holder="HOI CHU THAP DO TP HAI PHONG",
        campaign=campaign,
    )
    anonymous_gift = funds.donation_record(
        actor=world.finance_officer_a,
        unit=world.commune_a,
        campaign=campaign,
        channel=Channel.CASH,
        amount=3_000_000,
        received_on=today(),
        donor_name="Đỗ Thị Kín Đáo",
        display="anonymous",
        note="Ghi chú nội bộ XYZ",
    )
    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.CASH,
        amount=10_000_000,
        received_on=today() - dt.timedelta(days=1),
        donor_name="Trần Văn Bình",
        display="initials",
    )
    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.CASH,
        amount=500_000,
        received_on=today() - dt.timedelta(days=2),
        donor_name="Nguyễn Thị Mai",
        display="full",
    )
    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.CASH,
        amount=700_000,
        received_on=today() - dt.timedelta(days=2),
        donor_name="NGUYEN THI MAI",
        display="full",
    )
    bank_gift = funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.BANK,
        bank_account=bank_account,
        amount=2_000_000,
        received_on=today() - dt.timedelta(days=3),
        external_ref="FT24999000111",
        counterparty_name="PHAM BI MAT",
        counterparty_account="19887766554433",
        memo="UNG HO BAO SO 3 GIA DINH PHAM 0904123456",
        donor_name="Phạm Bí Mật",
        display="anonymous",
    )
    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.IN_KIND,
        received_on=today(),
        donor_name="Siêu thị",
        items=[GoodsLine("Gạo", "kg", 100, 1_500_000)],
    )
    # The private campaign: nothing of it may show.
    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=private_campaign,
        channel=Channel.CASH,
        amount=4_444_444,
        received_on=today(),
        donor_name="Người Của Chiến Dịch Kín",
        display="full",
    )
    city_approver = _approver(world, world.city, "approver_city")
    city_fund = funds.fund_for(actor=None, unit=world.city, campaign=campaign)
    transfer = funds.disbursement_draft(
        actor=world.city_admin,
        fund=city_fund,
        kind="transfer",
        amount=4_000_000,
        purpose="Chuyển về Lê Chân",
        destination_unit=world.commune_a,
    )
    funds.disbursement_approve(actor=city_approver, disbursement=transfer)
    commune_fund = funds.fund_for(actor=None, unit=world.commune_a, campaign=campaign)
    payment = funds.disbursement_draft(
        actor=world.finance_officer_a,
        fund=commune_fund,
        kind="payment",
        amount=2_500_000,
        purpose="Hỗ trợ hộ có nhà bị tốc mái",
        help_kind="relief",
        households=5,
        people=17,
        recipient_unit=world.commune_a,
        payee_name="Lê Thị Hoa",
        payee_account="0123456789",
        payee_bank="Số 5 ngõ Bí Mật",
        help_reference="Hỗ trợ bà Cụ Tý 031234567890",
    )
    funds.disbursement_approve(actor=world.finance_approver_a, disbursement=payment)
    issue = funds.disbursement_draft(
        actor=world.city_admin,
        fund=city_fund,
        kind="goods_issue",
        items=[("gao|kg", 40)],
        purpose="Phát gạo",
        help_kind="relief",
        households=8,
    )
    funds.disbursement_approve(actor=city_approver, disbursement=issue)
    campaign.refresh_from_db()
    return PortalWorld(campaign, private_campaign, draft, bank_gift, anonymous_gift, bank_account)
