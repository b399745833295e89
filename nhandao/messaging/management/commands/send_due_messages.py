"""Send what the outbox owes: manage.py send_due_messages [--no-producers] [--limit N].

A scheduler runs it (every few minutes, and at least once a day: it also runs the daily producers
the apps registered, such as deadline reminders).  It runs as the system: first the producers
(each queues its messages through messaging.services.message_queue; their dedup keys make a second
run in the same window queue nothing), then every due message is sent here, in this process:
SMS deferred by the quiet hours, failed attempts waiting for their retry, anything the worker has
not taken.  It prints what it did, one line per producer and one line of outcomes.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from nhandao.core import audit
from nhandao.messaging import services


class Command(BaseCommand):
    help = "Gửi các tin nhắn đến hạn (và chạy các việc tạo tin nhắc hằng ngày)."

    def add_arguments(self, parser):
        parser.add_argument("--no-producers", action="store_true", help="Chỉ gửi, không tạo tin nhắc mới.")
        parser.add_argument("--limit", type=int, default=5000, help="Gửi tối đa N tin trong lần chạy này.")

    def handle(self, *args, **options):
        with audit.via("command"):
            if not options["no_producers"]:
                for name, count in services.producers_run().items():
                    if count is None:
                        self.stderr.write(f"{name}: failed (see the log); the others ran")
                    else:
                        self.stdout.write(f"{name}: {count} queued")
            tally = services.messages_send_due(limit=options["limit"])
        outcomes = ("sent", "retry", "failed", "suppressed", "deferred")
        self.stdout.write("messages: " + ", ".join(f"{k} {tally.get(k, 0)}" for k in outcomes))
