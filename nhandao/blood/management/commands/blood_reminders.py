"""Queue today's blood donation reminders: manage.py blood_reminders [--dry-run] [--on dd/mm/yyyy] [--days N].

A donor who has given before, may give again (by the rules of blood/eligibility.py) on the day of
a planned public drive within N days (default NHANDAO_BLOOD_REMINDER_DAYS, 14) in their commune,
and is not registered for it, gets one SMS through the outgoing-message service: only with their
consent, not at night, at most once per 12-week window, with the one-click unsubscribe link (all
applied by nhandao.messaging).  `send_due_messages` runs the same producer daily; this command is
for running it by hand.  --dry-run prints who would be reminded (masked phones) and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nhandao.blood import messages
from nhandao.core import audit
from nhandao.messaging.links import mask_address


class Command(BaseCommand):
    help = "Tạo tin nhắn nhắc hiến máu cho người đã đủ điều kiện hiến lại khi có đợt hiến máu gần họ."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không tạo tin nhắn.")
        parser.add_argument("--on", default="", help="Ngày chạy (dd/mm/yyyy); mặc định hôm nay.")
        parser.add_argument("--days", type=int, default=None, help="Báo trước các đợt trong N ngày tới.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["on"]:
            try:
                today = dt.datetime.strptime(options["on"], "%d/%m/%Y").date()
            except ValueError:
                raise CommandError("--on: ngày phải có dạng dd/mm/yyyy") from None
        if options["dry_run"]:
            due = messages.reminders_due(today, horizon_days=options["days"])
            for d in due:
                self.stdout.write(
                    f"{d.donor.pk}\t{mask_address(d.donor.person.phone)}\t{d.drive.date:%d/%m/%Y}\t{d.drive.name}"
                )
            self.stdout.write(f"dry run: {len(due)} donors due, nothing queued")
            return
        with audit.via("command"):
            count = messages.reminders_queue(today, horizon_days=options["days"])
        self.stdout.write(f"blood reminders: {count} queued")
