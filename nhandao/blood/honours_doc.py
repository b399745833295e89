"""The honours list for the ceremony as a DOCX in the layout of Decree 30/2020/NĐ-CP
(core/docx30.py: the letterhead, the title, one table per band, the signature).

Bands are those of QĐ 122/QĐ-BCĐQG 2017 as configured (selectors.honour_bands); the list carries
names and years of birth: the view audits it as an export of personal data.
"""

from __future__ import annotations

import datetime as dt

from nhandao.core import docx30

from .selectors import Honour


def band_title(band: int) -> str:
    return "Hiến máu lần đầu" if band == 1 else f"Hiến máu tình nguyện {band} lần"


def render(honours: list[Honour], *, year: int, issuer: str, issued_on: dt.date | None = None) -> bytes:
    letterhead = docx30.Letterhead(
        issuer=issuer.upper(),
        authority="TM. BAN CHỈ ĐẠO VẬN ĐỘNG HIẾN MÁU TÌNH NGUYỆN",
        title="TRƯỞNG BAN",
        recipients=("Ban Chỉ đạo vận động hiến máu tình nguyện thành phố", "Các đơn vị có tên", "Lưu: VT"),
    )
    doc = docx30.new_document()
    docx30.letterhead_block(doc, letterhead, reference="      /DS-BCĐ", issued_on=issued_on)
    docx30.styled(doc, "Title").add_run("DANH SÁCH")
    docx30.styled(doc, "Title").add_run(f"Người hiến máu tình nguyện đạt mốc tôn vinh năm {year}")
    docx30.body(
        doc,
        f"Tổng số: {len(honours)} người. Danh sách xếp theo mốc tôn vinh, trong mỗi mốc theo đơn vị và họ tên.",
        italic=True,
    )
    bands = sorted({h.band for h in honours}, reverse=True)
    for n, band in enumerate(bands, start=1):
        rows = [h for h in honours if h.band == band]
        docx30.heading(doc, f"{n}. {band_title(band)} ({len(rows)} người)", 2)
        docx30.table(
            doc,
            ["STT", "Họ và tên", "Năm sinh", "Đơn vị", "Nhóm máu", "Số lần"],
            [
                [
                    str(i),
                    h.donor.person.full_name,
                    str(
                        h.donor.person.date_of_birth.year
                        if h.donor.person.date_of_birth
                        else h.donor.person.birth_year or ""
                    ),
                    h.donor.unit.name,
                    h.donor.blood_group or "",
                    str(h.count),
                ]
                for i, h in enumerate(rows, start=1)
            ],
            [1.2, 5.0, 1.8, 4.6, 1.8, 1.6],
            aligns=[docx30.CENTER, docx30.LEFT, docx30.CENTER, docx30.LEFT, docx30.CENTER, docx30.RIGHT],
        )
    if not honours:
        docx30.body(doc, "Không có người hiến máu đạt mốc tôn vinh trong năm.")
    docx30.signature_block(doc, letterhead)
    return docx30.to_bytes(doc)
