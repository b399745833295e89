"""XLSX exports of the fund (openpyxl in write-only mode: rows stream, memory stays flat)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .models import AccountKind, Channel, DisbursementKind, DisbursementStatus, HelpKind, RecordStatus
from .selectors import Book, book_rows

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"


class Sheet:
    def __init__(self, title: str):
        self.workbook = Workbook(write_only=True)
        self.ws = self.workbook.create_sheet(title[:31])
        self.bold = Font(bold=True)

    def cell(self, value, *, bold=False, money=False, date=False, center=False):
        c = WriteOnlyCell(self.ws, value=value)
        if bold:
            c.font = self.bold
        if money:
            c.number_format = MONEY_FORMAT
        if date:
            c.number_format = DATE_FORMAT
        if center:
            c.alignment = Alignment(horizontal="center", wrap_text=True)
        return c

    def title(self, *lines: str) -> None:
        for n, line in enumerate(lines):
            self.ws.append([self.cell(line, bold=n == 0)])
        self.ws.append([])

    def header(self, columns: Iterable[str]) -> None:
        self.ws.append([self.cell(c, bold=True, center=True) for c in columns])

    def row(self, values: Iterable) -> None:
        cells = []
        for v in values:
            if isinstance(v, bool):
                cells.append(self.cell("x" if v else ""))
            elif isinstance(v, int):
                cells.append(self.cell(v, money=True))
            elif isinstance(v, dt.date):
                cells.append(self.cell(v, date=True))
            else:
                cells.append(self.cell(v))
        self.ws.append(cells)

    def widths(self, *widths: int) -> None:
        for i, w in enumerate(widths):
            self.ws.column_dimensions[chr(ord("A") + i)].width = w

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.workbook.save(buf)
        return buf.getvalue()


def donations(queryset, title: str) -> bytes:
    sheet = Sheet("Ung ho")
    sheet.widths(16, 12, 30, 22, 14, 16, 8, 12, 12, 36, 30, 22, 14)
    sheet.title(title)
    sheet.header(
        [
            "Số biên nhận",
            "Ngày nhận",
            "Người ủng hộ",
            "Hiển thị công khai",
            "Hình thức",
            "Số tiền (đồng)",
            "Loại tiền",
            "Nguyên tệ",
            "Tỷ giá",
            "Quỹ",
            "Cuộc vận động",
            "Số tham chiếu",
            "Trạng thái",
        ]
    )
    rows = queryset.select_related(None).values_list(
        "receipt_year",
        "receipt_number",
        "received_on",
        "donor_name",
        "public_name",
        "channel",
        "amount",
        "currency",
        "original_amount",
        "exchange_rate",
        "fund__name",
        "campaign__name",
        "external_ref",
        "status",
    )
    for (
        year,
        n,
        day,
        name,
        shown,
        channel,
        amount,
        cur,
        orig,
        rate,
        fund,
        campaign,
        ref,
        status,
    ) in rows.iterator(chunk_size=2000):
        sheet.row(
            [
                f"BN{year}-{n:06d}",
                day,
                name,
                shown,
                str(Channel(channel).label),
                amount,
                cur,
                str(orig) if orig is not None else "",
                str(rate.normalize()) if rate is not None else "",
                fund,
                campaign or "",
                ref,
                str(RecordStatus(status).label),
            ]
        )
    return sheet.save()


def disbursements(queryset, title: str) -> bytes:
    sheet = Sheet("Chi")
    sheet.widths(14, 12, 30, 40, 18, 16, 28, 10, 10, 22, 22, 24)
    sheet.title(title)
    sheet.header(
        [
            "Số phiếu",
            "Ngày chi",
            "Loại",
            "Nội dung",
            "Hình thức hỗ trợ",
            "Số tiền (đồng)",
            "Địa bàn nhận",
            "Số hộ",
            "Số người",
            "Người lập",
            "Người duyệt",
            "Trạng thái",
        ]
    )
    for d in queryset.iterator(chunk_size=2000):
        sheet.row(
            [
                d.voucher_label,
                d.value_date,
                str(DisbursementKind(d.kind).label),
                d.purpose,
                str(HelpKind(d.help_kind).label) if d.help_kind else "",
                d.amount,
                d.recipient_unit.name if d.recipient_unit_id else "",
                d.households if d.households is not None else "",
                d.people if d.people is not None else "",
                d.drafted_by.get_full_name(),
                d.decided_by.get_full_name() if d.decided_by_id else "",
                str(DisbursementStatus(d.status).label),
            ]
        )
    return sheet.save()


def book(book: Book, *, unit_name: str) -> bytes:
    """A cash book (Sổ quỹ tiền mặt) or bank book (Sổ tiền gửi ngân hàng) in the usual layout."""
    account = book.account
    bank = account.kind == AccountKind.BANK
    sheet = Sheet("So")
    title = (
        "SỔ TIỀN GỬI NGÂN HÀNG"
        if bank
        else "SỔ QUỸ TIỀN MẶT"
        if account.kind == AccountKind.CASH
        else "SỔ CHI TIẾT"
    )
    lines = [title, f"Đơn vị: {unit_name}", f"Quỹ: {account.fund.name}", f"Tài khoản: {account}"]
    if bank:
        b = account.bank_account
        lines += [
            f"Nơi mở tài khoản giao dịch: {b.bank_name} {b.branch}".strip(),
            f"Số hiệu tài khoản: {b.account_number}",
        ]
    lines.append(f"Từ ngày {book.date_from:%d/%m/%Y} đến ngày {book.date_to:%d/%m/%Y}")
    sheet.title(*lines)
    sheet.widths(12, 18, 12, 50, 30, 16, 16, 16)
    in_label, out_label = ("Gửi vào", "Rút ra") if bank else ("Thu", "Chi")
    sheet.header(
        [
            "Ngày ghi sổ",
            "Số hiệu chứng từ",
            "Ngày chứng từ",
            "Diễn giải",
            "Tài khoản đối ứng",
            in_label,
            out_label,
            "Còn lại" if bank else "Tồn",
        ]
    )
    sheet.row(["", "", "", "Số dư đầu kỳ", "", "", "", book.opening])
    entries = book.entries
    chunk = 2000
    start = 0
    while True:
        page = list(entries[start : start + chunk])
        if not page:
            break
        for r in book_rows(book, page):
            e = r.entry
            sheet.row(
                [
                    timezone.localtime(e.posted_at).date(),
                    e.posting.voucher,
                    e.value_date,
                    e.posting.description,
                    r.counterpart,
                    r.increase or "",
                    r.decrease or "",
                    r.balance,
                ]
            )
        start += chunk
    sheet.row(["", "", "", "Cộng phát sinh trong kỳ", "", book.increase, book.decrease, ""])
    sheet.row(["", "", "", "Số dư cuối kỳ", "", "", "", book.closing])
    return sheet.save()


def movements(fund, rows, date_from: dt.date, date_to: dt.date) -> bytes:
    sheet = Sheet("Bien dong")
    sheet.title(f"BIẾN ĐỘNG QUỸ: {fund.name}", f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}")
    sheet.widths(40, 18, 6, 18, 18, 18, 6)
    sheet.header(["Tài khoản", "Số dư đầu kỳ", "", "Phát sinh Nợ", "Phát sinh Có", "Số dư cuối kỳ", ""])
    for m in rows:
        sheet.row(
            [str(m.account), m.opening_abs, m.opening_side, m.debit, m.credit, m.closing_abs, m.closing_side]
        )
    return sheet.save()
