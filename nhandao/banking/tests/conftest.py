"""Fixtures for statement imports: the city's BIDV account of the real 2024 extract, an open
appeal (like Typhoon Yagi), and helpers that upload and import a file the way the pages do."""

from __future__ import annotations

import datetime as dt

import pytest

from nhandao.banking import services
from nhandao.banking.models import ImportStatus
from nhandao.campaigns import services as campaign_services
from nhandao.campaigns.models import CampaignKind
from nhandao.funds import services as fund_services


@pytest.fixture
def yagi(world):
    campaign = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Ủng hộ đồng bào bị ảnh hưởng bão số 3 (Yagi)",
        kind=CampaignKind.PROGRAMME,
        starts_on=dt.date(2024, 9, 1),
        restricted=True,
    )
    return campaign_services.campaign_open(actor=world.city_admin, campaign=campaign)


def bank_account(
    world, unit=None, *, bin="970418", number="1261122666", name="BIDV - Chi nhánh Hải Phòng", **kw
):
    return fund_services.bank_account_create(
        actor=world.city_admin,
        unit=unit or world.city,
        bank_name=name,
        bank_bin=bin,
        account_number=number,
        holder="Hoi Chu thap do thanh pho Hai Phong",
        **kw,
    )


@pytest.fixture
def bidv(world):
    return bank_account(world)


@pytest.fixture
def vietinbank(world):
    return bank_account(world, bin="970415", number="CT1111", name="VietinBank")


@pytest.fixture
def vcb(world):
    """The city's Vietcombank account of the generated Vietcombank statements (samples.py)."""
    return bank_account(world, bin="970436", number="0011001234567", name="Vietcombank")


def upload(actor, account, data: bytes, name: str = "sao-ke.xlsx", **kw):
    return services.statement_upload(actor=actor, bank_account=account, data=data, filename=name, **kw)


def import_file(actor, account, data: bytes, name: str = "sao-ke.xlsx", **kw):
    """Upload, check it was read, commit: the import as it stands afterwards."""
    imp = upload(actor, account, data, name, **kw)
    assert imp.status == ImportStatus.CHECKED, imp.message
    imp = services.statement_commit(actor=actor, statement_import=imp)
    imp.refresh_from_db()
    return imp
