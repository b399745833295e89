"""Drives, registrations and the day's work, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nhandao.blood import services
from nhandao.blood.choices import DriveStatus, RegistrationStatus
from nhandao.blood.models import Donation, Donor, DriveNotice, Registration
from nhandao.core.models import AuditEvent
from nhandao.messaging.models import Message
from nhandao.people.models import Person

from .conftest import make_drive, register

pytestmark = pytest.mark.django_db


def accept(visit, medic, weight="60"):
    return services.screening_record(
        actor=medic, visit=visit, weight=Decimal(weight), haemoglobin=135, bp_systolic=120, bp_diastolic=80,
        result="accepted",
    )  # fmt: skip


def test_a_drive_in_the_past_is_refused(world):
    with pytest.raises(ValidationError, match="đã qua"):
        make_drive(world, days=-1)


def test_only_an_organiser_of_the_unit_creates_a_drive(world):
    with pytest.raises(PermissionDenied):
        services.drive_create(
            actor=world.manager_b, unit=world.commune_a, name="x", venue="x", address="x",
            ward=world.commune_a.ward, date=timezone.localdate(), starts_at=dt.time(7), ends_at=dt.time(9),
            centre=None, capacity_per_hour=1, target_units=1,
        )  # fmt: skip


def test_registering_creates_one_person_and_donor_of_the_registry(drive):
    registration, created = register(drive, cccd="")
    assert created and registration.status == RegistrationStatus.REGISTERED
    assert len(registration.code) == 6
    person = registration.donor.person
    assert person.full_name == "Nguyễn Thị Hoa" and person.unit == drive.unit
    assert not person.roles.exists()  # a donor need not be a member
    assert AuditEvent.objects.filter(action="blood.registration.created").count() == 1


def test_registering_twice_answers_the_existing_registration(drive):
    first, _ = register(drive)
    again, created = register(drive, name="nguyen thi  hoa".title())
    assert not created and again.pk == first.pk
    assert Registration.objects.count() == 1 and Person.objects.count() == 1


def test_a_known_person_is_matched_by_name_and_date_of_birth(world, drive):
    from nhandao.people import services as people_services

    person = people_services.person_create(
        actor=world.entry_a,
        unit=world.commune_a,
        full_name="Nguyễn Thị Hoa",
        date_of_birth=dt.date(1995, 3, 10),
    )
    registration, _ = register(drive, phone="0988777666")
    assert registration.donor.person == person


def test_not_eligible_after_whole_blood_ten_weeks_ago_explains_the_date(world, drive, medic_a):
    earlier = make_drive(world, days=0)
    reg, _ = register(earlier)
    visit = services.checkin(actor=world.entry_a, drive=earlier, registration=reg)
    accept(visit, medic_a)
    services.donation_record(actor=world.entry_a, visit=visit, kind="whole", volume_ml=350, bag_number="VT-1")
    later = make_drive(world, days=70)
    with pytest.raises(services.NotEligible) as info:
        register(later)
    assert info.value.verdict.next_date == earlier.date + dt.timedelta(weeks=12)
    assert "có thể hiến từ ngày" in info.value.messages[0]
    ok, created = register(make_drive(world, days=84))
    assert created


@pytest.mark.parametrize(
    ("born", "weight", "event", "expected"),
    [
        (dt.date(2015, 1, 1), "50", None, "Chưa đủ 18 tuổi"),
        (dt.date(1950, 1, 1), "60", None, "Quá 60 tuổi"),
        (dt.date(1995, 1, 1), "40", None, "Cân nặng dưới 42 kg"),
        (dt.date(1995, 1, 1), "55", "tattoo", "xăm"),
    ],
)
def test_age_weight_and_prescreening_outside_the_rules_are_explained(drive, born, weight, event, expected):
    events = {event: timezone.localdate() - dt.timedelta(days=30)} if event else {}
    with pytest.raises(services.NotEligible, match=expected):
        register(drive, born=born, weight=Decimal(weight), events=events)
    assert not Registration.objects.exists()


def test_the_last_place_of_a_slot_goes_to_one_person(world):
    drive = make_drive(world, capacity=1)
    register(drive)
    with pytest.raises(ValidationError, match="đã đủ người"):
        register(drive, name="Trần Văn Nam", phone="0912000222", born=dt.date(1990, 1, 1))
    register(drive, name="Trần Văn Nam", phone="0912000222", born=dt.date(1990, 1, 1), slot=dt.time(8, 0))


def test_cancel_by_code_frees_the_place(world):
    drive = make_drive(world, capacity=1)
    reg, _ = register(drive)
    services.registration_cancel(code=reg.code.lower())
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CANCELLED
    _, created = register(drive, name="Trần Văn Nam", phone="0912000222", born=dt.date(1990, 1, 1))
    assert created


def test_cancelling_a_drive_records_who_must_be_told_and_queues_their_messages(world, drive):
    register(drive)
    register(drive, name="Trần Văn Nam", phone="0912000222", born=dt.date(1990, 1, 1))
    notice = services.drive_cancel(actor=world.manager_a, drive=drive, reason="Mưa bão")
    drive.refresh_from_db()
    assert drive.status == DriveStatus.CANCELLED
    assert notice.recipients.count() == 2 and "Mưa bão" in notice.message
    assert notice.sent_at is not None
    queued = Message.objects.filter(purpose="blood.drive_notice")
    assert sorted(queued.values_list("address", flat=True)) == ["0912000111", "0912000222"]


def test_moving_a_drive_records_a_notice_and_registering_for_a_cancelled_one_is_refused(world, drive):
    register(drive)
    moved, notice = services.drive_move(
        actor=world.manager_a, drive=drive, date=drive.date + dt.timedelta(days=7)
    )
    assert notice.reason == "moved" and notice.recipients.count() == 1
    assert DriveNotice.objects.count() == 1
    services.drive_cancel(actor=world.manager_a, drive=drive, reason="Trùng lịch")
    with pytest.raises(ValidationError, match="không nhận đăng ký"):
        register(drive, name="Trần Văn Nam", phone="0912000222")


def test_a_walk_in_is_checked_in_screened_and_gives(world, drive, medic_a):
    visit = services.checkin(
        actor=world.entry_a, drive=drive,
        walk_in={"full_name": "Lê Văn Tới", "date_of_birth": dt.date(1988, 8, 8), "sex": "M", "phone": "0903111222"},
    )  # fmt: skip
    assert visit.registration is None
    assert services.checkin(actor=world.entry_a, drive=drive, donor=visit.donor).pk == visit.pk
    accept(visit, medic_a, weight="70")
    donation = services.donation_record(
        actor=world.entry_a, visit=visit, kind="whole", volume_ml=450, bag_number="vt-9"
    )
    assert donation.bag_number == "VT-9"
    donor = Donor.objects.get(pk=visit.donor.pk)
    assert donor.donation_count == 1 and donor.last_donation_on == drive.date


def test_only_medical_staff_record_the_screening(world, drive):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    with pytest.raises(PermissionDenied):
        accept(visit, world.manager_a)


def test_screening_is_not_copied_into_the_audit_trail(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    services.screening_record(
        actor=medic_a, visit=visit, weight=Decimal("55"), haemoglobin=98, bp_systolic=120, bp_diastolic=80,
        result="deferred", deferral_reason="Thiếu máu nhẹ", deferred_until=drive.date + dt.timedelta(days=30),
    )  # fmt: skip
    event = AuditEvent.objects.get(action="blood.visit.screened")
    assert "Thiếu máu" not in str(event.data) and "98" not in str(event.data)
    assert visit.donor.deferrals.get().until == drive.date + dt.timedelta(days=30)


def test_a_volume_above_what_the_weight_allows_is_refused(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    accept(visit, medic_a, weight="48")
    with pytest.raises(ValidationError, match="tối đa 432 ml"):
        services.donation_record(
            actor=world.entry_a, visit=visit, kind="whole", volume_ml=450, bag_number="B1"
        )
    with pytest.raises(ValidationError, match="từ 50 kg"):
        services.donation_record(
            actor=world.entry_a, visit=visit, kind="platelets", volume_ml=None, bag_number="B1"
        )
    assert not Donation.objects.exists()


def test_an_apheresis_total_above_what_the_weight_allows_is_refused(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    accept(visit, medic_a, weight="55")
    with pytest.raises(ValidationError, match="tổng thể tích tối đa 500 ml"):
        services.donation_record(
            actor=world.entry_a, visit=visit, kind="platelets", volume_ml=600, bag_number="B1"
        )
    assert not Donation.objects.exists()
    donation = services.donation_record(
        actor=world.entry_a, visit=visit, kind="platelets", volume_ml=480, bag_number="B1"
    )
    assert donation.volume_ml == 480 and donation.kind == "platelets"


def test_a_bag_number_used_twice_is_refused(world, drive, medic_a):
    visits = []
    for name, phone in (("Nguyễn Thị Hoa", "0912000111"), ("Trần Văn Nam", "0912000222")):
        reg, _ = register(drive, name=name, phone=phone)
        visits.append(services.checkin(actor=world.entry_a, drive=drive, registration=reg))
        accept(visits[-1], medic_a)
    services.donation_record(
        actor=world.entry_a, visit=visits[0], kind="whole", volume_ml=350, bag_number="VT-77"
    )
    with pytest.raises(ValidationError, match="VT-77 đã được dùng"):
        services.donation_record(
            actor=world.entry_a, visit=visits[1], kind="whole", volume_ml=350, bag_number="vt-77"
        )
    assert Donation.objects.count() == 1


def test_accepting_someone_the_rules_refuse_is_refused(world, drive, medic_a):
    reg, _ = register(drive)
    visit = services.checkin(actor=world.entry_a, drive=drive, registration=reg)
    with pytest.raises(services.NotEligible, match="Cân nặng"):
        accept(visit, medic_a, weight="40")
