"""Helpers for the fund tests: a general fund for commune A, an open city appeal, gifts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nhandao.campaigns import services as campaign_services
from nhandao.campaigns.models import CampaignKind
from nhandao.funds import services
from nhandao.funds.models import Channel, Fund


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def fund_a(world) -> Fund:
    return services.fund_create(actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1))


@pytest.fixture
def fund_b(world) -> Fund:
    return services.fund_create(actor=world.manager_b, unit=world.commune_b, opened_on=dt.date(2025, 7, 1))


@pytest.fixture
def city_fund(world) -> Fund:
    return services.fund_create(actor=world.city_admin, unit=world.city, opened_on=dt.date(2020, 1, 1))


@pytest.fixture
def appeal(world):
    """An open restricted appeal of the city (like Typhoon Yagi)."""
    campaign = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Ủng hộ đồng bào bị ảnh hưởng bão số 3",
        kind=CampaignKind.APPEAL,
        starts_on=today() - dt.timedelta(days=10),
        ends_on=today() + dt.timedelta(days=20),
    )
    return campaign_services.campaign_open(actor=world.city_admin, campaign=campaign)


@pytest.fixture
def movement(world):
    """An open unrestricted movement of the city (like Tết Nhân ái)."""
    campaign = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Tết Nhân ái",
        kind=CampaignKind.MOVEMENT,
        starts_on=today() - dt.timedelta(days=30),
    )
    return campaign_services.campaign_open(actor=world.city_admin, campaign=campaign)


def give(actor, fund=None, amount=1_000_000, channel=Channel.CASH, **kw):
    kw.setdefault("received_on", today())
    kw.setdefault("donor_name", "Nguyễn Thị Mai")
    return services.donation_record(actor=actor, fund=fund, channel=channel, amount=amount, **kw)


def pay(world, fund, amount, *, approve=True, **kw):
    """Draft a cash payment as the finance officer and approve it as the approver."""
    d = services.disbursement_draft(
        actor=kw.pop("drafter", world.finance_officer_a),
        fund=fund,
        kind=kw.pop("kind", "payment"),
        amount=amount,
        purpose=kw.pop("purpose", "Hỗ trợ hộ nghèo"),
        help_kind=kw.pop("help_kind", "cash"),
        **kw,
    )
    if approve:
        d = services.disbursement_approve(actor=world.finance_approver_a, disbursement=d)
    return d
