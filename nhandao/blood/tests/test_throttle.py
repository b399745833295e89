"""The public forms reached with a code or a phone refuse guessing: after PUBLIC_THROTTLE_LIMIT
failed tries from one address or with one code, a 429 with a Vietnamese message, audited once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from nhandao.blood.models import Registration
from nhandao.blood.views import REGISTER_TRIES
from nhandao.core.models import AuditEvent
from nhandao.core.throttle import AUDIT_ACTION

from .conftest import register
from .test_views import _form

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.PUBLIC_THROTTLE_LIMIT = LIMIT
    settings.PUBLIC_THROTTLE_MINUTES = 15


def _locked_audits(scope):
    return AuditEvent.objects.filter(action=AUDIT_ACTION, object_id=scope)


def _refused(response):
    page = response.content.decode()
    return response.status_code == 429 and "thử sai quá nhiều lần" in page and "15 phút" in page


def test_the_record_lookup_pauses_after_wrong_code_and_phone_pairs_from_one_address(client, drive):
    reg, _ = register(drive)
    url = reverse("blood:my_record_lookup")
    for n in range(LIMIT):
        response = client.post(url, {"code": reg.code, "phone": f"091200099{n}"})
        assert response.status_code == 200 and "không khớp" in response.content.decode()
    # Even the right pair is refused now: the guesser cannot tell a hit from the pause.
    assert _refused(client.post(url, {"code": reg.code, "phone": "0912000111"}))
    event = _locked_audits("blood.my_record").get()
    assert event.data["ip"] == "127.0.0.1" and set(event.data["locked"]) == {"ip", "code"}
    assert reg.code not in str(event.data)
    # A further refusal writes no further event.
    client.post(url, {"code": reg.code, "phone": "0912000111"})
    assert _locked_audits("blood.my_record").count() == 1


def test_the_record_lookup_counts_by_code_across_addresses(client, drive):
    reg, _ = register(drive)
    url = reverse("blood:my_record_lookup")
    for n in range(LIMIT):
        client.post(url, {"code": reg.code, "phone": f"091200099{n}"}, REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert _refused(client.post(url, {"code": reg.code, "phone": "0912000111"}, REMOTE_ADDR="10.0.1.1"))
    # Another code from a fresh address still works.
    other, _ = register(drive, name="Trần Văn Nam", phone="0913000222")
    response = client.post(url, {"code": other.code, "phone": "0913000222"}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 302


def test_a_good_lookup_does_not_count(client, drive):
    reg, _ = register(drive)
    url = reverse("blood:my_record_lookup")
    for _ in range(LIMIT + 2):
        assert client.post(url, {"code": reg.code, "phone": "0912000111"}).status_code == 302
    assert not _locked_audits("blood.my_record").exists()


def test_the_window_passes(client, drive):
    reg, _ = register(drive)
    url = reverse("blood:my_record_lookup")
    for n in range(LIMIT):
        client.post(url, {"code": reg.code, "phone": f"091200099{n}"})
    assert client.post(url, {"code": reg.code, "phone": "0912000111"}).status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=False):
        assert client.post(url, {"code": reg.code, "phone": "0912000111"}).status_code == 302


def test_guessing_codes_on_the_lookup_page_pauses_it(client, drive):
    reg, _ = register(drive)
    url = reverse("blood:public_lookup")
    for n in range(LIMIT):
        response = client.get(url, {"code": f"ZZZZZ{n}"})
        assert response.status_code == 200 and "Không tìm thấy" in response.content.decode()
    assert _refused(client.get(url, {"code": reg.code}))
    assert _locked_audits("blood.code").count() == 1


def test_guessing_codes_in_the_address_pauses_the_code_pages(client, drive):
    reg, _ = register(drive)
    for n in range(LIMIT):
        assert client.get(reverse("blood:public_registration", args=[f"ZZZZZ{n}"])).status_code == 404
    # The same count guards the page, the lookup and the cancel form.
    assert _refused(client.get(reverse("blood:public_registration", args=[reg.code])))
    assert _refused(client.get(reverse("blood:public_lookup"), {"code": reg.code}))
    assert _refused(client.post(reverse("blood:public_cancel"), {"code": reg.code}))
    reg.refresh_from_db()
    assert reg.status == "registered"


def test_guessing_codes_to_cancel_pauses_cancelling(client, drive):
    reg, _ = register(drive)
    url = reverse("blood:public_cancel")
    for n in range(LIMIT):
        assert client.post(url, {"code": f"ZZZZZ{n}"}).status_code == 404
    assert _refused(client.post(url, {"code": reg.code}))
    reg.refresh_from_db()
    assert reg.status == "registered"
    # Another address may still cancel with the right code.
    client.post(url, {"code": reg.code}, REMOTE_ADDR="10.9.9.9")
    reg.refresh_from_db()
    assert reg.status == "cancelled"


def test_registration_refused_too_often_pauses_the_form(client, drive, settings):
    url = reverse("blood:public_drive", args=[drive.pk])
    # Its own limit (a school's drive shares one address) is larger than the default.
    for _ in range(REGISTER_TRIES.max_failures):
        response = client.post(url, _form(drive, weight="38"))  # below the weight the rules allow
        assert response.status_code == 200
    assert _refused(client.post(url, _form(drive)))
    assert not Registration.objects.exists()
    assert _locked_audits("blood.register").count() == 1


def test_probing_who_registered_counts_by_phone(client, drive):
    register(drive, name="Phạm Thu Trang", born=dt.date(1996, 9, 12), phone="0987654321")
    url = reverse("blood:public_drive", args=[drive.pk])
    for n in range(REGISTER_TRIES.max_failures):
        client.post(url, _form(drive), REMOTE_ADDR=f"10.1.{n // 200}.{n % 200 + 1}")
    assert _refused(client.post(url, _form(drive), REMOTE_ADDR="10.2.0.1"))
