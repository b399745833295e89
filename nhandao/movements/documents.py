"""The list of a commendation proposal as a DOCX in the layout of Decree 30/2020/NĐ-CP.

The page, styles and letterhead helpers are the shared ones (`nhandao.core.docx30`): its
template carries the A4 page, margins, Times New Roman and page numbers.  All use of them is in
`proposal_docx`, so that moving them to a shared module changes this one function.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from nhandao.core import docx30 as d30

from .models import Proposal, ProposalLevel, ProposalStatus

RECIPIENT = {
    ProposalLevel.CENTRAL: "Trung ương Hội Chữ thập đỏ Việt Nam",
    ProposalLevel.CITY_COMMITTEE: "Ủy ban nhân dân thành phố Hải Phòng",
    ProposalLevel.CITY_SOCIETY: "Ban Thường vụ Hội Chữ thập đỏ thành phố",
}


def proposal_rows(proposal: Proposal) -> list[list[str]]:
    items = proposal.items.select_related("unit", "person").order_by("person_id", "id")
    if proposal.status in (ProposalStatus.REVIEWED, ProposalStatus.DECIDED):
        items = items.filter(accepted=True)
    rows = []
    for n, item in enumerate(items, start=1):
        who = item.unit.name if item.unit_id else item.person.full_name
        kind = "Tập thể" if item.unit_id else "Cá nhân"
        rows.append([str(n), who, kind, item.reason])
    return rows


def proposal_docx(proposal: Proposal, *, on=None) -> bytes:
    letterhead = d30.Letterhead()
    doc = Document(str(d30.TEMPLATE))
    head = doc.add_table(rows=1, cols=2)
    d30.no_borders(head)
    d30.widths(head, [6.7, 9.8])
    left, right = head.rows[0].cells
    d30.line(left, letterhead.parent, 12, first=True)
    d30.line(left, proposal.unit.name.upper(), 12, bold=True)
    d30.line(left, "Số:      /DS-CTĐ", 13)
    d30.line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, first=True)
    d30.line(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    d30.line(right, d30.date_line(letterhead.place, on or proposal.decided_on), 14, italic=True)
    doc.add_paragraph()
    title = d30.styled(doc, "Title")
    title.add_run("DANH SÁCH")
    excerpt = d30.styled(doc, "Title")
    excerpt.add_run(f"Đề nghị {proposal.title} năm {proposal.year}")
    d30.body(doc, f"Kính gửi: {RECIPIENT[proposal.level]}.", italic=True)
    if proposal.decision_number:
        d30.body(doc, f"Kèm theo Quyết định số {proposal.decision_number}.")
    rows = proposal_rows(proposal)
    table = doc.add_table(rows=len(rows) + 1, cols=4)
    table.style = doc.styles["Table Grid"]
    for i, text in enumerate(["STT", "Tập thể, cá nhân", "Loại", "Thành tích"]):
        d30.line(table.cell(0, i), text, 12, bold=True, first=True)
    for r, values in enumerate(rows, start=1):
        for i, text in enumerate(values):
            d30.line(
                table.cell(r, i),
                text,
                12,
                align=WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT,
                first=True,
            )
    d30.widths(table, [1.2, 5.5, 2.0, 7.8])
    d30.body(doc, f"Danh sách gồm {len(rows)} tập thể, cá nhân./.")
    sign = doc.add_table(rows=1, cols=2)
    d30.no_borders(sign)
    d30.widths(sign, [8.0, 8.0])
    left, right = sign.rows[0].cells
    d30.line(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for recipient in (RECIPIENT[proposal.level], "Lưu: VT"):
        d30.line(left, f"- {recipient};", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    d30.line(right, letterhead.authority, 14, bold=True, first=True)
    d30.line(right, letterhead.title, 14, bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
