"""The city's consolidated report of a round as a DOCX in the layout of Decree 30/2020/NĐ-CP.

The template, the styles and the shared blocks (letterhead, signature, tables) live in
`nhandao.core.docx30`, for every app; this module writes the report's own sections.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Pt

from nhandao.core import docx30
from nhandao.core.docx30 import TEMPLATE, Letterhead, date_line  # noqa: F401  (plans' names)
from nhandao.core.formatting import money, number

_styled, _body, _heading, _table = docx30.styled, docx30.body, docx30.heading, docx30.table


def render(content: dict, *, letterhead: Letterhead | None = None, template: Path = TEMPLATE) -> bytes:
    """The DOCX of a consolidated report described by `content` (see plans.reporting.document_content)."""
    letterhead = letterhead or Letterhead()
    doc = docx30.new_document(template)
    docx30.letterhead_block(doc, letterhead, reference=content["reference"], issued_on=content["issued_on"])
    title = _styled(doc, "Title")
    title.add_run("BÁO CÁO")
    excerpt = _styled(doc, "Title")
    excerpt.add_run(content["excerpt"])
    _body(doc, content["intro"])

    _heading(doc, "I. KẾT QUẢ THỰC HIỆN", 1)
    _heading(doc, "1. Tình hình báo cáo của các đơn vị", 2)
    _body(doc, content["progress"])
    _heading(doc, "2. Kết quả theo các chỉ tiêu", 2)
    _body(doc, content["figures_note"], italic=True).paragraph_format.keep_with_next = True
    _table(
        doc,
        ["Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng, giảm"],
        [[r["label"], r["value"], r["before"], r["change"]] for r in content["figures"]],
        [7.0, 3.2, 3.2, 2.6],
    )
    for breakdown in content.get("breakdowns") or []:
        caption = _body(doc, breakdown["title"], italic=True)
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.keep_with_next = True
        n = len(breakdown["header"]) - 1
        grid = _table(doc, breakdown["header"], breakdown["rows"], [16.0 - 3.8 * n] + [3.8] * n)
        for cell in grid.rows[-1].cells:  # the total line
            for run in cell.paragraphs[0].runs:
                run.bold = True
    _heading(doc, "3. Kết quả thực hiện các nhiệm vụ theo nội dung Kế hoạch", 2)
    for block in content["duties"]:
        # A duty's title stays on the page of its first line.
        _body(doc, block["title"], bold=True).paragraph_format.keep_with_next = True
        for line in block["lines"]:
            _body(doc, "- " + line)
    _heading(doc, "II. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", 1)
    _heading(doc, "1. Khó khăn, vướng mắc", 2)
    for line in content["difficulties"] or ["Không có khó khăn, vướng mắc được báo cáo."]:
        _body(doc, "- " + line)
    _heading(doc, "2. Đề xuất, kiến nghị", 2)
    for line in content["proposals"] or ["Không có đề xuất, kiến nghị."]:
        _body(doc, "- " + line)
    _heading(doc, "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1)
    for line in content["next_tasks"]:
        _body(doc, "- " + line)
    _body(doc, "Trên đây là báo cáo " + content["closing"] + "./.")

    docx30.signature_block(doc, letterhead, signer=content.get("signer", ""))
    return docx30.to_bytes(doc)


def figure_text(value: int | None, is_money: bool) -> str:
    if value is None:
        return "—"
    return money(value) if is_money else number(value)
