"""Issue 14, point 4: money raised and spent per fund and campaign on the round's board and on a
society's report, read on a 360 px phone and at 1280 px (screenshots for a person to look at)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from nhandao.campaigns import services as campaigns
from nhandao.campaigns.models import CampaignKind
from nhandao.funds import services as funds
from nhandao.funds.tests.conftest import give, pay
from nhandao.org import services as org
from nhandao.plans import services
from nhandao.plans.models import RespondentKind
from nhandao.plans.tests.conftest import AGENCIES
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SHOTS_DIR", "var/shots"))


def test_the_money_tables_read_on_a_phone_and_on_a_desktop(world, live_server, page):
    today = timezone.localdate()
    appeal = campaigns.campaign_open(
        actor=world.city_admin,
        campaign=campaigns.campaign_create(
            actor=world.city_admin,
            unit=world.city,
            name="Ủng hộ đồng bào bị ảnh hưởng bão số 3",
            kind=CampaignKind.APPEAL,
            starts_on=today - dt.timedelta(days=10),
            ends_on=today + dt.timedelta(days=20),
        ),
    )
    fund_a = funds.fund_create(actor=world.manager_a, unit=world.commune_a, opened_on=today)
    fund_b = funds.fund_create(actor=world.manager_b, unit=world.commune_b, opened_on=today)
    give(world.finance_officer_a, fund_a, amount=12_500_000)
    pay(world, fund_a, 3_250_000)
    give(world.finance_officer_a, None, 8_000_000, unit=world.commune_a, campaign=appeal)
    give(world.city_admin, fund_b, amount=1_250_000)
    for code, name, kind in AGENCIES:
        org.agency_create(actor=None, code=code, name=name, kind=kind)
    plan = services.plan_load(actor=None)
    rnd = services.round_open(
        actor=None,
        plan=plan,
        name="Báo cáo chuyên đề tháng",
        kind="other",
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        deadline=today + dt.timedelta(days=10),
        committees=False,
    )
    for report in rnd.reports.filter(kind=RespondentKind.SOCIETY):
        values = {e.duty_id: {"status": "done", "done": "Đã thực hiện"} for e in report.entries.all()}
        services.report_save(actor=None, report=report, entries=values)
        services.report_submit(actor=None, report=report)
    report_a = rnd.reports.get(kind=RespondentKind.SOCIETY, unit=world.commune_a)

    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    login(page, base, "admin")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{base}{rnd.get_absolute_url()}")
        table = page.locator("table", has=page.get_by_role("columnheader", name="Quỹ, cuộc vận động")).first
        table.wait_for()
        assert "13.750.000" in table.inner_text()  # 12.500.000 + 1.250.000 in the general funds
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(SHOTS / f"plans-money-board-{width}.png"), full_page=True)
        page.goto(f"{base}{report_a.get_absolute_url()}")
        page.get_by_role("cell", name=appeal.name).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(SHOTS / f"plans-money-report-{width}.png"), full_page=True)
