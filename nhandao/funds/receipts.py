"""Receipts (biên nhận) for gifts: print-ready HTML and an A4 PDF in the Decree 30/2020 style.

Both carry the unit's header, the receipt's book and number, the amount in
figures and in words, the goods given in kind, and a QR code linking to the
public verification page (an opaque code, not the database id).

fpdf2 is imported inside `pdf`: only a PDF receipt needs it, not every process.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.utils.safestring import mark_safe

from nhandao.core import fonts
from nhandao.core.formatting import number
from nhandao.core.vnwords import amount_in_words
from nhandao.geo.models import Province

from .models import Channel, Donation

# fontTools reports every font subset at INFO: keep the logs for what matters.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def long_date(day: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2026' (Decree 30: a leading zero for days < 10 and months 1–2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_name(unit) -> str:
    """The place written before the date: the province of the unit ('Hải Phòng')."""
    province = getattr(unit, "province", None)
    if province is None and getattr(unit, "ward_id", None):
        province = unit.ward.province
    if province is None:
        province = Province.objects.filter(pk=settings.NHANDAO_DEFAULT_PROVINCE_CODE).first()
    name = province.name if province else ""
    for prefix in ("Thành phố ", "Tỉnh "):
        name = name.removeprefix(prefix)
    return name


def _qty(value) -> str:
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    if "." in text:
        whole, frac = text.split(".")
        return f"{number(int(whole))},{frac}"
    return number(int(text))


@dataclass
class Receipt:
    donation: Donation
    verify_url: str
    header_above: str
    header_unit: str
    place: str
    date_text: str
    words: str
    items: list[dict] = field(default_factory=list)
    reversed_on: dt.date | None = None

    @property
    def qr_svg(self) -> str:
        return mark_safe(segno.make(self.verify_url, error="m").svg_inline(scale=3, border=2))

    def qr_png(self) -> bytes:
        buf = io.BytesIO()
        segno.make(self.verify_url, error="m").save(buf, kind="png", scale=6, border=2)
        return buf.getvalue()


def build(donation: Donation, verify_url: str) -> Receipt:
    unit = donation.unit
    parent = unit.parent
    items = [
        {"name": i.name, "unit_label": i.unit_label, "quantity": _qty(i.quantity), "value": i.value}
        for i in donation.items.order_by("id")
    ]
    reversal = donation.postings.filter(kind="reversal").order_by("id").first()
    return Receipt(
        donation=donation,
        verify_url=verify_url,
        header_above=(parent.name if parent else "Hội Chữ thập đỏ Việt Nam").upper(),
        header_unit=unit.name.upper(),
        place=place_name(unit),
        date_text=long_date(donation.received_on),
        words=amount_in_words(donation.amount),
        items=items,
        reversed_on=reversal.value_date if reversal else None,
    )


def _channel_text(d: Donation) -> str:
    text = str(Channel(d.channel).label)
    if d.channel == Channel.BANK and d.bank_account_id:
        text += f" vào tài khoản {d.bank_account.account_number} ({d.bank_account.bank_name})"
        if d.external_ref:
            text += f", mã giao dịch {d.external_ref}"
    return text


def pdf(receipt: Receipt) -> bytes:
    """An A4 PDF: margins 20/15/20/30 mm, DejaVu Serif (renders Vietnamese without system fonts)."""
    from fpdf import FPDF

    d = receipt.donation
    doc = FPDF(format="A4", unit="mm")
    doc.set_margins(left=30, top=20, right=15)
    doc.set_auto_page_break(True, margin=20)
    doc.add_font("Serif", "", fonts.path("DejaVuSerif.ttf"))
    doc.add_font("Serif", "B", fonts.path("DejaVuSerif-Bold.ttf"))
    doc.add_font("Serif", "I", fonts.path("DejaVuSerif-Italic.ttf"))
    doc.set_title(f"Biên nhận {d.receipt_label}")
    doc.set_subject(f"{number(d.amount)} đồng - {receipt.words}")
    doc.set_author(d.unit.name)
    doc.add_page()
    width = doc.w - doc.l_margin - doc.r_margin
    left_w, right_w = width * 0.45, width * 0.55
    top = doc.get_y()

    def column(x: float, w: float, h: float, style: str, size: int, text: str) -> None:
        doc.set_x(x)
        doc.set_font("Serif", style, size)
        doc.multi_cell(w, h, text, align="C", new_x="LMARGIN", new_y="NEXT")

    left_x, right_x = doc.l_margin, doc.l_margin + left_w
    column(left_x, left_w, 5, "", 10, receipt.header_above)
    column(left_x, left_w, 5, "B", 10, receipt.header_unit)
    column(left_x, left_w, 5, "", 10, f"Số: {d.receipt_label}")
    left_bottom = doc.get_y()
    doc.set_y(top)
    column(right_x, right_w, 5, "B", 10, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    column(right_x, right_w, 6, "B", 11, "Độc lập - Tự do - Hạnh phúc")
    column(right_x, right_w, 6, "I", 10, f"{receipt.place}, {receipt.date_text}")
    doc.set_y(max(left_bottom, doc.get_y()) + 8)

    doc.set_font("Serif", "B", 15)
    doc.cell(width, 8, "BIÊN NHẬN ỦNG HỘ", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Serif", "", 11)
    doc.cell(
        width,
        6,
        f"Quyển số: {d.receipt_year}    Số: {d.receipt_number:06d}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if receipt.reversed_on:
        doc.set_font("Serif", "B", 12)
        doc.set_text_color(170, 0, 0)
        doc.cell(
            width,
            8,
            f"ĐÃ HỦY bằng bút toán đảo ngày {receipt.reversed_on:%d/%m/%Y}",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        doc.set_text_color(0, 0, 0)
    doc.ln(4)

    def row(label: str, value: str, bold: bool = False):
        doc.set_font("Serif", "", 12)
        doc.cell(48, 7, label)
        doc.set_font("Serif", "B" if bold else "", 12)
        doc.multi_cell(width - 48, 7, value, new_x="LMARGIN", new_y="NEXT")

    row("Người ủng hộ:", d.donor_name or "Nhà hảo tâm", bold=True)
    if d.donor_id and d.donor.address:
        row("Địa chỉ:", d.donor.address)
    row("Hình thức:", _channel_text(d))
    row("Ủng hộ cho:", d.campaign.name if d.campaign_id else d.fund.name)
    if receipt.items:
        doc.ln(2)
        cols = [(10, "STT"), (62, "Tên hàng"), (22, "ĐVT"), (26, "Số lượng"), (width - 120, "Giá trị (đồng)")]
        doc.set_font("Serif", "B", 10)
        for w, title in cols:
            doc.cell(w, 7, title, border=1, align="C")
        doc.ln()
        doc.set_font("Serif", "", 10)
        for n, item in enumerate(receipt.items, 1):
            values = [str(n), item["name"], item["unit_label"], item["quantity"], number(item["value"])]
            aligns = ["C", "L", "C", "R", "R"]
            for (w, _title), value, align in zip(cols, values, aligns, strict=True):
                doc.cell(w, 7, value[:40], border=1, align=align)
            doc.ln()
        doc.ln(2)
        row("Tổng giá trị:", f"{number(d.amount)} đồng", bold=True)
    else:
        row("Số tiền:", f"{number(d.amount)} đồng", bold=True)
    row("Bằng chữ:", receipt.words)
    if d.currency != "VND" and d.original_amount is not None:
        row("Nguyên tệ:", f"{d.original_amount} {d.currency}, tỷ giá {d.exchange_rate.normalize():f}")
    if d.note:
        row("Ghi chú:", d.note)
    row("Công khai là:", d.public_name)
    doc.ln(8)

    third = width / 3
    doc.set_font("Serif", "B", 11)
    for title in ("NGƯỜI ỦNG HỘ", "NGƯỜI NHẬN", "THỦ TRƯỞNG ĐƠN VỊ"):
        doc.cell(third, 6, title, align="C")
    doc.ln()
    doc.set_font("Serif", "I", 9)
    for _title in range(3):
        doc.cell(third, 5, "(Ký, ghi rõ họ tên)", align="C")
    doc.ln(28)

    y = doc.get_y()
    if y > doc.h - 60:
        doc.add_page()
        y = doc.get_y()
    doc.image(io.BytesIO(receipt.qr_png()), x=doc.l_margin, y=y, w=28, h=28)
    doc.set_xy(doc.l_margin + 32, y + 4)
    doc.set_font("Serif", "", 9)
    doc.multi_cell(
        width - 32,
        5,
        "Quét mã QR để kiểm tra khoản ủng hộ này trên cổng thông tin minh bạch:\n" + receipt.verify_url,
    )
    return bytes(doc.output())
