"""Movements in a real browser (issue 19): a commune officer finds its movement's targets and live
results, the city its ranking board and the peer groups page; at 360 and 1280 px no page runs out
of the screen and no cell's text runs out of its cell or into another."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from nhandao.beneficiaries.lookups import ensure_lookups
from nhandao.beneficiaries.tests.helpers import give, make_case
from nhandao.movements import services
from tests.browser.conftest import login, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)
SHOTS = Path(os.environ.get("NHANDAO_SHOTS") or Path(__file__).resolve().parents[2] / "var" / "shots")

# Each cell's and link's text (a Range over its contents, so text overflowing its element counts)
# against its own box and against every other one.
TEXT_PROBLEMS = """(selector) => {
  const textRect = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  const els = [...document.querySelectorAll(selector)].filter((el) => el.offsetParent && el.textContent.trim());
  const rects = els.map(textRect);
  const problems = [];
  els.forEach((el, i) => {
    const box = el.getBoundingClientRect(), r = rects[i];
    if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`out of its box: ${el.textContent.trim()}`);
  });
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
    const a = rects[i], b = rects[j];
    if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      problems.push(`overlap: ${els[i].textContent.trim()} / ${els[j].textContent.trim()}`);
  }
  return {count: els.length, problems};
}"""


@pytest.fixture
def running(world):
    """The city's Tết Nhân ái with targets for both communes, three gifts given in Lê Chân and one
    in Ngô Quyền, and the year's emulation criteria."""
    ensure_lookups()
    today = timezone.localdate()
    movement = services.movement_create(
        actor=None,
        unit=world.city,
        kind="tet",
        year=today.year,
        name="Tết Nhân ái vì người nghèo và nạn nhân chất độc da cam",
        indicator_codes=["beneficiaries.gifts", "funds.raised", "beneficiaries.households"],
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
    )
    for unit, gifts in ((world.commune_a, 8), (world.commune_b, 4)):
        services.target_set(
            actor=None, movement=movement, unit=unit, indicator="beneficiaries.gifts", value=gifts
        )
        services.target_set(
            actor=None, movement=movement, unit=unit, indicator="funds.raised", value=1_250_000_000
        )
    for _ in range(3):
        give(make_case(world.commune_a), kind="gift")
    give(make_case(world.commune_b), kind="gift")
    scheme = services.scheme_create(
        actor=None,
        unit=world.city,
        year=today.year,
        name=f"Thi đua Hội Chữ thập đỏ năm {today.year}",
        criteria=[("beneficiaries.gifts", 60), ("beneficiaries.households", 40)],
    )
    return movement, scheme


def _fits(page, at: str, minimum: int = 1) -> None:
    found = page.evaluate(TEXT_PROBLEMS, "main td, main th, main .actions a, main h1")
    assert found["count"] >= minimum, (at, found)
    assert found["problems"] == [], (at, found["problems"])
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, at


def _page(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_a_commune_officer_sees_its_targets_and_live_results(browser, live_server, world, running):
    movement, _scheme = running
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        context, page = _page(browser, width)
        login(page, live_server.url, "manager_a")
        nav(page, "Phong trào, thi đua")
        page.get_by_role("link", name=movement.name).click()
        page.wait_for_url(f"**/phong-trao/{movement.pk}/")
        row = page.locator("tbody tr", has_text=world.commune_a.name)
        cells = [c.replace("\xa0", " ").strip() for c in row.locator("td").all_inner_texts()]
        # gifts: 3 given of 8 (38 %); money: nothing raised of 1.250.000.000 ₫
        assert cells[1:4] == ["3", "8", "38%"], cells
        assert cells[5] == "1.250.000.000 ₫", cells
        assert world.commune_b.name not in page.content()  # another commune's row is not shown
        _fits(page, f"movement {width}px", minimum=10)
        page.screenshot(path=str(SHOTS / f"movement-commune-{width}.png"), full_page=True)
        context.close()


def test_the_city_sees_the_ranking_board_and_the_peer_groups(browser, live_server, world, running):
    _movement, scheme = running
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        context, page = _page(browser, width)
        login(page, live_server.url, "admin")
        page.goto(f"{live_server.url}/thi-dua/")
        page.get_by_role("link", name=scheme.name).click()
        page.wait_for_url(f"**/thi-dua/{scheme.pk}/**")
        first = page.locator("tbody tr").first
        assert first.locator("td").first.inner_text().strip() == "1"
        assert world.commune_a.name in first.inner_text()  # three gifts beat one
        _fits(page, f"ranking {width}px", minimum=8)
        page.screenshot(path=str(SHOTS / f"ranking-city-{width}.png"), full_page=True)

        page.goto(f"{live_server.url}/thi-dua/")
        page.get_by_role("link", name="Khối thi đua, dân số").click()
        page.wait_for_url("**/khoi-thi-dua/")
        assert page.locator("tbody tr", has_text=world.commune_b.name).count() == 1
        _fits(page, f"peer groups {width}px", minimum=8)
        page.screenshot(path=str(SHOTS / f"peer-groups-{width}.png"), full_page=True)
        context.close()


def test_the_city_edits_a_population_in_the_browser(browser, live_server, world):
    context, page = _page(browser, 360)
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/khoi-thi-dua/{world.commune_b.pk}/")
    page.get_by_label("Dân số").fill("-3")
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Dân số không được âm.").is_visible()
    page.get_by_label("Khối thi đua").select_option("commune")
    page.get_by_label("Dân số").fill("52000")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/khoi-thi-dua/")
    row = page.locator("tbody tr", has_text=world.commune_b.name)
    assert "52.000" in row.inner_text() and "Hội CTĐ xã, đặc khu" in row.inner_text()
    _fits(page, "peer groups after the edit", minimum=4)
    page.screenshot(path=str(SHOTS / "peer-groups-edited-360.png"), full_page=True)
    context.close()
