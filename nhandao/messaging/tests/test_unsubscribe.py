"""The one-click unsubscribe link: signed, tamper-proof, public, and it shows nobody's name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from nhandao.core.models import AuditEvent
from nhandao.messaging import links, services
from nhandao.messaging.models import Consent, Status

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def sent(world, lan, outbox, queue):
    services.consent_record(
        actor=None, channel="sms", purpose="messaging.notice", granted=True, source="form", person=lan
    )
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN)):
        message = queue(unit=world.commune_a, person=lan)
    assert message.status == Status.SENT
    return message


def link_in(outbox, message) -> str:
    text = outbox.sms(message.pk)["text"]
    url = text.rsplit(": ", 1)[1].strip()
    assert url.startswith("https://nhandao.example/")
    return url.removeprefix("https://nhandao.example")


def test_opening_the_link_asks_and_writes_nothing(sent, outbox):
    response = Client().get(link_in(outbox, sent))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thông báo của Hội" in page and "09••••••78" in page
    assert "Nguyễn Thị Lan" not in page and "0912345678" not in page
    assert Consent.objects.get(person=sent.person).granted is True


def test_the_button_stops_the_purpose_and_later_messages_are_suppressed(world, sent, outbox, queue):
    response = Client().post(link_in(outbox, sent), {"ngung": "1"})
    assert response.status_code == 200
    assert "Đã ghi nhận." in response.content.decode()
    consent = Consent.objects.get(person=sent.person, channel="sms", purpose="messaging.notice")
    assert (consent.granted, consent.source) == (False, "link")
    event = AuditEvent.objects.get(action="messaging.consent_withdrawn")
    assert event.via == "public" and event.actor is None
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=VN)):
        later = queue(unit=world.commune_a, person=sent.person)
    assert later.status == Status.SUPPRESSED
    # Email is another channel: the SMS link does not stop it.
    assert (
        services.consent_allows(channel="email", purpose=services.purposes.NOTICE, person=sent.person) != ""
    )


def test_a_mail_clients_one_click_post_needs_no_csrf_token(sent):
    client = Client(enforce_csrf_checks=True)
    url = reverse("messaging:unsubscribe", args=[links.unsubscribe_token(sent.pk)])
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Consent.objects.get(person=sent.person, purpose="messaging.notice").granted is False


def test_a_post_without_the_button_writes_nothing(sent):
    url = reverse("messaging:unsubscribe", args=[links.unsubscribe_token(sent.pk)])
    assert Client().post(url, {"confirm": "1"}).status_code == 200
    assert Consent.objects.get(person=sent.person).granted is True


@pytest.mark.parametrize("tamper", ["other message", "signature", "garbage"])
def test_an_altered_link_is_refused_and_writes_nothing(world, sent, tamper):
    token = links.unsubscribe_token(sent.pk)
    pk, signature = token.split(":", 1)
    bad = {
        "other message": f"{int(pk) + 1}:{signature}",
        "signature": f"{pk}:{signature[:-2]}xx",
        "garbage": "abc",
    }[tamper]
    url = reverse("messaging:unsubscribe", args=[bad])
    for response in (Client().get(url), Client().post(url, {"ngung": "1"})):
        assert response.status_code == 404
        assert "Liên kết không hợp lệ" in response.content.decode()
    assert Consent.objects.get(person=sent.person).granted is True
    assert links.message_id_of(bad) is None
    assert links.message_id_of(token) == sent.pk
