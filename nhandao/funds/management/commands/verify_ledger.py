"""manage.py verify_ledger: recompute the whole hash chain and report the first broken link."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from nhandao.core.formatting import number
from nhandao.funds import ledger


class Command(BaseCommand):
    help = "Kiểm tra toàn bộ sổ cái: chuỗi mã băm, cân đối từng bút toán, số dư, tóm tắt theo ngày."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all-errors", action="store_true", help="In mọi lỗi tìm thấy, không chỉ lỗi đầu tiên."
        )

    def handle(self, *args, all_errors=False, verbosity=1, **options):
        def progress(n):
            if verbosity > 1:
                self.stdout.write(f"  … {number(n)} dòng")

        report = ledger.verify(progress=progress)
        self.stdout.write(
            f"Đã kiểm tra {number(report.entries)} dòng, {number(report.postings)} bút toán, "
            f"{number(report.digests)} tóm tắt ngày trong {report.seconds:.1f} s."
        )
        if report.redacted:
            # Shredded texts (posting v2): the chain still holds, the new text cannot be checked.
            self.stdout.write(
                f"{number(len(report.redacted))} bút toán đã xoá tên người theo yêu cầu xoá dữ liệu."
            )
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sổ cái toàn vẹn. Dòng cuối: {report.last_number}, mã băm: {report.last_hash}"
                )
            )
            return
        self.stderr.write(self.style.ERROR(f"Mắt xích hỏng đầu tiên: {report.first_error}"))
        if all_errors or verbosity > 1:
            for error in report.errors[1:]:
                self.stderr.write(f"  {error}")
        total = len(report.errors) + report.more_errors
        if total > 1:
            self.stderr.write(f"Tổng cộng {total} lỗi.")
        sys.exit(1)
