"""The public side (portal/front.py): published stories with unit, date and tags, the Atom feed
announced in every public page's head, OpenGraph tags for Zalo and Facebook, the press page, and
the home page made of registered sections."""

import re

import pytest

from nhandao.core import registry
from nhandao.stories import services

from .conftest import published, story, upload

ATOM_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="/tin-tuc/atom.xml"')


def _og(html: str, prop: str) -> str:
    found = re.search(rf'<meta property="{prop}" content="([^"]*)"', html)
    return found.group(1) if found else ""


def test_a_published_story_shows_its_unit_date_and_tags(world, cast, client):
    s = published(world, cast)
    body = client.get(s.get_public_url()).content.decode()
    assert s.title in body and world.commune_a.name in body
    assert s.published_at.astimezone().strftime("%d/%m/%Y") in body
    assert "Tết Nhân ái" in body and "quà Tết" in body


def test_a_draft_or_a_story_in_review_is_not_public(world, client):
    draft = story(world)
    review = services.story_submit(actor=world.manager_a, story=story(world, title="Chờ duyệt"))
    for s in (draft, review):
        assert client.get(s.get_public_url()).status_code == 404
    assert "Chờ duyệt" not in client.get("/tin-tuc/").content.decode()


def test_a_drafts_image_is_not_public(world, client):
    s = story(world)
    image = services.image_add(actor=world.manager_a, story=s, upload=upload())
    assert client.get(image.get_public_url()).status_code == 404


def test_the_share_tags_carry_title_image_and_summary(world, cast, client):
    s = story(world)
    image = services.image_add(actor=world.manager_a, story=s, upload=upload())
    services.story_submit(actor=world.manager_a, story=s)
    s = services.story_publish(actor=cast.officer, story=s)
    html = client.get(s.get_public_url()).content.decode()
    assert _og(html, "og:title") == s.title
    assert _og(html, "og:description") == s.summary
    assert _og(html, "og:image") == f"http://testserver/tin-tuc/anh/{image.pk}.jpg"
    assert _og(html, "og:type") == "article"
    response = client.get(f"/tin-tuc/anh/{image.pk}.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("url", ["/", "/tin-tuc/", "/bao-chi/", "/minh-bach/"])
def test_every_public_page_announces_the_feed_and_has_share_tags(world, cast, client, url):
    published(world, cast)
    head = client.get(url).content.decode().split("</head>")[0]
    assert ATOM_LINK.search(head), url
    assert _og(head, "og:title") and _og(head, "og:image") and _og(head, "og:description")


def test_the_atom_feed_lists_the_published_stories(world, cast, client):
    s = published(world, cast)
    story(world, title="Bản nháp bí mật")
    response = client.get("/tin-tuc/atom.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in xml
    assert s.title in xml and f"/tin-tuc/{s.pk}/" in xml and "Tết Nhân ái" in xml
    assert "Bản nháp bí mật" not in xml


def test_the_list_filters_by_tag_with_bounded_queries(world, cast, client, django_assert_max_num_queries):
    for i in range(14):
        published(world, cast, title=f"Tin {i}", tags="hiến máu" if i % 2 else "Tết Nhân ái")
    with django_assert_max_num_queries(8):
        body = client.get("/tin-tuc/?the=hiến máu").content.decode()
    assert "Tin 1<" in body and "Tin 2<" not in body


def test_the_home_page_shows_the_latest_stories_to_visitors(world, cast, client):
    s = published(world, cast)
    body = client.get("/").content.decode()
    assert s.title in body and "Tin tức, gương người tốt việc thiện" in body


def test_signed_in_staff_still_get_their_dashboard(world, cast):
    published(world, cast)
    body = world.client(world.manager_a).get("/").content.decode()
    assert "front-section" not in body


def test_a_registered_section_appears_on_the_home_page(world, client):
    section = registry.FrontSection(
        "test.movements",
        "Phong trào đang diễn ra",
        "portal/front/_blood.html",
        lambda: {"drives": []},
        order=10,
    )
    registry.register_front_section(section)
    try:
        body = client.get("/").content.decode()
    finally:
        registry.FRONT_SECTIONS.remove(section)
    assert "Phong trào đang diễn ra" in body


def test_a_section_with_nothing_to_show_is_left_out(world, client):
    assert "Tin tức, gương người tốt việc thiện</h2>" not in client.get("/").content.decode()


def test_the_press_page_has_figures_and_downloadable_photos(world, cast, client):
    s = story(world, kind="good_deed")
    image = services.image_add(actor=world.manager_a, story=s, upload=upload(), caption="Trao quà")
    services.story_submit(actor=world.manager_a, story=s)
    services.story_publish(actor=cast.officer, story=s)
    body = client.get("/bao-chi/").content.decode()
    assert f"/tin-tuc/anh/{image.pk}.jpg?tai=1" in body
    response = client.get(f"/tin-tuc/anh/{image.pk}.jpg?tai=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_story_published_or_withdrawn_shows_at_once_on_the_cached_home_page(world, cast, client, settings):
    from django.core.cache import cache

    from nhandao.portal import cache as portal_cache

    settings.NHANDAO_PORTAL_CACHE_SECONDS = 60
    settings.NHANDAO_PORTAL_VERSION_SECONDS = 0
    portal_cache._seen.update(version="", at=-1e9)
    cache.clear()
    first = published(world, cast, title="Tin thứ nhất")
    assert "Tin thứ nhất" in client.get("/").content.decode()
    assert client.get("/")["X-Portal-Cache"] == "hit"
    published(world, cast, title="Tin thứ hai")
    assert "Tin thứ hai" in client.get("/").content.decode()
    services.story_withdraw(actor=cast.officer, story=first, note="Gỡ")
    assert "Tin thứ nhất" not in client.get("/").content.decode()
    cache.clear()
