"""The donor's own record: reached with a registration code and the phone, or a signed link; it
shows their history and next date, and nobody else's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse

from nhandao.blood import messages, services

from .conftest import make_drive, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(world, medic_a):
    """Hoa registered, was checked in, screened and gave 350 ml at a drive today."""
    drive = make_drive(world, days=0)
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    services.screening_record(
        actor=medic_a, visit=visit, weight=Decimal("52"), haemoglobin=130, bp_systolic=120, bp_diastolic=80,
        result="accepted",
    )  # fmt: skip
    services.donation_record(
        actor=world.entry_a, visit=visit, kind="whole", volume_ml=350, bag_number="HP-001"
    )
    return reg


def test_code_and_phone_open_the_record_with_the_next_date(client, given):
    response = client.post(reverse("blood:my_record_lookup"), {"code": given.code, "phone": "0912 000 111"})
    assert response.status_code == 302 and "/hien-mau/cua-toi/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    next_date = given.drive.date + dt.timedelta(weeks=12)
    assert next_date.strftime("%d/%m/%Y") in page and "350 ml" in page
    assert "N.T.H." in page and "Nguyễn Thị Hoa" not in page and "0912000111" not in page
    assert given.code not in response["Location"]


def test_a_wrong_phone_says_nothing_of_which_one_was_wrong(client, given):
    for data in ({"code": given.code, "phone": "0912000999"}, {"code": "ZZZZZZ", "phone": "0912000111"}):
        response = client.post(reverse("blood:my_record_lookup"), data)
        assert response.status_code == 200
        assert "không khớp" in response.content.decode()


def test_an_altered_or_foreign_token_is_404(client, given, world):
    token = messages.donor_token(given.donor)
    assert client.get(reverse("blood:my_record", args=[token + "x"])).status_code == 404
    forged = signing.TimestampSigner(salt="other").sign(str(given.donor.pk))
    assert client.get(reverse("blood:my_record", args=[forged])).status_code == 404


def test_the_record_shows_only_the_donors_own_donations_and_certificates(client, given, world):
    other_drive = make_drive(world, unit=world.commune_b, days=3, name="Đợt Ngô Quyền")
    other, _ = register(other_drive, name="Trần Văn Nam", phone="0912000222", born=dt.date(1990, 1, 1))
    token = messages.donor_token(given.donor)
    page = client.get(reverse("blood:my_record", args=[token])).content.decode()
    assert "T.V.N." not in page
    donation = given.donor.donations.get()
    pdf = client.get(reverse("blood:my_certificate", args=[token, donation.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    foreign = messages.donor_token(other.donor)
    assert client.get(reverse("blood:my_certificate", args=[foreign, donation.pk])).status_code == 404


def test_the_donor_sees_their_own_deferral_reason_organisers_do_not(client, world, medic_a):
    drive = make_drive(world, days=0)
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    services.screening_record(
        actor=medic_a, visit=visit, weight=Decimal("52"), haemoglobin=97, bp_systolic=120, bp_diastolic=80,
        result="deferred", deferral_reason="Huyết sắc tố thấp Zqx", deferred_until=drive.date + dt.timedelta(days=30),
    )  # fmt: skip
    own = client.get(reverse("blood:my_record", args=[messages.donor_token(reg.donor)])).content.decode()
    assert "Huyết sắc tố thấp Zqx" in own
    staff = world.client(world.manager_a).get(reverse("blood:donor", args=[reg.donor.pk])).content.decode()
    assert "Zqx" not in staff and " 97" not in staff


def test_the_record_page_is_bounded_in_queries(client, given, django_assert_max_num_queries):
    token = messages.donor_token(given.donor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("blood:my_record", args=[token])).status_code == 200


def test_a_donor_never_weighed_gets_a_date_from_the_rules_not_a_weight_refusal(world, drive):
    reg, _ = register(drive)
    verdict = services.donor_next_verdict(reg.donor, on=drive.date)
    assert verdict.eligible
