"""On a 360 px phone, without logging in: the public home page shows the latest stories, the
campaigns and the next blood drives; a story and the press page fit the screen too."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from nhandao.blood import services as blood
from nhandao.blood.models import CollectionCentre
from nhandao.stories import services
from nhandao.stories.tests.conftest import _no_page_cache, cast, jpeg, media, story, upload  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1, page.url


def test_the_home_page_fits_a_phone(live_server, browser, world, cast):  # noqa: F811
    for i, title in enumerate(
        ["Trao 120 suất quà Tết Nhân ái cho hộ nghèo phường Lê Chân", "Tình nguyện viên 10 năm nấu cháo"]
    ):
        s = story(world, title=title, kind="good_deed" if i else "news")
        services.image_add(
            actor=world.manager_a, story=s, upload=upload(jpeg(1200, 800, color=(180, 40 * i, 60)))
        )
        services.story_submit(actor=world.manager_a, story=s)
        services.story_publish(actor=cast.officer, story=s)
    blood.drive_create(
        actor=None, unit=world.commune_a, name="Chủ nhật Đỏ tháng 12", venue="Nhà văn hóa phường",
        address="Số 1 Lạch Tray", ward=world.commune_a.ward, date=timezone.localdate() + dt.timedelta(days=5),
        starts_at=dt.time(7), ends_at=dt.time(11), centre=CollectionCentre.objects.get_or_create(name="Bệnh viện Hữu nghị Việt Tiệp")[0],
        capacity_per_hour=30, target_units=100,
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15000)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Tin tức, gương người tốt việc thiện").is_visible()
    assert page.get_by_role("heading", name="Hiến máu tình nguyện sắp tới").is_visible()
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
    assert page.locator("img.story-img").first.evaluate("img => img.naturalWidth") > 0  # the image is served
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "stories-home-360.png"), full_page=True)

    page.get_by_role("link", name="Trao 120 suất quà Tết Nhân ái").first.click()
    page.wait_for_url("**/tin-tuc/*/")
    assert page.locator("meta[property='og:image']").get_attribute("content").endswith(".jpg")
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "stories-story-360.png"), full_page=True)

    page.goto(f"{live_server.url}/bao-chi/")
    assert page.get_by_role("link", name="Tải ảnh").count() == 2
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "stories-press-360.png"), full_page=True)
    context.close()
