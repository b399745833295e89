"""The demo's outbox: Lê Chân's meeting notice, and the command that sends it by hand."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from nhandao.messaging.models import Message, Status

pytestmark = pytest.mark.django_db


def test_the_demo_queues_the_consented_and_keeps_the_others_with_a_reason(seeded_city, outbox):
    # The messaging seed's own notices (the blood seed queues its donors' reminders beside them).
    messages = list(Message.objects.filter(purpose="messaging.notice").order_by("pk"))
    assert len(messages) == 6
    assert {m.unit.name for m in messages} == {"Hội Chữ thập đỏ phường Lê Chân"}
    assert [m.status for m in messages].count(Status.QUEUED) == 4
    assert sorted(m.reason for m in messages if m.status == Status.SUPPRESSED) == [
        "Người nhận chưa đồng ý nhận loại tin này.",
        "Người nhận đã từ chối nhận loại tin này.",
    ]
    # Sent by hand in the morning: one SMS file each.
    out = io.StringIO()
    with time_machine.travel(
        dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(hour=9) + dt.timedelta(days=1)
    ):
        Message.objects.exclude(purpose="messaging.notice").delete()
        call_command("send_due_messages", "--no-producers", stdout=out)
    assert out.getvalue().strip() == "messages: sent 4, retry 0, failed 0, suppressed 0, deferred 0"
    assert len(outbox.files()) == 4
