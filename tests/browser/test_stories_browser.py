"""On a 360 px phone, without logging in: the public home page shows the latest stories, the
campaigns and the next blood drives; a story and the press page fit the screen too.  A writer
types a bold word with the story body's toolbar and the published page shows it in <strong>;
without JavaScript the body stays a plain textarea."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from nhandao.blood import services as blood
from nhandao.blood.models import CollectionCentre
from nhandao.stories import services
from nhandao.stories.models import Story
from nhandao.stories.tests.conftest import _no_page_cache, cast, jpeg, media, story, upload  # noqa: F401
from tests.browser.conftest import login

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
    # The image is served: waited for (a lazy image loads once in view, and a loaded machine took
    # longer than the page's load event to deliver it).
    image = page.locator("img.story-img").first
    image.scroll_into_view_if_needed()
    image.evaluate(
        "img => img.complete && img.naturalWidth > 0 || new Promise((ok, fail) => {"
        " img.addEventListener('load', ok); img.addEventListener('error', () => fail(new Error('image failed'))); })"
    )
    assert image.evaluate("img => img.naturalWidth") > 0
    page.evaluate("window.scrollTo(0, 0)")
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


TOOLBAR_SHOTS = Path(os.environ.get("NHANDAO_SHOTS") or SHOTS)


def test_a_bold_word_typed_with_the_toolbar_is_bold_on_the_published_page(live_server, browser, world, cast):  # noqa: F811
    TOOLBAR_SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, live_server.url, "manager_a")
        page.goto(f"{live_server.url}/tin-bai/viet/")
        assert not page.locator("textarea[name=body]").is_visible()  # the toolbar's box replaces it
        page.locator("select[name=unit]").select_option(str(world.commune_a.pk))
        page.locator("input[name=title]").fill(f"Người tốt việc thiện {width}")
        page.locator("input[name=summary]").fill("Một tình nguyện viên cứu người đuối nước.")
        editor = page.locator(".rte-area")
        editor.click()
        page.keyboard.type("Anh Nam ")
        page.get_by_role("button", name="Đậm").click()
        page.keyboard.type("dũng cảm")
        page.get_by_role("button", name="Đậm").click()
        page.keyboard.type(" cứu hai em nhỏ.")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Danh sách gạch đầu dòng").click()
        page.keyboard.type("Ngày 12/6")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(TOOLBAR_SHOTS / f"story-toolbar-{width}.png"), full_page=True)
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(r"/tin-bai/\d+/$"))
        story = Story.objects.get(title=f"Người tốt việc thiện {width}")
        assert "<strong>dũng cảm</strong>" in story.body, story.body
        assert "<ul><li>Ngày 12/6" in story.body, story.body
        services.story_submit(actor=world.manager_a, story=story)
        services.story_publish(actor=cast.officer, story=story)
        page.goto(f"{live_server.url}{story.get_public_url()}")
        assert page.locator(".story-body strong", has_text="dũng cảm").count() == 1
        context.close()


def test_without_javascript_the_body_is_a_plain_textarea(live_server, browser, world, cast):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 900})
    page = context.new_page()
    login(page, live_server.url, "manager_a")
    cookies = context.cookies()
    context.close()
    context = browser.new_context(viewport={"width": 360, "height": 900}, java_script_enabled=False)
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(f"{live_server.url}/tin-bai/viet/")
    assert page.locator("textarea[name=body]").is_visible() and page.locator(".rte-area").count() == 0
    context.close()
