"""The access export: everything held about a person, as JSON and as a readable A4 PDF.

Gathered through `core.subjects` (each app contributes its sections).  DejaVu Serif renders
Vietnamese without system fonts; fpdf2 is imported inside `pdf` (only this export needs it).
"""

from __future__ import annotations

import json

from django.utils import timezone

from nhandao.core import fonts, subjects

from . import shredder


def gather(person) -> dict:
    sections = shredder.collect(person)
    return {
        "format": "nhandao-subject-data-v1",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "person_id": person.pk,
        "sources": {
            entry.name: {
                "label": str(entry.label),
                "sections": [{"title": s.title, "rows": s.rows} for s in sections.get(entry.name, [])],
            }
            for entry in subjects.registered()
        },
    }


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def pdf(data: dict, *, number: str) -> bytes:
    from fpdf import FPDF

    doc = FPDF(format="A4", unit="mm")
    doc.set_margins(left=30, top=20, right=15)
    doc.set_auto_page_break(True, margin=20)
    doc.add_font("Serif", "", fonts.path("DejaVuSerif.ttf"))
    doc.add_font("Serif", "B", fonts.path("DejaVuSerif-Bold.ttf"))
    doc.add_font("Serif", "I", fonts.path("DejaVuSerif-Italic.ttf"))
    doc.set_title(f"Dữ liệu cá nhân đang lưu giữ — {number}")
    doc.add_page()
    width = doc.w - doc.l_margin - doc.r_margin

    def para(text: str, size: int = 12, style: str = "", align: str = "L", h: float = 6) -> None:
        doc.set_font("Serif", style, size)
        doc.multi_cell(width, h, text, align=align, new_x="LMARGIN", new_y="NEXT")

    para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "B", "C")
    para("Độc lập - Tự do - Hạnh phúc", 13, "B", "C")
    doc.ln(6)
    para("DỮ LIỆU CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ", 15, "B", "C", 8)
    para(f"Theo yêu cầu {number} (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15)", 11, "I", "C")
    generated = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    para(f"Lập lúc {generated}", 11, "I", "C")
    for source in data["sources"].values():
        if not source["sections"]:
            continue
        doc.ln(4)
        para(source["label"].upper(), 12, "B")
        for section in source["sections"]:
            doc.ln(1)
            para(section["title"], 12, "B")
            for row in section["rows"]:
                line = "; ".join(f"{k}: {v}" for k, v in row.items() if v not in ("", None))
                para(f"• {line}" if line else "•", 11)
    return bytes(doc.output())
