"""Import a bank statement: manage.py import_statement FILE --account NUMBER [--format NAME] [--dry-run].

With --dry-run it only reads the file (no account needed) and prints what it
found.  Without it, --account names the fund's bank account (its number); the
file is imported as from the pages (same checks, same job, run here at once)
and the command prints the new lines, the duplicates skipped, the lines posted
and those left in the queue.  It runs as the system (scheduled jobs).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nhandao.banking import statements
from nhandao.banking.models import ImportStatus
from nhandao.banking.services import imports
from nhandao.core.formatting import date, money, number
from nhandao.funds.models import BankAccount


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
            return self.import_(options)
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

    def import_(self, options):
        number = "".join(ch for ch in (options["account"] or "") if ch.isalnum())
        if not number:
            raise CommandError("Hãy cho biết tài khoản nhận: --account SỐ_TÀI_KHOẢN (hoặc dùng --dry-run).")
        accounts = list(BankAccount.objects.select_related("unit").filter(account_number__iexact=number)[:2])
        if not accounts:
            raise CommandError(f"Không có tài khoản ngân hàng số {number} trong hệ thống.")
        if len(accounts) > 1:
            raise CommandError(f"Có nhiều tài khoản số {number} (ở các ngân hàng khác nhau).")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None
        try:
            imp = imports.statement_upload(
                actor=None,
                bank_account=accounts[0],
                data=data,
                filename=path.name,
                format=options["format"] or "",
            )
            imp = imports.run_now(imp)
            if imp.status != ImportStatus.CHECKED:
                raise CommandError(imp.message or "Tệp không đọc được.")
            imp = imports.statement_commit(actor=None, statement_import=imp)
            imp = imports.run_now(imp)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if imp.status != ImportStatus.IMPORTED:
            raise CommandError(
                imp.message or (imp.job.message if imp.job else "") or "Nhập không thành công."
            )
        out = self.stdout.write
        out(f"Tài khoản: {accounts[0]} ({accounts[0].unit.name})")
        out(f"Mẫu: {imp.format} ({imp.format_label})")
        out(f"Số dòng đọc được: {number_(imp.line_count)}")
        out(f"Dòng mới: {number_(imp.lines_new)}")
        out(f"Dòng đã có (bỏ qua): {number_(imp.lines_duplicate)}")
        out(f"Đã ghi sổ: {number_(imp.posted_count)} dòng, tổng {money(imp.posted_total)}")
        out(f"Khớp khoản chi: {number_(imp.matched_count)}")
        out(f"Không phải ủng hộ (theo quy tắc): {number_(imp.excluded_count)}")
        out(f"Chờ phân loại: {number_(imp.queued_count)}")


def number_(value: int) -> str:
    return number(value)
