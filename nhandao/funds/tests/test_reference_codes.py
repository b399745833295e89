"""A reference code names one campaign or one pledge across the installation (core.refcodes asks
each owner that campaigns and funds register)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nhandao.campaigns import services as campaign_services
from nhandao.campaigns.models import CampaignKind
from nhandao.core import refcodes
from nhandao.funds import services

from .conftest import today

pytestmark = pytest.mark.django_db


def _campaign(world, code):
    return campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Tết Nhân ái",
        kind=CampaignKind.MOVEMENT,
        starts_on=today() - dt.timedelta(days=1),
        code=code,
    )


def test_a_new_campaign_cannot_take_the_code_of_a_pledge(world, fund_a):
    pledge = services.pledge_record(
        actor=world.finance_officer_a,
        fund=fund_a,
        donor_name="Công ty Cảng",
        amount=1_000_000,
        pledged_on=today(),
    )
    with pytest.raises(ValidationError, match="đã được dùng"):
        _campaign(world, pledge.code)


def test_a_new_campaign_takes_a_code_no_one_holds(world):
    code = refcodes.new_code(refcodes.taken)
    assert _campaign(world, code).code == code
    assert refcodes.taken(code)
