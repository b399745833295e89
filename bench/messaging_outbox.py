"""Benchmark: the outbox on PostgreSQL: queueing (the rules applied, the worker's task written),
sending through the sweep (file sender), and the outbox page with many messages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/messaging_outbox.py [--messages N] [--rows N]

Builds a throwaway database with one commune and N people who agreed to SMS, queues one
message each through messaging.services.message_queue (one transaction each, as a producer
does), sends them with `messages_send_due` (the file sender, into a temporary directory), then
fills the outbox to --rows messages and times the outbox page (first page and filtered).
Prints "queue: N ms/message", "send: N ms/message" and the page's p50/p95.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _db import percentile, throwaway


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("TASKS_BACKEND", "database")
    with throwaway("nhandao_bench_messaging"):
        import datetime as dt

        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.utils import timezone

        from nhandao.accounts.models import User
        from nhandao.core.access import Role
        from nhandao.geo.models import Ward
        from nhandao.messaging import services
        from nhandao.messaging.models import Consent, Message, Status
        from nhandao.org import services as org_services
        from nhandao.org.models import UnitKind
        from nhandao.people.models import Person

        call_command("migrate", verbosity=0)
        call_command("load_geo", verbosity=0)
        settings.NHANDAO_MESSAGING_QUIET_HOURS = ""
        settings.NHANDAO_MESSAGING_SENDERS = {"email": "file", "sms": "file"}
        settings.NHANDAO_MESSAGING_OUTBOX_DIR = tempfile.mkdtemp(prefix="nhandao-outbox-")
        city = org_services.unit_create(
            actor=None,
            name="Hội CTĐ thành phố",
            kind=UnitKind.PROVINCE,
            code="HP",
            province="31",
            valid_from=dt.date(2000, 1, 1),
        )
        commune = org_services.unit_create(
            actor=None,
            parent=city,
            name="Hội CTĐ phường Lê Chân",
            kind=UnitKind.COMMUNE,
            code="HP-LC",
            ward=Ward.objects.get(province_id="31", name="Phường Lê Chân"),
            valid_from=dt.date(2025, 7, 1),
        )
        people = []
        for i in range(args.messages):
            p = Person(full_name=f"Nguyễn Văn Thử {i}", phone=f"09{i:08d}", unit=commune)
            p.refresh_keys()
            people.append(p)
        people = Person.objects.bulk_create(people)
        Consent.objects.bulk_create(
            Consent(person=p, channel="sms", purpose="*", granted=True, source="form", unit=commune)
            for p in people
        )
        t = time.perf_counter()
        for p in people:
            services.message_queue(
                actor=None,
                unit=commune,
                channel="sms",
                purpose="messaging.notice",
                body="Hội Chữ thập đỏ phường Lê Chân mời hội viên dự họp sơ kết.",
                person=p,
                dedup_key="hop-so-ket",
            )
        queue_ms = (time.perf_counter() - t) * 1000 / len(people)
        print(f"queue: {queue_ms:.1f} ms/message ({len(people)} messages, consent + dedup + audit + task)")
        t = time.perf_counter()
        tally = services.messages_send_due(limit=len(people))
        send_ms = (time.perf_counter() - t) * 1000 / max(1, tally["sent"])
        print(f"send: {send_ms:.1f} ms/message ({tally['sent']} sent by the sweep, file sender)")
        t = time.perf_counter()
        for p in people[:200]:
            services.message_queue(
                actor=None,
                unit=commune,
                channel="sms",
                purpose="messaging.notice",
                body="x",
                person=p,
                dedup_key="hop-so-ket",
            )
        print(f"dedup hit: {(time.perf_counter() - t) * 1000 / 200:.1f} ms/message (nothing written)")
        # Fill the outbox for the page.
        now = timezone.now()
        template = Message.objects.filter(status=Status.SENT).first()
        extra = args.rows - Message.objects.count()
        batch = []
        for i in range(max(0, extra)):
            batch.append(
                Message(
                    unit=commune,
                    channel="sms",
                    purpose="messaging.notice",
                    person_id=people[i % len(people)].pk,
                    address=template.address,
                    body=template.body,
                    status=Status.SENT if i % 7 else Status.FAILED,
                    created_at=now - dt.timedelta(minutes=i),
                    send_after=now,
                    attempts=1,
                )
            )
            if len(batch) == 10_000:
                Message.objects.bulk_create(batch)
                batch = []
        Message.objects.bulk_create(batch)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        manager = User.objects.create_user("quanly.bench", password="x")
        org_services.role_assign(
            actor=None, user=manager, unit=commune, role=Role.UNIT_MANAGER, valid_from=dt.date(2025, 7, 1)
        )
        client = Client()
        client.force_login(manager)
        for label, url in [
            ("outbox page 1", "/tin-nhan/"),
            ("outbox page 40", "/tin-nhan/?page=40"),
            ("outbox, failed only", "/tin-nhan/?status=failed"),
            ("outbox, by name", "/tin-nhan/?q=nguyen+van+thu+17"),
        ]:
            times = []
            for _ in range(args.requests):
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, url
            print(
                f"{label} ({Message.objects.count():,} messages): p50 {percentile(times, 0.5):.1f} ms, "
                f"p95 {percentile(times, 0.95):.1f} ms"
            )


if __name__ == "__main__":
    main()
