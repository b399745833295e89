"""manage.py apply_retention [--dry-run]: forget what has been kept past its time (privacy.retention)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from nhandao.core import audit
from nhandao.privacy import retention


class Command(BaseCommand):
    help = "Áp dụng thời hạn lưu giữ dữ liệu cá nhân (ẩn danh hoá hoặc xoá); --dry-run chỉ liệt kê."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không thay đổi gì.")

    def handle(self, *args, dry_run=False, **options):
        with audit.via("command"):
            outcomes = retention.run(dry_run=dry_run)
        verb = "Sẽ xử lý" if dry_run else "Đã xử lý"
        for o in outcomes:
            self.stdout.write(
                f"{o.rule.kind}: {o.rule.label}, giữ {o.keep_days} ngày (trước {o.before:%d/%m/%Y}): "
                f"{verb} {len(o.items)} bản ghi — {o.rule.action}"
            )
            for item in o.items[:50]:
                self.stdout.write(f"  - {item}")
            if len(o.items) > 50:
                self.stdout.write(f"  … và {len(o.items) - 50} bản ghi khác")
