"""Delivery through the worker: retries with a growing delay, a reason when it fails for good,
a message sent once however many times its task runs, and the sweep command."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from nhandao.core.models import AuditEvent
from nhandao.messaging import services
from nhandao.messaging.models import Message, Status

from .conftest import FailingSender, FlakySender

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)


@pytest.fixture
def consented(lan):
    services.consent_record(actor=None, channel="sms", purpose="*", granted=True, source="form", person=lan)
    return lan


def use_sender(settings, cls):
    settings.NHANDAO_MESSAGING_SENDERS = {"email": "file", "sms": f"{cls.__module__}.{cls.__name__}"}
    cls.calls = 0


def test_a_failed_send_is_retried_then_failed_with_the_reason(world, consented, outbox, queue, settings):
    use_sender(settings, FailingSender)
    with time_machine.travel(T0, tick=False):
        m = queue(unit=world.commune_a, person=consented)
    assert (m.status, m.attempts) == (Status.QUEUED, 1)
    assert m.reason == "Lần 1 không gửi được: gateway down (HTTP 503); sẽ thử lại."
    assert m.send_after == T0 + dt.timedelta(minutes=5)
    # Not due yet: the sweep leaves it.
    with time_machine.travel(T0 + dt.timedelta(minutes=4)):
        assert services.messages_send_due() == {}
    with time_machine.travel(T0 + dt.timedelta(minutes=6), tick=False):
        assert services.messages_send_due() == {"retry": 1}
    m.refresh_from_db()
    assert (m.status, m.attempts) == (Status.QUEUED, 2)
    assert m.send_after == T0 + dt.timedelta(minutes=36)
    with time_machine.travel(T0 + dt.timedelta(minutes=40)):
        assert services.messages_send_due() == {"failed": 1}
    m.refresh_from_db()
    assert (m.status, m.attempts) == (Status.FAILED, 3)
    assert m.reason == "Gửi không được sau 3 lần: gateway down (HTTP 503)"
    assert FailingSender.calls == 3
    actions = AuditEvent.objects.filter(object_id=str(m.pk), object_type="messaging.message")
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "messaging.queued",
        "messaging.retry",
        "messaging.retry",
        "messaging.failed",
    ]
    # Failed for good: later sweeps leave it alone.
    with time_machine.travel(T0 + dt.timedelta(days=1)):
        assert services.messages_send_due() == {}
    assert FailingSender.calls == 3


def test_a_retry_that_works_marks_the_message_sent(world, consented, outbox, queue, settings):
    use_sender(settings, FlakySender)
    with time_machine.travel(T0):
        m = queue(unit=world.commune_a, person=consented)
    with time_machine.travel(T0 + dt.timedelta(minutes=10)):
        assert services.messages_send_due() == {"sent": 1}
    m.refresh_from_db()
    assert (m.status, m.attempts, m.provider_ref, m.reason) == (Status.SENT, 2, "ok-1", "")


def test_an_error_that_retrying_cannot_help_fails_at_once(world, consented, outbox, queue, settings):
    settings.NHANDAO_MESSAGING_SENDERS = {"sms": "nhandao.messaging.tests.conftest.RefusingSender"}
    with time_machine.travel(T0):
        m = queue(unit=world.commune_a, person=consented)
    assert (m.status, m.attempts) == (Status.FAILED, 1)
    assert m.reason == "Gửi không được sau 1 lần: eSMS 108: Phone number is not in correct format"


def test_a_task_delivered_twice_sends_once(world, consented, outbox, queue):
    with time_machine.travel(T0):
        m = queue(unit=world.commune_a, person=consented)
        assert services.message_deliver(m.pk) is None
        services.message_deliver_task.enqueue(m.pk)
    m.refresh_from_db()
    assert (m.status, m.attempts) == (Status.SENT, 1)
    assert AuditEvent.objects.filter(action="messaging.sent").count() == 1


def test_a_message_left_half_sent_by_a_dead_worker_goes_out_with_the_next_sweep(
    world, consented, outbox, settings
):
    with time_machine.travel(T0):
        m = services.message_queue(
            actor=None,
            unit=world.commune_a,
            channel="sms",
            purpose="messaging.notice",
            body="Họp",
            person=consented,
        )  # the commit's hand-over to the worker never ran (no on_commit in this test)
        Message.objects.filter(pk=m.pk).update(status=Status.SENDING, last_attempt_at=T0, attempts=1)
    with time_machine.travel(T0 + dt.timedelta(minutes=5)):
        assert services.messages_send_due() == {}  # maybe still being sent
    with time_machine.travel(T0 + dt.timedelta(minutes=20)):
        assert services.messages_send_due() == {"sent": 1}
    m.refresh_from_db()
    assert (m.status, m.attempts) == (Status.SENT, 2)


def test_the_command_runs_the_producers_then_sends_what_is_due(world, consented, outbox, monkeypatch):
    monkeypatch.setattr(services, "PRODUCERS", {})  # only this test's producers (apps register theirs)

    def deadline_reminders(now):
        services.message_queue(
            actor=None,
            unit=world.commune_a,
            channel="sms",
            purpose="messaging.notice",
            body="Còn 7 ngày đến hạn nộp báo cáo.",
            person=consented,
            dedup_key="bao-cao-6-thang:7-ngay",
        )
        return 1

    monkeypatch.setitem(services.PRODUCERS, "tests.deadlines", deadline_reminders)
    out = io.StringIO()
    with time_machine.travel(T0):
        call_command("send_due_messages", stdout=out)
        call_command("send_due_messages", stdout=out)  # the dedup key: nothing new the same day
    assert out.getvalue().splitlines() == [
        "tests.deadlines: 1 queued",
        "messages: sent 1, retry 0, failed 0, suppressed 0, deferred 0",
        "tests.deadlines: 1 queued",
        "messages: sent 0, retry 0, failed 0, suppressed 0, deferred 0",
    ]
    assert Message.objects.get().status == Status.SENT
    assert AuditEvent.objects.get(action="messaging.sent").via == "command"


def test_a_failing_producer_does_not_stop_the_others_or_the_sending(world, consented, outbox, monkeypatch):
    monkeypatch.setattr(services, "PRODUCERS", {})  # only this test's producers (apps register theirs)

    def broken(now):
        raise RuntimeError("bug")

    def fine(now):
        services.message_queue(
            actor=None,
            unit=world.commune_a,
            channel="sms",
            purpose="messaging.notice",
            body="Họp",
            person=consented,
        )
        return 1

    monkeypatch.setitem(services.PRODUCERS, "tests.a_broken", broken)
    monkeypatch.setitem(services.PRODUCERS, "tests.b_fine", fine)
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(T0):
        call_command("send_due_messages", stdout=out, stderr=err)
    assert err.getvalue().strip() == "tests.a_broken: failed (see the log); the others ran"
    assert out.getvalue().splitlines() == [
        "tests.b_fine: 1 queued",
        "messages: sent 1, retry 0, failed 0, suppressed 0, deferred 0",
    ]
