"""The outbox pages: scoped to the user's units, masked for roles that do not need addresses,
paginated with bounded queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from nhandao.messaging import services
from nhandao.people.tests.helpers import person

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def messages_ab(world, lan, outbox, queue):
    """A sent SMS of Lê Chân and a suppressed email of Ngô Quyền."""
    services.consent_record(actor=None, channel="sms", purpose="*", granted=True, source="form", person=lan)
    minh = person(world.commune_b, "Phạm Văn Minh Ngô", phone="0987654321", email="minh@example.org")
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN)):
        a = queue(unit=world.commune_a, person=lan, body="Lịch họp chi hội Lê Chân")
        b = queue(
            unit=world.commune_b, person=minh, channel="email", subject="Ngô Quyền", body="Riêng Ngô Quyền"
        )
    return a, b


def test_the_list_shows_the_units_messages_and_not_another_units(world, messages_ab):
    a, b = messages_ab
    page = world.client(world.manager_a).get(reverse("messaging:messages")).content.decode()
    assert "Nguyễn Thị Lan" in page and "0912345678" in page
    assert "Phạm Văn Minh Ngô" not in page and "minh@" not in page


def test_another_units_message_is_not_found(world, messages_ab):
    _a, b = messages_ab
    url = reverse("messaging:message", args=[b.pk])
    for user in (world.manager_a, world.entry_a, world.viewer_a, world.inspector_a):
        assert world.client(user).get(url).status_code == 404
    assert world.client(world.manager_b).get(url).status_code == 200


def test_a_manager_reads_the_text_a_viewer_sees_it_masked(world, messages_ab):
    a, _b = messages_ab
    url = reverse("messaging:message", args=[a.pk])
    full = world.client(world.manager_a).get(url).content.decode()
    assert "0912345678" in full and "Lịch họp chi hội Lê Chân" in full
    masked = world.client(world.viewer_a).get(url).content.decode()
    assert "09••••••78" in masked
    assert "0912345678" not in masked and "Lịch họp chi hội Lê Chân" not in masked
    listing = world.client(world.entry_a).get(reverse("messaging:messages")).content.decode()
    assert "09••••••78" in listing and "0912345678" not in listing


def test_people_without_the_outbox_are_refused_and_visitors_sent_to_log_in(world, messages_ab):
    a, _b = messages_ab
    for url in (reverse("messaging:messages"), reverse("messaging:message", args=[a.pk])):
        assert world.client(world.nobody).get(url).status_code in (403, 404)
        assert world.client(world.finance_officer_a).get(url).status_code in (403, 404)
        response = world.client().get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_list_filters_by_status_channel_purpose_and_name(world, messages_ab):
    client = world.client(world.city_admin)
    url = reverse("messaging:messages")
    assert "Nguyễn Thị Lan" in client.get(url, {"status": "sent"}).content.decode()
    assert "Nguyễn Thị Lan" not in client.get(url, {"status": "suppressed"}).content.decode()
    assert "Phạm Văn Minh Ngô" in client.get(url, {"channel": "email"}).content.decode()
    assert "Nguyễn Thị Lan" in client.get(url, {"q": "nguyen thi lan"}).content.decode()
    assert "Phạm Văn Minh Ngô" not in client.get(url, {"q": "lan"}).content.decode()
    assert client.get(url, {"purpose": "nope", "page": "x"}).status_code == 200


def test_the_list_is_paginated_with_bounded_queries(
    world, lan, outbox, django_assert_max_num_queries, settings
):
    settings.NHANDAO_PAGE_SIZE = 20
    for i in range(45):
        services.message_queue(
            actor=None,
            unit=world.commune_a,
            channel="sms",
            purpose="messaging.notice",
            body=f"Tin {i}",
            person=lan,
        )
    client = world.client(world.manager_a)
    url = reverse("messaging:messages")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Trang 1" in page and "?page=2" in page
    with django_assert_max_num_queries(12):
        assert client.get(url, {"page": 3}).status_code == 200
