"""Import a bank statement:
manage.py import_statement FILE --account NUMBER [--format NAME | --mapping NAME] [--dry-run].

With --dry-run it only reads the file and prints what it found (the lines, and
the problem lines that would be kept to correct by hand); with --account it also
checks, writing nothing, what the import would check: the bank and account printed
in the file, and that the file (or its lines) was not already imported into
another account.  Without --dry-run, --account names the fund's bank account (its
number); the file is imported as from the pages (same checks, same job, run here
at once) and the command prints the new lines, the duplicates skipped, the lines
posted, those left in the queue and the problem lines kept.  --mapping names a saved
column mapping (of the account's unit or a unit above it).  It runs as the system
(scheduled jobs).  Every refusal is a message, never a traceback.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nhandao.banking import banks, statements
from nhandao.banking.models import ImportStatus, StatementColumnMapping
from nhandao.banking.services import imports, parsed
from nhandao.core.formatting import date, money, number
from nhandao.funds.models import BankAccount


class Command(BaseCommand):
    help = "Đọc tệp sao kê ngân hàng; với --dry-run chỉ đọc và báo cáo, không ghi gì."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao kê (.xlsx, .xls, .csv, .psv, HTML).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đọc tệp và in kết quả.")
        parser.add_argument(
            "--format",
            choices=[name for name, _label in statements.formats()],
            help="Mẫu sao kê; mặc định tự nhận dạng.",
        )
        parser.add_argument("--account", help="Số tài khoản của quỹ (dùng khi ghi sổ).")
        parser.add_argument("--mapping", help="Tên mẫu cột đã lưu (thay cho --format).")

    def handle(self, *args, **options):
        if options["format"] and options["mapping"]:
            raise CommandError("Chỉ dùng một trong hai: --format hoặc --mapping.")
        try:
            if not options["dry_run"]:
                return self.import_(options)
            return self.dry_run(options)
        except CommandError:
            raise
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except Exception as exc:
            raise CommandError(f"Không đọc được tệp ({type(exc).__name__}); không có gì được ghi.") from None

    def account(self, options):
        number = "".join(ch for ch in (options["account"] or "") if ch.isalnum())
        if not number:
            return None
        accounts = list(BankAccount.objects.select_related("unit").filter(account_number__iexact=number)[:2])
        if not accounts:
            raise CommandError(f"Không có tài khoản ngân hàng số {number} trong hệ thống.")
        if len(accounts) > 1:
            raise CommandError(f"Có nhiều tài khoản số {number} (ở các ngân hàng khác nhau).")
        return accounts[0]

    def mapping(self, options, account):
        name = (options["mapping"] or "").strip()
        if not name:
            return None
        found = StatementColumnMapping.objects.select_related("unit").filter(name__iexact=name)
        if account is not None:
            # The account's unit's own mapping first, then those of the units above it.
            path = account.unit.path
            found = [m for m in found if path.startswith(m.unit.path)]
            found.sort(key=lambda m: -len(m.unit.path))
        else:
            found = list(found)
            if len(found) > 1:
                raise CommandError(f"Có nhiều mẫu cột tên “{name}”: hãy cho biết --account.")
        if not found:
            raise CommandError(f"Không có mẫu cột nào tên “{name}”.")
        return found[0]

    def dry_run(self, options):
        account = self.account(options)
        mapping = self.mapping(options, account)
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None
        st = statements.read(
            data,
            path.name,
            format=options["format"],
            mapping=mapping.spec() if mapping else None,
            account=account.account_number if account else (options["account"] or ""),
        )
        if account is not None:
            statements.check_bank(st, banks.by_bin(account.bank_bin))
            statements.check_account(st, account.account_number)
        imports.examine(st, account.account_number if account else st.account_number)
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
        out(f"Số dư lũy kế: {'đã kiểm tra từng dòng' if st.balance_checked else 'không kiểm tra được'}")
        if st.balance_checked:
            out(f"Số dư xác nhận: {number(st.balance_confirmed)} dòng")
        out(f"Vấn đề: {len(st.problem_lines)} lỗi, {len(st.warnings)} lưu ý")
        for problem in st.warnings:
            out(f"  Lưu ý: {problem}")
        out(f"Dòng cần sửa (sẽ giữ lại để sửa bằng tay): {number(len(st.problem_lines))}")
        for p in st.problem_lines:
            implied = (
                f" · số tiền theo số dư {money(p.implied_amount)}" if p.implied_amount is not None else ""
            )
            out(f"  {p.origin.label()}: {p.reason}{implied} · {p.raw[:200]}")
        if account is not None:
            elsewhere = imports.imported_elsewhere(
                account.pk, hashlib.sha256(data).hexdigest(), parsed.from_statement(st)
            )
            if elsewhere:
                raise CommandError(elsewhere + " Cần người duyệt chi xác nhận trên trang nhập sao kê.")
            out(f"Tài khoản {account.account_number}: tệp đúng ngân hàng, đúng tài khoản.")

    def import_(self, options):
        account = self.account(options)
        if account is None:
            raise CommandError("Hãy cho biết tài khoản nhận: --account SỐ_TÀI_KHOẢN (hoặc dùng --dry-run).")
        accounts = [account]
        mapping = self.mapping(options, account)
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
                mapping=mapping,
            )
            imp = imports.run_now(imp)
            if imp.status == ImportStatus.HELD:
                raise CommandError(imp.message + " Cần người duyệt chi xác nhận trên trang nhập sao kê.")
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
        out(f"Dòng cần sửa (giữ lại để sửa bằng tay): {number_(imp.problem_count)}")


def number_(value: int) -> str:
    return number(value)
