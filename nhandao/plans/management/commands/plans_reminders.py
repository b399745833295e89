"""Daily: remind respondents of a round's deadline (7 days, 1 day before; overdue).  See
nhandao.plans.reminders; the scheduler runs `manage.py plans_reminders` once a day."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from nhandao.core.formatting import parse_date
from nhandao.plans import reminders


class Command(BaseCommand):
    help = "Nhắc hạn nộp báo cáo của các đợt báo cáo đang mở (trước 7 ngày, 1 ngày và khi quá hạn)."

    def add_arguments(self, parser):
        parser.add_argument("--ngay", help="ngày chạy (dd/mm/yyyy), mặc định hôm nay")

    def handle(self, *args, **options):
        today = parse_date(options["ngay"]) if options.get("ngay") else timezone.localdate()
        sent = reminders.send(today)
        for r in sent:
            self.stdout.write(f"{r.kind}\t{r.report.round.name}\t{r.report.respondent}")
        where = (
            "đã chuyển cho dịch vụ gửi tin" if reminders.SENDERS else "chưa có dịch vụ gửi tin: chỉ liệt kê"
        )
        self.stdout.write(f"{len(sent)} lời nhắc ({where}).")
