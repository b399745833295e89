"""The shared throttle of public forms: counts per address and per key, a window, one audit event."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from nhandao.core.models import AuditEvent
from nhandao.core.throttle import AUDIT_ACTION, Throttle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _request(ip="192.0.2.1"):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_the_limit_locks_the_address_and_the_key_and_is_audited_once():
    tries = Throttle("test.form", limit=2, minutes=5)
    assert not tries.locked(_request(), code="ab12")
    assert tries.fail(_request(), code="ab12") is False
    assert tries.fail(_request(), code="AB12 ") is True  # keys are compared trimmed, in capitals
    assert tries.locked(_request())  # the address
    assert tries.locked(_request("192.0.2.9"), code="AB12")  # the code, from anywhere
    assert not tries.locked(_request("192.0.2.9"), code="CD34")
    assert not Throttle("other.form", limit=2).locked(_request(), code="AB12")  # scopes are apart
    tries.fail(_request(), code="AB12")
    event = AuditEvent.objects.get(action=AUDIT_ACTION)
    assert event.object_id == "test.form" and event.via and event.data["minutes"] == 5
    assert set(event.data["locked"]) == {"ip", "code"} and "AB12" not in str(event.data)


def test_the_refusal_is_429_in_vietnamese():
    tries = Throttle("test.form", limit=1, minutes=15)
    response = tries.refuse(_request())
    page = response.content.decode()
    assert response.status_code == 429 and "Hãy thử lại sau 15 phút" in page


def test_limits_come_from_settings_unless_given(settings):
    settings.PUBLIC_THROTTLE_LIMIT = 4
    settings.PUBLIC_THROTTLE_MINUTES = 2
    assert Throttle("x").max_failures == 4 and Throttle("x").window_seconds == 120
    assert Throttle("x", limit=9, minutes=1).max_failures == 9
