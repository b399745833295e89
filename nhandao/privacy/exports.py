"""The access export: everything held about a person, as JSON and as a readable A4 PDF.

Gathered through `core.subjects` (each app contributes its sections).  The PDF is laid
out by `core.pdf30` (Decree 30; it loads fpdf2 only when a PDF is made).
"""

from __future__ import annotations

import json

from django.utils import timezone

from nhandao.core import pdf30, subjects

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


def pdf(data: dict, *, number: str, unit=None) -> bytes:
    """The answer to the request, issued by the unit that handles it (`unit`), in the Decree 30 layout."""
    doc = pdf30.new_document(
        title=f"Dữ liệu cá nhân đang lưu giữ — {number}", author=unit.name if unit else ""
    )
    width = pdf30.text_width(doc)

    def para(text: str, size: int = 12, style: str = "", align: str = "L", h: float = 6) -> None:
        doc.set_font(pdf30.FAMILY, style, size)
        doc.multi_cell(width, h, text, align=align, new_x="LMARGIN", new_y="NEXT")

    parent = unit.parent.name if unit is not None and unit.parent_id else "Hội Chữ thập đỏ Việt Nam"
    pdf30.letterhead(
        doc,
        pdf30.Letterhead(
            above=parent, issuer=unit.name if unit else "Hội Chữ thập đỏ Việt Nam", reference=number
        ),
        on=timezone.localdate(),
    )
    pdf30.title(doc, ["DỮ LIỆU CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ"])
    para(f"Trả lời yêu cầu {number} (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15)", 11, "I", "C")
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
                if line:  # a row with nothing filled in prints no empty bullet
                    para(f"• {line}", 11)
    doc.ln(4)
    pdf30.signature(
        doc,
        authority=f"TM. {unit.name.upper()}" if unit else "",
        title="",
        recipients=("Người yêu cầu", "Lưu: hồ sơ yêu cầu"),
    )
    return pdf30.to_bytes(doc)
