"""Anonymous responses are cached per ledger version; a new posting shows at once; staff never share."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nhandao.funds import services as funds
from nhandao.funds.models import Channel


def test_anonymous_pages_are_served_from_the_cache_until_a_new_posting(client, world, portal):
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/"
    first = client.get(url, {"q": "mai"})
    assert first["X-Portal-Cache"] == "miss" and "public" in first["Cache-Control"]
    second = client.get(url, {"q": "mai"})
    assert second["X-Portal-Cache"] == "hit" and second.content == first.content
    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=portal.campaign,
        channel=Channel.CASH,
        amount=123_000,
        received_on=timezone.localdate(),
        donor_name="Mai Văn Mới",
        display="full",
    )
    third = client.get(url, {"q": "mai"})
    assert third["X-Portal-Cache"] == "miss" and "Mai Văn Mới" in third.content.decode()


def test_the_cache_hit_costs_at_most_two_queries(client, portal, django_assert_max_num_queries):
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/"
    client.get(url)
    with django_assert_max_num_queries(2):
        assert client.get(url)["X-Portal-Cache"] == "hit"


def test_within_a_second_the_version_is_not_read_again(client, portal, settings, django_assert_num_queries):
    settings.NHANDAO_PORTAL_VERSION_SECONDS = 60
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/"
    client.get(url)
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Portal-Cache"] == "hit"


def test_another_search_of_the_same_campaign_costs_only_its_own_queries(
    client, portal, settings, django_assert_num_queries
):
    settings.NHANDAO_PORTAL_VERSION_SECONDS = 60
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/"
    client.get(url, {"q": "mai"})
    # The names containing the fragment, the scan, the page's rows: version and campaign are known.
    with django_assert_num_queries(3):
        response = client.get(url, {"q": "nguyen"})
    assert response["X-Portal-Cache"] == "miss" and "2 khoản ủng hộ" in response.content.decode()
    with django_assert_num_queries(2):  # no name: the scan and the rows
        response = client.get(url, {"so_tien": "500000"})
    assert response["X-Portal-Cache"] == "miss"


def test_a_campaign_taken_off_the_portal_disappears_at_once(client, world, portal):
    from nhandao.campaigns import services as campaign_services

    url = f"/minh-bach/chien-dich/{portal.campaign.code}/"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Portal-Cache"] == "hit"
    campaign_services.campaign_update(actor=world.city_admin, campaign=portal.campaign, is_public=False)
    assert client.get(url).status_code == 404
    assert "Bão số 3" not in client.get("/minh-bach/").content.decode()


def test_logged_in_visitors_are_neither_served_nor_stored(world, portal):
    staff = world.client(world.city_admin)
    url = "/minh-bach/"
    response = staff.get(url)
    assert "X-Portal-Cache" not in response and "private" in response["Cache-Control"]
    anonymous = world.client()
    assert anonymous.get(url)["X-Portal-Cache"] == "miss"


def test_languages_are_cached_apart(client, portal):
    url = "/minh-bach/"
    vi = client.get(url)
    client.cookies["nhandao_language"] = "en"
    en = client.get(url)
    assert (
        en["X-Portal-Cache"] == "miss" and vi["Content-Language"] == "vi" and en["Content-Language"] == "en"
    )


def test_workers_share_pages_through_redis(client, portal, settings):
    """Production's cache (CACHE_URL=rediscache://…): what one worker computed, another serves."""
    import uuid

    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # parallel test runs never meet
            "TIMEOUT": 60,
        }
    }
    url = f"/minh-bach/bien-nhan/{portal.anonymous_gift.verify_code}/"
    assert type(caches["default"]).__name__ == "RedisCache"
    assert client.get(url)["X-Portal-Cache"] == "miss"
    caches.close_all()  # another worker: a new connection to the same Redis
    hit = client.get(url)
    assert hit["X-Portal-Cache"] == "hit" and "Nhà hảo tâm" in hit.content.decode()
