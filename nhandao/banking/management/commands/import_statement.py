"""Read a bank statement file: manage.py import_statement FILE --dry-run [--format NAME].

With --dry-run it only reads the file (no account needed) and prints what it
found.  Posting lines to the fund's books comes with the fund module; until
then the command refuses to run without --dry-run.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nhandao.banking import statements
from nhandao.core.formatting import date, money, number


class Command(BaseCommand):
    help = "Đọc tệp sao kê ngân hàng; với --dry-run chỉ đọc và báo cáo, không ghi gì."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao kê (.xlsx, .csv, .psv, HTML).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đọc tệp và in kết quả.")
        parser.add_argument(
            "--format",
            choices=[name for name, _label in statements.formats()],
            help="Mẫu sao kê; mặc định tự nhận dạng.",
        )
        parser.add_argument("--account", help="Số tài khoản của quỹ (dùng khi ghi sổ).")

    def handle(self, *args, **options):
        if not options["dry_run"]:
            raise CommandError(
                "Chưa ghi sổ được: việc ghi các dòng sao kê vào sổ quỹ sẽ có cùng mô-đun quỹ. "
                "Hiện chỉ dùng được --dry-run để đọc thử tệp."
            )
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None
        try:
            st = statements.read(data, path.name, format=options["format"], account=options["account"] or "")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        s = st.summary()
        out = self.stdout.write
        out(f"Mẫu: {st.format} ({st.format_label})")
        out(f"Ngân hàng: {st.bank.short_name if st.bank else '—'}")
        out(f"Số tài khoản in trên sao kê: {st.account_number or '—'}")
        out(f"Số dòng đọc được: {number(s.count)}")
        out(f"Từ ngày: {date(s.date_from)}  đến ngày: {date(s.date_to)}")
        out(f"Ghi có: {number(s.credit_count)} dòng, tổng {money(s.credit_total)}")
        out(f"Ghi nợ: {number(s.debit_count)} dòng, tổng {money(s.debit_total)}")
        if s.opening_balance is not None:
            out(f"Số dư đầu kỳ: {money(s.opening_balance)}")
        if s.closing_balance is not None:
            out(f"Số dư cuối kỳ: {money(s.closing_balance)}")
        out(f"Số dư lũy kế: {'khớp từng dòng' if st.balance_checked else 'không kiểm tra được'}")
        out(f"Vấn đề: {len(st.errors)} lỗi, {len(st.warnings)} lưu ý")
        for problem in st.problems:
            label = "LỖI" if problem.level == statements.ERROR else "Lưu ý"
            out(f"  {label}: {problem}")
        if not st.ok:
            raise CommandError("Tệp có lỗi: chưa thể ghi sổ tệp này.")
