"""Receipts (biên nhận) for gifts: print-ready HTML and an A4 PDF in the Decree 30/2020 style.

Both carry the unit's header, the receipt's book and number, the amount in
figures and in words, the goods given in kind, and a QR code linking to the
public verification page (an opaque code, not the database id).

The PDF's layout is the shared one of `core.pdf30` (it loads fpdf2 only when a PDF is made).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.utils.safestring import mark_safe

from nhandao.core import pdf30
from nhandao.core.formatting import long_date, number, quantity
from nhandao.core.vnwords import amount_in_words
from nhandao.geo.models import Province

from .models import Channel, Donation


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
        {"name": i.name, "unit_label": i.unit_label, "quantity": quantity(i.quantity), "value": i.value}
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
    """An A4 PDF in the Decree 30 layout of `core.pdf30` (the unit's name on one line of the header)."""
    d = receipt.donation
    doc = pdf30.new_document(title=f"Biên nhận {d.receipt_label}", author=d.unit.name)
    doc.set_subject(f"{number(d.amount)} đồng - {receipt.words}")
    width = pdf30.text_width(doc)
    pdf30.letterhead(
        doc,
        pdf30.Letterhead(
            above=receipt.header_above,
            issuer=receipt.header_unit,
            place=receipt.place,
            reference=d.receipt_label,
        ),
        on=d.received_on,
        size=11,
    )

    doc.set_font(pdf30.FAMILY, "B", 15)
    doc.cell(width, 8, "BIÊN NHẬN ỦNG HỘ", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(pdf30.FAMILY, "", 11)
    doc.cell(
        width,
        6,
        f"Quyển số: {d.receipt_year}    Số: {d.receipt_number:06d}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if receipt.reversed_on:
        doc.set_font(pdf30.FAMILY, "B", 12)
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
        doc.set_font(pdf30.FAMILY, "", 12)
        doc.cell(48, 7, label)
        doc.set_font(pdf30.FAMILY, "B" if bold else "", 12)
        doc.multi_cell(width - 48, 7, value, new_x="LMARGIN", new_y="NEXT")

    row("Người ủng hộ:", d.donor_name or "Nhà hảo tâm", bold=True)
    if d.donor_id and d.donor.address:
        row("Địa chỉ:", d.donor.address)
    row("Hình thức:", _channel_text(d))
    row("Ủng hộ cho:", d.campaign.name if d.campaign_id else d.fund.name)
    if receipt.items:
        doc.ln(2)
        pdf30.table(
            doc,
            ["STT", "Tên hàng", "ĐVT", "Số lượng", "Giá trị (đồng)"],
            [0.08, 0.4, 0.14, 0.16, 0.22],
            [
                [str(n), item["name"], item["unit_label"], item["quantity"], number(item["value"])]
                for n, item in enumerate(receipt.items, 1)
            ],
            aligns=["CENTER", "LEFT", "CENTER", "RIGHT", "RIGHT"],
            size=10,
        )
        row("Tổng giá trị:", f"{number(d.amount)} đồng", bold=True)
    else:
        row("Số tiền:", f"{number(d.amount)} đồng", bold=True)
    row("Bằng chữ:", receipt.words)
    if d.currency != "VND" and d.original_amount is not None:
        row(
            "Nguyên tệ:", f"{quantity(d.original_amount)} {d.currency}, tỷ giá {quantity(d.exchange_rate, 6)}"
        )
    if d.note:
        row("Ghi chú:", d.note)
    row("Công khai là:", d.public_name)
    doc.ln(8)

    third = width / 3
    doc.set_font(pdf30.FAMILY, "B", 11)
    for title in ("NGƯỜI ỦNG HỘ", "NGƯỜI NHẬN", "THỦ TRƯỞNG ĐƠN VỊ"):
        doc.cell(third, 6, title, align="C")
    doc.ln()
    doc.set_font(pdf30.FAMILY, "I", 9)
    for _title in range(3):
        doc.cell(third, 5, "(Ký, ghi rõ họ tên)", align="C")
    doc.ln(28)

    y = doc.get_y()
    if y > doc.h - 60:
        doc.add_page()
        y = doc.get_y()
    doc.image(io.BytesIO(receipt.qr_png()), x=doc.l_margin, y=y, w=28, h=28)
    doc.set_xy(doc.l_margin + 32, y + 4)
    doc.set_font(pdf30.FAMILY, "", 9)
    doc.multi_cell(
        width - 32,
        5,
        "Quét mã QR để kiểm tra khoản ủng hộ này trên cổng thông tin minh bạch:\n" + receipt.verify_url,
    )
    return pdf30.to_bytes(doc)
