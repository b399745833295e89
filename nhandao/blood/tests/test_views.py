"""The pages: organisers', medical staff's and the public's; each refuses another unit's users."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nhandao.blood import services
from nhandao.blood.models import Donation, Registration, Visit

from .conftest import make_drive, register

pytestmark = pytest.mark.django_db


def _form(drive, **kw):
    data = {
        "full_name": "Phạm Thu Trang",
        "date_of_birth": "12/09/1996",
        "sex": "F",
        "phone": "0987 654 321",
        "cccd": "",
        "blood_group": "",
        "slot": drive.starts_at.strftime("%H:%M"),
        "weight": "50",
    }
    data.update(kw)
    return data


def test_the_public_list_shows_upcoming_drives_filtered_by_commune(client, world):
    a = make_drive(world, name="Chủ nhật Đỏ Lê Chân")
    make_drive(world, unit=world.commune_b, name="Hành trình Đỏ Ngô Quyền")
    page = client.get(reverse("blood:public_drives"), {"xa": a.ward_id}).content.decode()
    assert "Chủ nhật Đỏ Lê Chân" in page and "Hành trình Đỏ Ngô Quyền" not in page


def test_the_public_list_is_bounded_in_queries(client, world, django_assert_max_num_queries):
    for i in range(5):
        make_drive(world, name=f"Đợt {i}")
    with django_assert_max_num_queries(8):
        client.get(reverse("blood:public_drives"))


def test_a_person_registers_and_gets_a_code_and_a_qr(client, drive):
    response = client.post(reverse("blood:public_drive", args=[drive.pk]), _form(drive))
    registration = Registration.objects.get()
    assert response.status_code == 302 and registration.code in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert registration.code in page and "<svg" in page
    assert "Phạm Thu Trang" not in page and "0987654321" not in page  # initials only
    assert "P.T.T." in page


def test_registering_twice_shows_the_existing_registration(client, drive):
    client.post(reverse("blood:public_drive", args=[drive.pk]), _form(drive))
    response = client.post(reverse("blood:public_drive", args=[drive.pk]), _form(drive), follow=True)
    assert Registration.objects.count() == 1
    assert Registration.objects.get().code in response.content.decode()
    assert "Bạn đã đăng ký đợt hiến máu này" in response.content.decode()


def test_someone_else_typing_the_same_name_and_birthday_is_not_shown_the_code(client, drive):
    client.post(reverse("blood:public_drive", args=[drive.pk]), _form(drive))
    page = client.post(reverse("blood:public_drive", args=[drive.pk]), _form(drive, phone="0911000999"))
    assert page.status_code == 200
    assert Registration.objects.get().code not in page.content.decode()


def test_a_person_not_yet_eligible_is_told_from_when(client, world, medic_a):
    earlier = make_drive(world, days=0)
    reg, _ = register(earlier, name="Phạm Thu Trang", born=dt.date(1996, 9, 12), phone="0987654321")
    visit = services.checkin(actor=world.entry_a, drive=earlier, registration=reg)
    services.screening_record(
        actor=medic_a, visit=visit, weight=Decimal("52"), haemoglobin=130, bp_systolic=110, bp_diastolic=70,
        result="accepted",
    )  # fmt: skip
    services.donation_record(actor=world.entry_a, visit=visit, kind="whole", volume_ml=350, bag_number="T-1")
    later = make_drive(world, days=70)
    page = client.post(reverse("blood:public_drive", args=[later.pk]), _form(later)).content.decode()
    until = (earlier.date + dt.timedelta(weeks=12)).strftime("%d/%m/%Y")
    assert f"có thể hiến từ ngày {until}" in page
    assert not later.registrations.exists()


def test_a_declared_donation_elsewhere_counts(client, drive):
    last = (drive.date - dt.timedelta(weeks=4)).strftime("%d/%m/%Y")
    page = client.post(
        reverse("blood:public_drive", args=[drive.pk]), _form(drive, last_donation=last, last_kind="whole")
    ).content.decode()
    assert "có thể hiến từ ngày" in page and not Registration.objects.exists()


def test_cancel_by_code(client, drive):
    reg, _ = register(drive)
    client.post(reverse("blood:public_cancel"), {"code": "ZZZZZZ"})
    reg.refresh_from_db()
    assert reg.status == "registered"
    client.post(reverse("blood:public_cancel"), {"code": reg.code})
    reg.refresh_from_db()
    assert reg.status == "cancelled"
    assert client.get(reverse("blood:public_lookup"), {"code": reg.code.lower()}).status_code == 302


def test_an_unknown_code_is_404(client, db):
    assert client.get(reverse("blood:public_registration", args=["ZZZZZZ"])).status_code == 404


def test_a_cancelled_drive_has_no_public_page(client, world, drive):
    services.drive_cancel(actor=world.manager_a, drive=drive, reason="Bão")
    assert client.get(reverse("blood:public_drive", args=[drive.pk])).status_code == 404


def test_the_poster_carries_the_pages_qr(client, drive):
    page = client.get(reverse("blood:public_poster", args=[drive.pk])).content.decode()
    assert "<svg" in page and reverse("blood:public_drive", args=[drive.pk]) in page


# Staff ----------------------------------------------------------------------------------------------
def test_an_organiser_creates_a_drive(world):
    from nhandao.blood.models import CollectionCentre

    client = world.client(world.manager_a)
    date = (dt.date.today() + dt.timedelta(days=10)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("blood:drive_create"),
        {
            "unit": world.commune_a.pk, "name": "Xuân hồng", "date": date, "starts_at": "07:00", "ends_at": "11:30",
            "venue": "Trường THPT Lê Chân", "address": "Số 1", "ward": world.commune_a.ward_id,
            "centre": CollectionCentre.objects.first().pk, "capacity_per_hour": 60, "target_units": 250,
            "is_public": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_drive_in_the_past_is_refused_on_the_form(world):
    client = world.client(world.manager_a)
    page = client.post(
        reverse("blood:drive_create"),
        {
            "unit": world.commune_a.pk, "name": "Cũ", "date": "01/01/2020", "starts_at": "07:00", "ends_at": "11:00",
            "venue": "x", "address": "x", "ward": world.commune_a.ward_id, "centre": 1, "capacity_per_hour": 1,
            "target_units": 1,
        },
    ).content.decode()  # fmt: skip
    assert "đã qua" in page


def test_the_drive_page_and_list_are_bounded_in_queries(world, drive, django_assert_max_num_queries):
    for i in range(8):
        register(drive, name=f"Người Số {chr(65 + i)}", phone=f"091200{i:04d}", slot=dt.time(7 + i % 4, 0))
    client = world.client(world.manager_a)
    client.get(reverse("blood:drive", args=[drive.pk]))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("blood:drive", args=[drive.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("blood:drives")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("blood:donors")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("blood:drive_day", args=[drive.pk]), {"q": "nguoi"}).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "blood:drive",
        "blood:drive_day",
        "blood:drive_counter",
        "blood:drive_move",
        "blood:drive_cancel",
        "blood:checkin",
    ],
)
def test_another_units_user_is_refused_a_drive(world, drive, name):
    client = world.client(world.manager_b)
    response = client.post(reverse(name, args=[drive.pk]), {"reason": "x"}) if name in (
        "blood:drive_move", "blood:drive_cancel", "blood:checkin"
    ) else client.get(reverse(name, args=[drive.pk]))  # fmt: skip
    assert response.status_code in (403, 404)


def test_another_units_user_is_refused_a_visit_and_a_donor(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    client = world.client(world.manager_b)
    for url in (reverse("blood:visit", args=[visit.pk]), reverse("blood:donor", args=[visit.donor.pk])):
        assert client.get(url).status_code == 404
    for url in (
        reverse("blood:visit_screen", args=[visit.pk]),
        reverse("blood:visit_donation", args=[visit.pk]),
        reverse("blood:donor_edit", args=[visit.donor.pk]),
    ):
        assert client.post(url, {}).status_code in (403, 404)


def test_the_day_check_in_screening_and_donation(world, drive, medic_a):
    reg, _ = register(drive, name="Vũ Thị Lan", phone="0977000111")
    desk = world.client(world.entry_a)
    results = desk.get(
        reverse("blood:drive_day", args=[drive.pk]),
        {"q": "vu thi lan", "part": "results"},
        HTTP_HX_REQUEST="true",
    )
    assert reg.code in results.content.decode() and "<html" not in results.content.decode()
    by_phone = desk.get(reverse("blood:drive_day", args=[drive.pk]), {"q": "0977000"}).content.decode()
    assert "Vũ Thị Lan" in by_phone
    response = desk.post(reverse("blood:checkin", args=[drive.pk]), {"registration": reg.pk})
    visit = Visit.objects.get()
    assert response["Location"] == reverse("blood:visit", args=[visit.pk])
    doctor = world.client(medic_a)
    doctor.post(
        reverse("blood:visit_screen", args=[visit.pk]),
        {
            "weight": "55",
            "haemoglobin": "128",
            "bp_systolic": "115",
            "bp_diastolic": "75",
            "result": "accepted",
        },
    )
    desk.post(
        reverse("blood:visit_donation", args=[visit.pk]),
        {"kind": "whole", "volume_ml": "450", "bag_number": "VT-100"},
    )
    assert Donation.objects.get().volume_ml == 450


def test_the_desk_records_an_apheresis_total_within_what_the_weight_allows(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    services.screening_record(
        actor=medic_a, visit=visit, weight=Decimal("55"), haemoglobin=130, bp_systolic=120, bp_diastolic=80,
        result="accepted",
    )  # fmt: skip
    desk = world.client(world.entry_a)
    page = desk.get(reverse("blood:visit", args=[visit.pk])).content.decode()
    assert "Gạn tách: tổng tối đa 500 ml." in page
    url = reverse("blood:visit_donation", args=[visit.pk])
    data = {"kind": "platelets", "volume_ml": "350", "apheresis_ml": "600", "bag_number": "TC-1"}
    response = desk.post(url, data, follow=True)
    assert "tổng thể tích tối đa 500 ml" in response.content.decode() and not Donation.objects.exists()
    desk.post(url, {**data, "apheresis_ml": "450"})
    assert Donation.objects.get().volume_ml == 450


def test_organisers_see_deferred_until_but_not_why_nor_the_values(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    until = drive.date + dt.timedelta(days=30)
    services.screening_record(
        actor=medic_a, visit=visit, weight=Decimal("55"), haemoglobin=97, bp_systolic=165, bp_diastolic=95,
        result="deferred", deferral_reason="Huyết áp cao Zqx", deferred_until=until,
    )  # fmt: skip
    for user in (world.manager_a, world.entry_a, world.viewer_a):
        for url in (reverse("blood:visit", args=[visit.pk]), reverse("blood:donor", args=[visit.donor.pk])):
            page = world.client(user).get(url).content.decode()
            assert until.strftime("%d/%m/%Y") in page
            assert "Zqx" not in page and "165" not in page and "97 g/l" not in page
    page = world.client(medic_a).get(reverse("blood:visit", args=[visit.pk])).content.decode()
    assert "Huyết áp cao Zqx" in page and "165" in page


def test_the_emergency_consent_is_recorded(world, drive):
    reg, _ = register(drive, blood_group="O-")
    world.client(world.entry_a).post(
        reverse("blood:donor_edit", args=[reg.donor.pk]), {"blood_group": "O-", "emergency_consent": "on"}
    )
    page = world.client(world.viewer_a).get(reverse("blood:rare")).content.decode()
    assert reg.donor.person.full_name in page
    assert (
        reg.donor.person.full_name
        not in world.client(world.manager_b).get(reverse("blood:rare")).content.decode()
    )


def test_a_donation_certificate_is_a_pdf_for_the_unit_only(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    services.screening_record(
        actor=medic_a, visit=visit, weight=Decimal("60"), haemoglobin=135, bp_systolic=120, bp_diastolic=80,
        result="accepted",
    )  # fmt: skip
    donation = services.donation_record(
        actor=world.entry_a, visit=visit, kind="whole", volume_ml=350, bag_number="C-1"
    )
    url = reverse("blood:certificate", args=[donation.pk])
    response = world.client(world.viewer_a).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert world.client(world.manager_b).get(url).status_code == 404
