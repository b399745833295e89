"""Messages in these tests "leave" through the file sender into a temporary outbox."""

from __future__ import annotations

import json

import pytest

from nhandao.messaging import services
from nhandao.messaging.senders import Sender, SendError
from nhandao.people.tests.helpers import person as make_person


@pytest.fixture
def outbox(settings, tmp_path):
    settings.NHANDAO_MESSAGING_SENDERS = {"email": "file", "sms": "file"}
    settings.NHANDAO_MESSAGING_OUTBOX_DIR = str(tmp_path)
    settings.NHANDAO_MESSAGING_QUIET_HOURS = "21:00-07:00"
    settings.NHANDAO_MESSAGING_MAX_ATTEMPTS = 3
    settings.NHANDAO_SITE_URL = "https://nhandao.example"

    class Outbox:
        path = tmp_path

        def sms(self, message_id):
            return json.loads((tmp_path / f"{message_id}.json").read_text(encoding="utf-8"))

        def email(self, message_id):
            return (tmp_path / f"{message_id}.eml").read_text(encoding="utf-8")

        def files(self):
            return sorted(p.name for p in tmp_path.iterdir())

    return Outbox()


@pytest.fixture
def lan(world):
    """A member of Lê Chân with a phone and an email."""
    return make_person(world.commune_a, "Nguyễn Thị Lan", phone="0912345678", email="lan@example.org")


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    """message_queue as a domain app calls it; the commit hands the message to the worker, which
    (immediate backend in tests) sends it at once."""

    def queue(**kwargs):
        kwargs.setdefault("actor", None)
        kwargs.setdefault("channel", "sms")
        kwargs.setdefault("purpose", "messaging.notice")
        kwargs.setdefault("body", "Hội Chữ thập đỏ phường Lê Chân thông báo lịch họp.")
        with django_capture_on_commit_callbacks(execute=True):
            message = services.message_queue(**kwargs)
        message.refresh_from_db()
        return message

    return queue


class FailingSender(Sender):
    """Every send fails as a gateway that is down would."""

    name = "failing"
    calls = 0

    def send(self, message):
        type(self).calls += 1
        raise SendError("gateway down (HTTP 503)")


class RefusingSender(Sender):
    name = "refusing"

    def send(self, message):
        raise SendError("eSMS 108: Phone number is not in correct format", permanent=True)


class FlakySender(Sender):
    """Fails once, then works."""

    name = "flaky"
    calls = 0

    def send(self, message):
        type(self).calls += 1
        if type(self).calls == 1:
            raise SendError("timeout")
        return "ok-1"
