"""manage.py backup_db [--output FILE]: pg_dump -Fc (PostgreSQL) or the SQLite online backup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from nhandao.core import backups


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (pg_dump -Fc; SQLite: backup trực tuyến) kèm số dòng từng bảng."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Tệp sao lưu (mặc định var/backups/nhandao-<thời điểm>.dump).")

    def handle(self, *args, output=None, **options):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = (
            Path(output) if output else Path(settings.BASE_DIR) / "var" / "backups" / f"nhandao-{stamp}.dump"
        )
        counts = backups.backup(path)
        self.stdout.write(f"Đã sao lưu {sum(counts.values())} dòng của {len(counts)} bảng vào {path}.")
