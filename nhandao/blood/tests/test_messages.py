"""Reminders and drive notices go out through nhandao.messaging (file sender): only with consent,
not at night, once per window, stoppable with the link; the command and its dry run."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nhandao.blood import messages, services
from nhandao.blood.models import Donation, Donor
from nhandao.messaging import services as messaging
from nhandao.messaging.links import unsubscribe_token
from nhandao.messaging.models import Consent, Message, Status
from nhandao.people.models import Person

from .conftest import make_drive, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path):
    settings.NHANDAO_MESSAGING_SENDERS = {"email": "file", "sms": "file"}
    settings.NHANDAO_MESSAGING_OUTBOX_DIR = str(tmp_path)
    settings.NHANDAO_MESSAGING_QUIET_HOURS = ""
    settings.NHANDAO_SITE_URL = "https://nhandao.example"

    class Outbox:
        def sms(self, message_id):
            return json.loads((tmp_path / f"{message_id}.json").read_text(encoding="utf-8"))

        def files(self):
            return sorted(p.name for p in tmp_path.iterdir())

    return Outbox()


def donor(
    world, *, name="Đỗ Văn Hùng", phone="0913111222", weeks_ago=13, kind="whole", unit=None, consent=True
):
    unit = unit or world.commune_a
    person = Person(
        full_name=name, unit=unit, sex="M", date_of_birth=dt.date(1985, 5, 5), phone=phone, ward=unit.ward
    )
    person.refresh_keys()
    person.save()
    record = Donor.objects.create(person=person, unit=unit, blood_group="O+")
    Donation.objects.create(
        donor=record,
        unit=unit,
        donated_on=timezone.localdate() - dt.timedelta(weeks=weeks_ago),
        kind=kind,
        volume_ml=350 if kind == "whole" else None,
        bag_number=f"T{phone}",
    )
    services.donor_refresh(record)
    if consent:
        messaging.consent_record(
            actor=None,
            channel="sms",
            purpose="blood.donor_reminder",
            granted=True,
            source="form",
            person=person,
        )
    return record


def run(django_capture_on_commit_callbacks, **kw) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return messages.reminders_queue(timezone.localdate(), **kw)


def test_an_eligible_donor_with_consent_is_reminded_of_a_drive_near_them(
    world, outbox, django_capture_on_commit_callbacks
):
    drive = make_drive(world, days=5)
    hung = donor(world)
    assert run(django_capture_on_commit_callbacks) == 1
    message = Message.objects.get(purpose="blood.donor_reminder")
    assert message.person_id == hung.person_id and message.status == Status.SENT
    sent = outbox.sms(message.pk)
    text = json.dumps(sent, ensure_ascii=False)
    assert drive.name in text and "/hien-mau/cua-toi/" in text and "/tin-nhan/ngung-nhan/" in text


def test_a_second_run_in_the_window_sends_nothing_new(world, outbox, django_capture_on_commit_callbacks):
    make_drive(world, days=5)
    make_drive(world, days=9, name="Đợt thứ hai")
    donor(world)
    assert run(django_capture_on_commit_callbacks) == 1
    assert run(django_capture_on_commit_callbacks) == 0
    assert Message.objects.filter(purpose="blood.donor_reminder").count() == 1


def test_without_consent_the_reminder_is_kept_suppressed(world, outbox, django_capture_on_commit_callbacks):
    make_drive(world, days=5)
    donor(world, consent=False)
    run(django_capture_on_commit_callbacks)
    message = Message.objects.get(purpose="blood.donor_reminder")
    assert message.status == Status.SUPPRESSED and "chưa đồng ý" in message.reason
    assert outbox.files() == []


def test_at_night_the_reminder_waits_for_the_morning(
    world, outbox, settings, django_capture_on_commit_callbacks
):
    settings.NHANDAO_MESSAGING_QUIET_HOURS = "00:00-23:59"
    make_drive(world, days=5)
    donor(world)
    run(django_capture_on_commit_callbacks)
    message = Message.objects.get(purpose="blood.donor_reminder")
    assert message.status == Status.QUEUED and message.send_after > timezone.now()
    assert outbox.files() == []


def test_a_donor_not_yet_eligible_on_the_drive_day_is_not_reminded(
    world, outbox, django_capture_on_commit_callbacks
):
    make_drive(world, days=5)
    donor(world, weeks_ago=8)  # whole blood 8 weeks ago: 12 weeks not reached in 5 days
    donor(world, name="Lê Thị Bình", phone="0913111333", weeks_ago=3, kind="plasma")  # 2 weeks: eligible
    assert run(django_capture_on_commit_callbacks) == 1
    assert Message.objects.get().person.full_name == "Lê Thị Bình"


def test_a_drive_in_another_commune_or_a_registered_donor_gets_no_reminder(
    world, outbox, django_capture_on_commit_callbacks
):
    drive = make_drive(world, days=5)
    donor(world, unit=world.commune_b)  # lives in Ngô Quyền
    hoa = donor(world, name="Nguyễn Thị Hoa", phone="0912000111")
    registration, _ = register(drive, name="Nguyễn Thị Hoa", phone="0912000111", born=dt.date(1985, 5, 5))
    assert registration.donor == hoa
    assert run(django_capture_on_commit_callbacks) == 0


def test_the_unsubscribe_link_stops_the_next_reminder(
    world, outbox, django_capture_on_commit_callbacks, client
):
    make_drive(world, days=5)
    hung = donor(world)
    run(django_capture_on_commit_callbacks)
    first = Message.objects.get()
    client.post(reverse("messaging:unsubscribe", args=[unsubscribe_token(first.pk)]), {"ngung": "1"})
    assert Consent.objects.get(person=hung.person, purpose="blood.donor_reminder").granted is False
    # The next cycle: a new donation, eligible again for a drive later.
    Donation.objects.filter(donor=hung).update(donated_on=timezone.localdate() - dt.timedelta(weeks=14))
    services.donor_refresh(hung)
    run(django_capture_on_commit_callbacks)
    second = Message.objects.exclude(pk=first.pk).get()
    assert second.status == Status.SUPPRESSED and "từ chối" in second.reason


def test_the_public_form_records_consent_only_when_ticked(client, world, drive):
    form = {
        "full_name": "Phạm Thu Trang",
        "date_of_birth": "12/09/1996",
        "sex": "F",
        "phone": "0987 654 321",
        "slot": drive.starts_at.strftime("%H:%M"),
        "weight": "50",
    }
    client.post(reverse("blood:public_drive", args=[drive.pk]), form)
    assert not Consent.objects.exists()
    other = make_drive(world, days=20, name="Đợt sau")
    client.post(reverse("blood:public_drive", args=[other.pk]), {**form, "reminders": "on"})
    consent = Consent.objects.get()
    assert consent.granted and consent.purpose == "blood.donor_reminder" and consent.source == "form"


def test_moving_a_drive_sends_everyone_registered_a_notice(
    world, drive, outbox, django_capture_on_commit_callbacks
):
    register(drive)
    with django_capture_on_commit_callbacks(execute=True):
        _drive, notice = services.drive_move(
            actor=world.manager_a, drive=drive, date=drive.date + dt.timedelta(days=7)
        )
    message = Message.objects.get(purpose="blood.drive_notice")
    assert message.status == Status.SENT and message.address == "0912000111"
    assert "đổi sang ngày" in json.dumps(outbox.sms(message.pk), ensure_ascii=False)
    assert notice.sent_at is not None


def test_the_command_dry_run_lists_and_writes_nothing(world, outbox):
    make_drive(world, days=5)
    donor(world)
    out = io.StringIO()
    call_command("blood_reminders", "--dry-run", stdout=out)
    assert "1 donors due, nothing queued" in out.getvalue() and "09••••••22" in out.getvalue()
    assert "0913111222" not in out.getvalue()
    assert not Message.objects.exists()
    call_command("blood_reminders", stdout=io.StringIO())
    assert Message.objects.filter(purpose="blood.donor_reminder").count() == 1


def test_the_producer_is_registered_for_send_due_messages(world, outbox):
    make_drive(world, days=5)
    donor(world)
    done = messaging.producers_run()
    assert done["blood.donor_reminders"] == 1


def test_reminders_due_is_bounded_in_queries(world, django_assert_max_num_queries):
    make_drive(world, days=5)
    for i in range(6):
        donor(world, name=f"Người hiến {i}", phone=f"091311100{i}")
    with django_assert_max_num_queries(8):
        due = messages.reminders_due(timezone.localdate())
    assert len(due) == 6
