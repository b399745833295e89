"""Pages that fit (issue 15, points 2 and 3): at 360, 768 and 1280 px no figure on the portal or the
dashboard runs into another or out of its box, even at tens of billions of đồng; on a phone the
menu folds behind a button and opens with one tap."""

import datetime as dt

import pytest

from tests.browser.conftest import login
from tests.browser.crawl import FIGURES_PROBLEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 768, 1280)


@pytest.fixture
def big_money(world):
    """A city appeal of 30 billion đồng with 3,272,600,000 đồng received, and a commune whose fund
    holds 1,234,567,890 đồng: the figures that ran into each other."""
    from nhandao.campaigns import services as campaigns
    from nhandao.campaigns.models import CampaignKind
    from nhandao.funds import services as funds
    from nhandao.funds.models import Channel

    today = dt.date.today()
    campaign = campaigns.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Bão số 3 – Yagi",
        kind=CampaignKind.APPEAL,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=30),
        goal=30_000_000_000,
    )
    campaigns.campaign_open(actor=world.city_admin, campaign=campaign)
    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.CASH,
        amount=3_272_600_000,
        received_on=today,
        donor_name="Tập đoàn Mặt Trời",
        display="full",
    )
    funds.fund_create(actor=None, unit=world.commune_a, opened_on=dt.date(2025, 7, 1))
    funds.donation_record(
        actor=world.finance_officer_a,
        unit=world.commune_a,
        channel=Channel.CASH,
        amount=1_234_567_890,
        received_on=today,
        donor_name="Công ty Cảng Hải Phòng",
        display="full",
    )
    return campaign


def _check(page, selector: str, at: str, minimum: int) -> None:
    found = page.evaluate(FIGURES_PROBLEMS, selector)
    assert found["count"] >= minimum, (at, found)
    assert found["problems"] == [], (at, found["problems"])
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1, at


def test_no_figure_overlaps_another_or_its_box_on_the_portal_and_the_dashboard(
    browser, live_server, world, big_money
):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/minh-bach/")
        assert "30.000.000.000 ₫" in page.content()
        _check(page, ".figures .v", f"portal {width}px", 6)
        page.goto(f"{live_server.url}/minh-bach/chien-dich/{big_money.code}/")
        _check(page, ".figures .v", f"campaign page {width}px", 6)
        context.close()
        for username, money in (("finance_officer_a", "1.234.567.890 ₫"), ("admin", "₫")):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15000)
            login(page, live_server.url, username)
            assert money in page.content()
            _check(page, ".counter .value", f"dashboard of {username} {width}px", 10)
            context.close()


def test_on_a_phone_the_menu_folds_behind_a_button_and_opens_with_one_tap(browser, live_server, world):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    login(page, live_server.url, "finance_officer_a")
    funds_link = page.locator(".site-header .nav-links").get_by_role("link", name="Quỹ", include_hidden=True)
    assert not funds_link.is_visible()
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 100, header_height
    page.locator(".nav-toggle-button").click()
    page.locator(".site-header summary", has_text="Tài chính").click()  # the menu's money group
    assert funds_link.is_visible()
    funds_link.click()
    page.wait_for_url("**/quy/")
    context.close()

    wide = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(wide, live_server.url, "finance_officer_a")
    wide.locator(".site-header summary", has_text="Tài chính").click()
    assert wide.locator(".site-header .nav-links").get_by_role("link", name="Quỹ").is_visible()
    assert not wide.locator(".nav-toggle-button").is_visible()
