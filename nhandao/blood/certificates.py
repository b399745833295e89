"""The certificate of voluntary blood donation (Giấy chứng nhận hiến máu tình nguyện) as an A4 PDF.

QĐ 122/QĐ-BCĐQG 2017: each donation gives the donor a certificate.  Layout in the Decree
30/2020 style of the receipts (funds/receipts.py: the place and long date come from there);
DejaVu Serif renders Vietnamese without system fonts.  fpdf2 is imported inside `pdf`: only
a certificate needs it, not every process.
"""

from __future__ import annotations

from nhandao.core import fonts
from nhandao.funds.receipts import long_date, place_name

from .models import Donation


def pdf(donation: Donation) -> bytes:
    from fpdf import FPDF

    person = donation.donor.person
    unit = donation.unit
    doc = FPDF(format="A4", orientation="L", unit="mm")
    doc.set_margins(left=30, top=20, right=15)
    doc.set_auto_page_break(False)
    doc.add_font("Serif", "", fonts.path("DejaVuSerif.ttf"))
    doc.add_font("Serif", "B", fonts.path("DejaVuSerif-Bold.ttf"))
    doc.add_font("Serif", "I", fonts.path("DejaVuSerif-Italic.ttf"))
    doc.set_title(f"Giấy chứng nhận hiến máu tình nguyện {donation.bag_number}")
    doc.set_author(unit.name)
    doc.add_page()
    width = doc.w - doc.l_margin - doc.r_margin
    doc.set_draw_color(176, 13, 39)
    doc.set_line_width(1.2)
    doc.rect(12, 12, doc.w - 24, doc.h - 24)

    def line(text: str, size: int, style: str = "", h: float = 8) -> None:
        doc.set_font("Serif", style, size)
        doc.multi_cell(width, h, text, align="C", new_x="LMARGIN", new_y="NEXT")

    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "B", 6)
    line("Độc lập - Tự do - Hạnh phúc", 13, "B", 7)
    doc.ln(6)
    line("BAN CHỈ ĐẠO VẬN ĐỘNG HIẾN MÁU TÌNH NGUYỆN", 12, "B", 6)
    line(unit.name.upper(), 11, "", 6)
    doc.ln(8)
    doc.set_text_color(176, 13, 39)
    line("GIẤY CHỨNG NHẬN HIẾN MÁU TÌNH NGUYỆN", 22, "B", 12)
    doc.set_text_color(0, 0, 0)
    doc.ln(4)
    line("Chứng nhận Ông/Bà", 13, "", 8)
    line(person.full_name.upper(), 18, "B", 10)
    born = person.birth_display
    if born:
        line(f"Sinh ngày: {born}", 12, "", 7)
    volume = (
        f"{donation.volume_ml} ml {donation.get_kind_display().lower()}"
        if donation.volume_ml
        else (donation.get_kind_display().lower())
    )
    where = f" tại {donation.drive.name}" if donation.drive_id else ""
    line(f"Đã hiến {volume} ngày {donation.donated_on:%d/%m/%Y}{where}.", 13, "", 8)
    line(f"Số túi máu: {donation.bag_number}", 11, "", 7)
    doc.ln(4)
    line("Giọt máu cho đi, cuộc đời ở lại.", 12, "I", 7)
    doc.ln(6)
    doc.set_font("Serif", "I", 12)
    doc.cell(
        width,
        7,
        f"{place_name(unit)}, {long_date(donation.donated_on)}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.set_font("Serif", "B", 12)
    doc.cell(width, 7, "TM. BAN CHỈ ĐẠO", align="R")
    return bytes(doc.output())
