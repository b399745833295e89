"""manage.py restore_drill FILE --target NAME: restore into a fresh database and check it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nhandao.core import backups


class Command(BaseCommand):
    help = (
        "Diễn tập khôi phục: khôi phục bản sao lưu vào một cơ sở dữ liệu MỚI (từ chối nếu đã có bảng), "
        "kiểm tra migration, verify_ledger và số dòng từng bảng so với nguồn."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="Tệp do backup_db tạo (kèm <tệp>.counts.json).")
        parser.add_argument(
            "--target", required=True, help="Tên cơ sở dữ liệu PostgreSQL mới, hoặc đường dẫn tệp SQLite mới."
        )

    def handle(self, *args, backup, target, **options):
        try:
            backups.drill(Path(backup), target, write=self.stdout.write)
        except backups.DrillError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS("Diễn tập khôi phục đạt."))
