"""The daily sitrep (báo cáo nhanh) as files: DOCX in the Decree 30 layout (the shared
template and blocks, `core.docx30`: one home for the layout) and PDF (fpdf2, DejaVu from
core.fonts so that Vietnamese renders without system fonts).

Both are built from the same `content` (the text of the report, in Vietnamese: an official
document is issued in Vietnamese whatever the reader's interface language).  No names of people:
the report carries figures only.
"""

from __future__ import annotations

import dataclasses
import io
import logging

from docx.shared import Pt

from nhandao.core import docx30 as documents
from nhandao.core import pdf30
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money, number, quantity

from .models import FIGURES
from .sitrep import Sitrep

logging.getLogger("fontTools").setLevel(logging.WARNING)

RECIPIENTS = (
    "Trung ương Hội Chữ thập đỏ Việt Nam",
    "Ban Chỉ huy phòng thủ dân sự thành phố",
    "Ủy ban nhân dân thành phố",
    "Lưu: VT",
)


def _n(value) -> str:
    return "—" if value is None else number(value)


def content(r: Sitrep) -> dict:
    """The report's text and tables, shared by the DOCX and the PDF."""
    i = r.incident
    made = r.made_at
    labels = [str(label) for _name, label in FIGURES]
    damage_rows = [[label, *(_n(v) for v in values)] for label, values in r.by_source]
    damage_rows.append(["Tổng hợp (số cao nhất mỗi xã)", *(_n(v) for _label, v in r.combined)])
    resp, dep = r.response, r.deployed
    response_lines = [
        f"Đội ứng phó được điều động: {number(dep.teams)}; tình nguyện viên: {number(dep.volunteers)}"
        f" ({quantity(dep.hours)} giờ) tại {number(dep.communes)} xã, phường.",
        f"Phát hàng: {number(resp.distributions)} đợt ở {number(resp.communes)} xã; "
        f"{number(resp.households)} hộ ({number(r.people_reached)} người) đã nhận; "
        f"hàng đã phát trị giá {money(resp.value)}.",
    ]
    goods_rows = [
        [g.item.name, f"{quantity(g.quantity)} {g.item.measure}", money(g.value)] for g in resp.goods
    ]
    money_rows = [
        [c.name, money(t.raised), money(t.spent), money(t.balance_money + t.balance_goods)]
        for c, t in r.money
    ]
    needs = [f"{label}: {number(n)} xã đề nghị hỗ trợ." for label, n in r.needs]
    gaps = []
    if r.silent:
        gaps.append(
            f"{number(len(r.silent))} xã chưa gửi báo cáo trong 24 giờ qua: "
            + ", ".join(r.silent[:20])
            + ("…" if len(r.silent) > 20 else "")
            + "."
        )
    return {
        "reference": "…/BC-CTĐ",
        "issued_on": made.date(),
        "demo": i.is_demo,
        "title": "BÁO CÁO NHANH",
        "excerpt": f"Tình hình thiệt hại và công tác ứng phó {i.name}",
        "excerpt_closing": f"tình hình thiệt hại và công tác ứng phó {i.name}",
        "intro": (
            f"{i.get_kind_display()} “{i.name}” từ ngày {fmt_date(i.starts_on)}"
            + (f" đến ngày {fmt_date(i.ends_on)}" if i.ends_on else "")
            + f", {len(r.situation.rows)} xã, phường, đặc khu bị ảnh hưởng. Số liệu tổng hợp đến "
            f"{made:%H:%M} ngày {fmt_date(made.date())}."
        ),
        "damage_header": ["Nguồn", *labels],
        "damage_rows": damage_rows,
        "damage_note": (
            "Mỗi nguồn lấy số liệu mới nhất của từng xã; dòng tổng hợp lấy số cao nhất giữa các nguồn "
            "của cùng một xã, không cộng hai nguồn với nhau."
        ),
        "response": response_lines,
        "goods_rows": goods_rows,
        "money_rows": money_rows,
        "needs": needs,
        "gaps": gaps,
    }


def docx(r: Sitrep) -> bytes:
    d = documents
    c = content(r)
    letterhead = dataclasses.replace(
        d.Letterhead(),
        issuer=r.incident.unit.name.upper(),
        recipients=RECIPIENTS,
        authority="TM. BAN THƯỜNG VỤ",
    )
    doc = d.new_document()
    d.letterhead_block(doc, letterhead, reference=c["reference"], issued_on=c["issued_on"])
    if c["demo"]:
        d.body(doc, "DỮ LIỆU MẪU – không phải báo cáo thật", bold=True)
    d.styled(doc, "Title").add_run(c["title"])
    d.styled(doc, "Title").add_run(c["excerpt"])
    d.body(doc, c["intro"])
    d.heading(doc, "1. Thiệt hại theo nguồn báo cáo", 1)
    d.body(doc, c["damage_note"], italic=True)
    table = d.table(doc, c["damage_header"], c["damage_rows"], [2.6] + [1.7] * len(FIGURES))
    for row in table.rows:  # nine columns on A4 portrait: smaller type
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    d.heading(doc, "2. Công tác ứng phó", 1)
    for line in c["response"]:
        d.body(doc, "- " + line)
    if c["goods_rows"]:
        d.table(doc, ["Mặt hàng", "Số lượng đã phát", "Giá trị"], c["goods_rows"], [8.0, 4.5, 4.0])
    d.heading(doc, "3. Tiền và hàng tiếp nhận, đã chi (theo sổ cái của Quỹ)", 1)
    if c["money_rows"]:
        d.table(
            doc,
            ["Cuộc vận động", "Đã tiếp nhận", "Đã chi, đã phát", "Còn lại"],
            c["money_rows"],
            [6.5, 3.4, 3.4, 3.2],
        )
    else:
        d.body(doc, "Chưa gắn cuộc vận động.")
    d.heading(doc, "4. Nhu cầu và khoảng trống", 1)
    for line in c["needs"] or ["Chưa có nhu cầu được báo cáo."]:
        d.body(doc, "- " + line)
    for line in c["gaps"]:
        d.body(doc, "- " + line)
    d.body(doc, "Trên đây là báo cáo nhanh " + c["excerpt_closing"] + "./.")
    d.signature_block(doc, letterhead)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf(r: Sitrep) -> bytes:
    """A4 in the Decree 30 layout of `core.pdf30` (letterhead, tables, signature and "Nơi nhận")."""
    c = content(r)
    doc = pdf30.new_document(title=f"Báo cáo nhanh {r.incident.name}", author=r.incident.unit.name)
    width = pdf30.text_width(doc)
    pdf30.letterhead(
        doc,
        pdf30.Letterhead(
            above="Hội Chữ thập đỏ Việt Nam",
            issuer=r.incident.unit.name,
            place="Hải Phòng",
            reference=c["reference"],
        ),
        on=c["issued_on"],
    )

    def para(text: str, style: str = "", size: float = 11, align: str = "J") -> None:
        doc.set_font(pdf30.FAMILY, style, size)
        doc.multi_cell(width, 5.5, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(text: str) -> None:
        doc.ln(1.5)
        para(text, "B", 11.5, "L")

    def table(header: list[str], rows: list[list[str]], widths: list[float], size: float = 8.5) -> None:
        total = sum(widths)
        pdf30.table(doc, header, [w / total for w in widths], rows, size=size)

    if c["demo"]:
        para("DỮ LIỆU MẪU – không phải báo cáo thật", "B", 10, "C")
    pdf30.title(doc, [c["title"], c["excerpt"]])
    para(c["intro"])
    heading("1. Thiệt hại theo nguồn báo cáo")
    para(c["damage_note"], "I", 10)
    table(c["damage_header"], c["damage_rows"], [2.6] + [1.2] * len(FIGURES), size=7.5)
    heading("2. Công tác ứng phó")
    for line in c["response"]:
        para("- " + line)
    if c["goods_rows"]:
        table(["Mặt hàng", "Số lượng đã phát", "Giá trị"], c["goods_rows"], [3, 1.6, 1.4])
    heading("3. Tiền và hàng tiếp nhận, đã chi (theo sổ cái của Quỹ)")
    if c["money_rows"]:
        table(
            ["Cuộc vận động", "Đã tiếp nhận", "Đã chi, đã phát", "Còn lại"],
            c["money_rows"],
            [3, 1.4, 1.4, 1.4],
        )
    else:
        para("Chưa gắn cuộc vận động.")
    heading("4. Nhu cầu và khoảng trống")
    for line in c["needs"] or ["Chưa có nhu cầu được báo cáo."]:
        para("- " + line)
    for line in c["gaps"]:
        para("- " + line)
    para("Trên đây là báo cáo nhanh " + c["excerpt_closing"] + "./.")
    pdf30.signature(doc, authority="TM. BAN THƯỜNG VỤ", title="CHỦ TỊCH", recipients=RECIPIENTS)
    return pdf30.to_bytes(doc)
