"""The rules message_queue applies in one place: consent, quiet hours, the dedup window, addresses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from nhandao.core.models import AuditEvent
from nhandao.messaging import services
from nhandao.messaging.models import Message, Status

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def grant(lan, channel="sms", purpose="messaging.notice", granted=True):
    return services.consent_record(
        actor=None, channel=channel, purpose=purpose, granted=granted, source="form", person=lan
    )


def test_a_reminder_that_needs_consent_is_suppressed_without_it(world, lan, outbox, queue):
    m = queue(unit=world.commune_a, person=lan)
    assert m.status == Status.SUPPRESSED
    assert m.reason == "Người nhận chưa đồng ý nhận loại tin này."
    assert outbox.files() == []


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN))
def test_with_consent_the_sms_leaves_when_the_transaction_commits(world, lan, outbox, queue):
    grant(lan)
    m = queue(unit=world.commune_a, person=lan)
    assert m.status == Status.SENT
    assert m.address == "0912345678" and m.attempts == 1 and m.sender == "file"
    sent = outbox.sms(m.pk)
    assert sent["to"] == "0912345678"
    assert sent["text"].startswith("Hội Chữ thập đỏ phường Lê Chân thông báo lịch họp.")
    assert "https://nhandao.example/tin-nhan/ngung-nhan/" in sent["text"]


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN))
def test_a_refusal_stops_even_a_service_message_and_consent_is_per_channel(world, lan, outbox, queue):
    services.consent_record(
        actor=None, channel="email", purpose="*", granted=False, source="staff", person=lan
    )
    grant(lan, channel="sms")
    refused = queue(unit=world.commune_a, person=lan, channel="email", subject="Họp")
    assert refused.status == Status.SUPPRESSED
    assert refused.reason == "Người nhận đã từ chối nhận loại tin này."
    assert queue(unit=world.commune_a, person=lan, channel="sms").status == Status.SENT


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN))
def test_a_purposes_own_record_wins_over_the_channel_wide_one(world, lan, outbox, queue):
    services.consent_record(actor=None, channel="sms", purpose="*", granted=False, source="staff", person=lan)
    grant(lan, purpose="messaging.notice", granted=True)
    assert queue(unit=world.commune_a, person=lan).status == Status.SENT


@time_machine.travel(dt.datetime(2026, 3, 2, 22, 30, tzinfo=VN))
def test_an_sms_queued_at_night_waits_until_seven_in_the_morning(world, lan, outbox, queue):
    grant(lan)
    m = queue(unit=world.commune_a, person=lan)
    assert m.status == Status.QUEUED
    assert m.send_after == dt.datetime(2026, 3, 3, 7, 0, tzinfo=VN)
    assert outbox.files() == []
    # The sweep at night sends nothing; in the morning it sends it.
    assert services.messages_send_due() == {}
    with time_machine.travel(dt.datetime(2026, 3, 3, 7, 5, tzinfo=VN)):
        assert services.messages_send_due()["sent"] == 1
    m.refresh_from_db()
    assert m.status == Status.SENT
    assert outbox.files() == [f"{m.pk}.json"]


@time_machine.travel(dt.datetime(2026, 3, 3, 2, 0, tzinfo=VN))
def test_after_midnight_the_sms_waits_for_the_same_mornings_end_of_quiet_hours(world, lan, outbox, queue):
    grant(lan)
    m = queue(unit=world.commune_a, person=lan)
    assert m.send_after == dt.datetime(2026, 3, 3, 7, 0, tzinfo=VN)


@time_machine.travel(dt.datetime(2026, 3, 2, 22, 30, tzinfo=VN))
def test_email_is_not_held_by_the_quiet_hours(world, lan, outbox, queue):
    grant(lan, channel="email")
    m = queue(unit=world.commune_a, person=lan, channel="email", subject="Lịch họp")
    assert m.status == Status.SENT
    assert "Subject: =?utf-8?" in outbox.email(m.pk) or "Subject:" in outbox.email(m.pk)


@time_machine.travel(dt.datetime(2026, 3, 2, 20, 30, tzinfo=VN))
def test_the_quiet_hours_are_configurable_and_can_be_turned_off(world, lan, outbox, queue, settings):
    grant(lan)
    settings.NHANDAO_MESSAGING_QUIET_HOURS = "20:00-06:30"
    held = queue(unit=world.commune_a, person=lan, dedup_key="a")
    assert held.send_after == dt.datetime(2026, 3, 3, 6, 30, tzinfo=VN)
    settings.NHANDAO_MESSAGING_QUIET_HOURS = ""
    assert queue(unit=world.commune_a, person=lan, dedup_key="b").status == Status.SENT


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN))
def test_the_same_dedup_key_goes_at_most_once_in_the_window(world, lan, outbox, queue):
    grant(lan)
    first = queue(unit=world.commune_a, person=lan, dedup_key="hop-thang-3")
    again = queue(unit=world.commune_a, person=lan, dedup_key="hop-thang-3")
    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert queue(unit=world.commune_a, person=lan, dedup_key="hop-thang-4").pk != first.pk
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 1, tzinfo=VN)):  # the notice's window: a day
        later = queue(unit=world.commune_a, person=lan, dedup_key="hop-thang-3")
    assert later.pk != first.pk and later.status == Status.SENT
    # A longer window given by the caller holds it back.
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 2, tzinfo=VN)):
        held = queue(unit=world.commune_a, person=lan, dedup_key="hop-thang-3", window=dt.timedelta(days=7))
    assert held.pk == later.pk


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN))
def test_a_missing_or_malformed_address_is_kept_as_suppressed_with_the_reason(world, outbox, queue):
    from nhandao.people.tests.helpers import person

    nophone = person(world.commune_a, "Trần Văn Không Số")
    services.consent_record(
        actor=None, channel="sms", purpose="*", granted=True, source="form", person=nophone
    )
    m = queue(unit=world.commune_a, person=nophone)
    assert (m.status, m.reason) == (Status.SUPPRESSED, "Người nhận không có số điện thoại.")
    bad = queue(unit=world.commune_a, address="12345", purpose="messaging.notice")
    assert bad.status == Status.SUPPRESSED
    assert "không hợp lệ" in bad.reason


def test_an_undeclared_purpose_and_an_empty_text_are_refused(world, lan, outbox):
    with pytest.raises(ValueError, match="undeclared message purpose"):
        services.message_queue(
            actor=None, unit=world.commune_a, channel="sms", purpose="x.y", body="a", person=lan
        )
    with pytest.raises(ValidationError) as exc:
        services.message_queue(
            actor=None, unit=world.commune_a, channel="sms", purpose="messaging.notice", body="  ", person=lan
        )
    assert exc.value.messages == ["Tin nhắn không có nội dung."]
    assert Message.objects.count() == 0


def test_an_officer_cannot_queue_for_another_unit(world, lan, outbox):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.message_queue(
            actor=world.manager_b,
            unit=world.commune_a,
            channel="sms",
            purpose="messaging.notice",
            body="a",
            person=lan,
        )


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN))
def test_every_queue_send_and_suppress_is_audited(world, lan, outbox, queue):
    queue(actor=world.manager_a, unit=world.commune_a, person=lan, dedup_key="1")
    grant(lan)
    sent = queue(actor=world.manager_a, unit=world.commune_a, person=lan, dedup_key="2")
    actions = list(
        AuditEvent.objects.filter(object_type="messaging.message")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [
        ("messaging.suppressed", world.manager_a.pk),
        ("messaging.queued", world.manager_a.pk),
        ("messaging.sent", None),
    ]
    event = AuditEvent.objects.get(action="messaging.sent")
    assert event.object_id == str(sent.pk) and event.unit_id == world.commune_a.pk
    assert event.data["to"] == "09••••••78"  # the trail never keeps the number in full
    assert AuditEvent.objects.filter(action="messaging.consent_granted").count() == 1


@time_machine.travel(dt.datetime(2026, 3, 2, 22, 0, tzinfo=VN))
def test_a_refusal_after_queueing_suppresses_the_waiting_message(world, lan, outbox, queue):
    grant(lan)
    m = queue(unit=world.commune_a, person=lan)
    assert m.status == Status.QUEUED  # waiting for the morning
    grant(lan, granted=False)
    m.refresh_from_db()
    assert (m.status, m.reason) == (Status.SUPPRESSED, "Người nhận đã từ chối nhận loại tin này.")
    assert AuditEvent.objects.filter(action="messaging.suppressed", object_id=str(m.pk)).count() == 1
    with time_machine.travel(dt.datetime(2026, 3, 3, 7, 5, tzinfo=VN)):
        assert services.messages_send_due() == {}
    assert outbox.files() == []


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN))
def test_a_staff_reminder_goes_to_a_users_email_without_opt_in(world, outbox, queue, monkeypatch):
    from email import message_from_string

    from nhandao.messaging import purposes

    monkeypatch.setitem(purposes.PURPOSES, "tests.deadline", purposes.Purpose("tests.deadline", "Hạn nộp"))
    m = queue(
        unit=world.commune_a, user=world.manager_a, channel="email", purpose="tests.deadline", subject="Hạn"
    )
    assert m.status == Status.SENT
    assert m.address == "manager_a@example.org"
    sent = message_from_string(outbox.email(m.pk))
    assert sent["To"] == "manager_a@example.org"
    assert sent["List-Unsubscribe"].strip().startswith("<https://nhandao.example/tin-nhan/ngung-nhan/")
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
