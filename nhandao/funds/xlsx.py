"""The fund's XLSX exports, written by the core exporter (`nhandao.core.exports`).

Each function describes its columns and rows and answers the download.  The cash and
bank books and the fund movements follow the official forms, so their headers and
title lines stay Vietnamese whatever the reader's language (`language="vi"`); the
donation and disbursement lists have headers in the reader's language.  Every fund
export carries names of donors or staff and is audited ("core.export").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from nhandao.core.exports import ExportColumn, export_response

from .models import AccountKind, Channel, DisbursementKind, DisbursementStatus, HelpKind, RecordStatus
from .selectors import Book, book_rows

_ = gettext_lazy
CHUNK = 2000
OFFICIAL = "vi"  # the official forms keep their Vietnamese headers


def _labels(choices) -> dict[str, str]:
    """value -> label in the current language, translated once per download (not once per row)."""
    return {value: str(label) for value, label in choices.choices}


def donations(queryset, *, actor, filters: dict, title: str) -> HttpResponse:
    channels, statuses = _labels(Channel), _labels(RecordStatus)
    columns = [
        ExportColumn(
            lambda r: f"BN{r['receipt_year']}-{r['receipt_number']:06d}", _("Số biên nhận"), width=16
        ),
        ExportColumn("received_on", _("Ngày nhận"), kind="date", width=12),
        ExportColumn("donor_name", _("Người ủng hộ"), personal=True, width=30),
        ExportColumn("public_name", _("Hiển thị công khai"), width=22),
        ExportColumn(lambda r: channels[r["channel"]], _("Hình thức"), width=14),
        ExportColumn("amount", _("Số tiền (đồng)"), kind="money", width=16),
        ExportColumn("currency", _("Loại tiền"), width=8),
        ExportColumn("original_amount", _("Nguyên tệ"), width=12),
        ExportColumn(
            lambda r: r["exchange_rate"].normalize() if r["exchange_rate"] is not None else None,
            _("Tỷ giá"),
            width=12,
        ),
        ExportColumn("fund__name", _("Quỹ"), width=36),
        ExportColumn("campaign__name", _("Cuộc vận động"), width=30),
        ExportColumn("external_ref", _("Số tham chiếu"), width=22),
        ExportColumn(lambda r: statuses[r["status"]], _("Trạng thái"), width=14),
    ]
    rows = queryset.select_related(None).values(
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
    return export_response(
        actor=actor,
        columns=columns,
        rows=rows.iterator(chunk_size=CHUNK),
        fmt="xlsx",
        filename="ung-ho",
        what="funds.donation",
        filters=filters,
        title=gettext("Ủng hộ"),
        preamble=[title],
        personal_data=True,
    )


def disbursements(queryset, *, actor, filters: dict, title: str) -> HttpResponse:
    kinds, help_kinds, statuses = _labels(DisbursementKind), _labels(HelpKind), _labels(DisbursementStatus)
    columns = [
        ExportColumn("voucher_label", _("Số phiếu"), width=14),
        ExportColumn("value_date", _("Ngày chi"), kind="date", width=12),
        ExportColumn(lambda d: kinds[d.kind], _("Loại"), width=30),
        ExportColumn("purpose", _("Nội dung"), width=40),
        ExportColumn(lambda d: help_kinds.get(d.help_kind, ""), _("Hình thức hỗ trợ"), width=18),
        ExportColumn("amount", _("Số tiền (đồng)"), kind="money", width=16),
        ExportColumn(
            lambda d: d.recipient_unit.name if d.recipient_unit_id else "", _("Địa bàn nhận"), width=28
        ),
        ExportColumn("households", _("Số hộ"), kind="int", width=10),
        ExportColumn("people", _("Số người"), kind="int", width=10),
        ExportColumn(lambda d: d.drafted_by.get_full_name(), _("Người lập"), personal=True, width=22),
        ExportColumn(
            lambda d: d.decided_by.get_full_name() if d.decided_by_id else "",
            _("Người duyệt"),
            personal=True,
            width=22,
        ),
        ExportColumn(lambda d: statuses[d.status], _("Trạng thái"), width=24),
    ]
    return export_response(
        actor=actor,
        columns=columns,
        rows=queryset.iterator(chunk_size=CHUNK),
        fmt="xlsx",
        filename="khoan-chi",
        what="funds.disbursement",
        filters=filters,
        title=gettext("Chi"),
        preamble=[title],
        personal_data=True,
    )


def _book_rows(book: Book) -> Iterator[tuple]:
    """(posted, voucher, value date, description, counterpart, in, out, balance) lines of the form."""
    yield (None, "", None, "Số dư đầu kỳ", "", None, None, book.opening)
    start = 0
    while page := list(book.entries[start : start + CHUNK]):
        for r in book_rows(book, page):
            e = r.entry
            yield (
                timezone.localtime(e.posted_at).date(),
                e.posting.voucher,
                e.value_date,
                e.posting.description,
                r.counterpart,
                r.increase or None,
                r.decrease or None,
                r.balance,
            )
        start += CHUNK
    yield (None, "", None, "Cộng phát sinh trong kỳ", "", book.increase, book.decrease, None)
    yield (None, "", None, "Số dư cuối kỳ", "", None, None, book.closing)


def _at(i: int):
    return lambda row: row[i]


def book(book: Book, *, unit, actor, filters: dict) -> HttpResponse:
    """A cash book (Sổ quỹ tiền mặt) or bank book (Sổ tiền gửi ngân hàng) in the usual layout."""
    account = book.account
    bank = account.kind == AccountKind.BANK
    title = (
        "SỔ TIỀN GỬI NGÂN HÀNG"
        if bank
        else "SỔ QUỸ TIỀN MẶT"
        if account.kind == AccountKind.CASH
        else "SỔ CHI TIẾT"
    )
    lines = [title, f"Đơn vị: {unit.name}", f"Quỹ: {account.fund.name}", f"Tài khoản: {account}"]
    if bank:
        b = account.bank_account
        lines += [
            f"Nơi mở tài khoản giao dịch: {b.bank_name} {b.branch}".strip(),
            f"Số hiệu tài khoản: {b.account_number}",
        ]
    lines.append(f"Từ ngày {book.date_from:%d/%m/%Y} đến ngày {book.date_to:%d/%m/%Y}")
    in_label, out_label = (_("Gửi vào"), _("Rút ra")) if bank else (_("Thu"), _("Chi"))
    columns = [
        ExportColumn(_at(0), _("Ngày ghi sổ"), kind="date", width=12),
        ExportColumn(_at(1), _("Số hiệu chứng từ"), width=18),
        ExportColumn(_at(2), _("Ngày chứng từ"), kind="date", width=12),
        ExportColumn(_at(3), _("Diễn giải"), personal=True, width=50),
        ExportColumn(_at(4), _("Tài khoản đối ứng"), width=30),
        ExportColumn(_at(5), in_label, kind="money", width=16),
        ExportColumn(_at(6), out_label, kind="money", width=16),
        ExportColumn(_at(7), _("Còn lại") if bank else _("Tồn"), kind="money", width=16),
    ]
    return export_response(
        actor=actor,
        columns=columns,
        rows=_book_rows(book),
        fmt="xlsx",
        filename=f"so-{account.kind}-{account.pk}",
        what="funds.account",
        unit=unit,
        filters=filters,
        title="So",
        preamble=lines,
        language=OFFICIAL,
        personal_data=True,
    )


def movements(fund, rows, date_from: dt.date, date_to: dt.date, *, actor, filters: dict) -> HttpResponse:
    columns = [
        ExportColumn(lambda m: str(m.account), _("Tài khoản"), width=40),
        ExportColumn("opening_abs", _("Số dư đầu kỳ"), kind="money", width=18),
        ExportColumn("opening_side", "", width=6),
        ExportColumn("debit", _("Phát sinh Nợ"), kind="money", width=18),
        ExportColumn("credit", _("Phát sinh Có"), kind="money", width=18),
        ExportColumn("closing_abs", _("Số dư cuối kỳ"), kind="money", width=18),
        ExportColumn("closing_side", "", width=6),
    ]
    return export_response(
        actor=actor,
        columns=columns,
        rows=rows,
        fmt="xlsx",
        filename=f"bien-dong-quy-{fund.pk}",
        what="funds.fund",
        unit=fund.unit,
        filters=filters,
        title="Bien dong",
        preamble=[
            f"BIẾN ĐỘNG QUỸ: {fund.name}",
            f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}",
        ],
        language=OFFICIAL,
        personal_data=True,
    )
