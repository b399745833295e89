"""The Decree 93/2021 report of a campaign: one page on the portal, and the same as a PDF.

What was called for (the mobilisation document, eligibility, support levels,
how it is distributed, the dates), what was received in money and in kind, and
how it was distributed by commune and kind of help.  Every figure comes from the
ledger through the funds' public reads (`funds.public`).

The PDF's layout is the shared one of `core.pdf30` (it loads fpdf2 only when a PDF is made).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from nhandao.core import pdf30
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money, quantity
from nhandao.core.money import format_number
from nhandao.funds import public as funds
from nhandao.funds.models import DisbursementKind, HelpKind

from . import totals


@dataclass
class Report:
    campaign: object
    totals: funds.CampaignTotals
    goods: list[dict]
    distribution: list[dict]
    by_unit: list[dict]
    digest: object
    made_on: dt.date
    late: funds.LateReceipts | None = None

    @property
    def distributed_households(self) -> int:
        return sum(r["households"] for r in self.distribution)

    @property
    def distributed_people(self) -> int:
        return sum(r["people"] for r in self.distribution)


def build(campaign) -> Report:
    distribution = funds.public_distribution(campaign)
    help_labels = dict(HelpKind.choices)
    kind_labels = dict(DisbursementKind.choices)
    for row in distribution:
        row["help_label"] = str(help_labels.get(row["help_kind"], row["help_kind"]))
        row["kind_label"] = str(kind_labels.get(row["kind"], row["kind"]))
    return Report(
        campaign=campaign,
        totals=totals.campaign_totals(campaign),
        goods=funds.public_goods(campaign),
        distribution=distribution,
        by_unit=totals.campaign_totals_by_unit(campaign),
        digest=funds.ledger_digests(campaign=campaign).first(),
        made_on=timezone.localdate(),
        late=funds.public_late_receipts(campaign),
    )


# How the help was given, in the distribution table: the same kind of help may be given in money
# and in goods, two rows for one commune.
_MEANS = {DisbursementKind.PAYMENT: "bằng tiền", DisbursementKind.GOODS_ISSUE: "hiện vật"}


def _place(unit) -> str:
    """The place of the date line: the province or city of the unit ("Hải Phòng")."""
    top = unit
    while top.parent_id is not None:
        top = top.parent
    name = top.name
    for prefix in ("Hội Chữ thập đỏ thành phố ", "Hội Chữ thập đỏ tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def pdf(r: Report) -> bytes:
    """A4 in the Decree 30 layout of `core.pdf30`; the report is a public document, in Vietnamese."""
    c = r.campaign
    doc = pdf30.new_document(title=f"Báo cáo công khai {c.code}", author=c.unit.name)
    width = pdf30.text_width(doc)

    def heading(text: str, size: int = 12) -> None:
        doc.ln(2)
        doc.set_font(pdf30.FAMILY, "B", size)
        doc.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")

    def para(text: str) -> None:
        doc.set_font(pdf30.FAMILY, "", 10.5)
        doc.multi_cell(width, 5.5, text or "—", align="J", new_x="LMARGIN", new_y="NEXT")

    def row(label: str, value: str) -> None:
        """A label and its figure; a long label wraps in its column, never into the figure."""
        doc.set_font(pdf30.FAMILY, "", 10.5)
        top = doc.get_y()
        doc.multi_cell(width * 0.6, 5.5, label, new_x="LMARGIN", new_y="NEXT")
        bottom = doc.get_y()
        doc.set_xy(doc.l_margin + width * 0.6, top)
        doc.set_font(pdf30.FAMILY, "B", 10.5)
        doc.multi_cell(width * 0.4, 5.5, value, align="R", new_x="LMARGIN", new_y="NEXT")
        doc.set_y(max(bottom, doc.get_y()))

    def table(headers: list[str], widths: list[float], rows: list[list[str]], text_columns: int = 1) -> None:
        aligns = ["LEFT"] * text_columns + ["RIGHT"] * (len(headers) - text_columns)
        pdf30.table(doc, headers, widths, rows, aligns=aligns, size=8.5)

    parent = c.unit.parent.name if c.unit.parent_id else "Hội Chữ thập đỏ Việt Nam"
    pdf30.letterhead(
        doc, pdf30.Letterhead(above=parent, issuer=c.unit.name, place=_place(c.unit)), on=r.made_on
    )
    pdf30.title(doc, ["BÁO CÁO CÔNG KHAI", "KẾT QUẢ VẬN ĐỘNG, TIẾP NHẬN, PHÂN BỔ"])
    doc.set_font(pdf30.FAMILY, "", 11)
    doc.multi_cell(width, 5.5, f"{c.name} (mã {c.code})", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(pdf30.FAMILY, "I", 11)
    doc.multi_cell(width, 5.5, "theo Nghị định số 93/2021/NĐ-CP", align="C", new_x="LMARGIN", new_y="NEXT")

    heading("1. Nội dung vận động")
    row("Văn bản vận động", c.mobilisation_reference or "—")
    row("Thời gian tiếp nhận", f"{fmt_date(c.starts_on)} – {fmt_date(c.ends_on) or '…'}")
    row("Hạn hoàn thành phân bổ", fmt_date(c.distribution_ends_on) or "—")
    row("Mục tiêu", money(c.goal) if c.goal else "—")
    heading("Đối tượng được hỗ trợ", 10)
    para(c.eligibility)
    heading("Mức hỗ trợ", 10)
    para(c.support_level)
    heading("Thời gian, địa điểm, phương thức phân phối", 10)
    para(c.distribution_method)

    t = r.totals
    heading("2. Kết quả tiếp nhận")
    row("Tiền đã nhận", money(t.raised_money))
    row("Hiện vật đã nhận (giá trị ước tính)", money(t.raised_goods))
    row("Số lượt ủng hộ", format_number(t.gifts))
    if r.goods:
        table(
            ["Mặt hàng", "Đã nhận", "Đã phân phối", "Còn trong kho", "Giá trị nhận"],
            [0.32, 0.17, 0.17, 0.17, 0.17],
            [
                [
                    f"{g['name']} ({g['unit_label']})",
                    quantity(g["received"]),
                    quantity(g["issued"]),
                    quantity(g["in_stock"]),
                    money(g["received_value"]),
                ]
                for g in r.goods
            ],
        )
    if r.late is not None and r.late.count:
        heading("Trong đó: các khoản nhận sau khi kết thúc tiếp nhận", 10)
        row(
            "Số khoản / số tiền",
            f"{format_number(r.late.count)} / {money(r.late.total)}",
        )
        table(
            ["Ngày nhận", "Người ủng hộ", "Số tiền"],
            [0.25, 0.5, 0.25],
            [[fmt_date(g["received_on"]), g["public_name"], money(g["amount"])] for g in r.late.rows],
            text_columns=2,
        )

    heading("3. Kết quả phân bổ")
    row("Đã chi hỗ trợ bằng tiền", money(t.spent_money))
    row("Hiện vật đã phân phối (giá trị)", money(t.spent_goods))
    row("Điều chuyển cho đơn vị cấp dưới", money(t.transferred))
    row(
        "Số hộ / số người được hỗ trợ",
        f"{format_number(r.distributed_households)} / {format_number(r.distributed_people)}",
    )
    if r.distribution:
        table(
            ["Địa bàn", "Hình thức hỗ trợ", "Số tiền / giá trị", "Số hộ", "Số người"],
            [0.34, 0.25, 0.19, 0.1, 0.12],
            [
                [
                    d["commune"] or "—",
                    f"{d['help_label']} ({_MEANS.get(d['kind'], d['kind_label'])})",
                    money(d["total"]),
                    format_number(d["households"]),
                    format_number(d["people"]),
                ]
                for d in r.distribution
            ],
            text_columns=2,
        )
    heading("4. Số dư")
    row("Tiền còn lại", money(t.balance_money))
    row("Hiện vật còn trong kho (giá trị)", money(t.balance_goods))
    if t.goods_lost:
        row("Hiện vật hao hụt khi kiểm kê, điều chuyển (giá trị)", money(t.goods_lost))
    if r.digest is not None:
        doc.ln(2)
        doc.set_font(pdf30.FAMILY, "", 8)
        doc.multi_cell(
            width,
            4,
            f"Chuỗi băm sổ cái của cuộc vận động ngày {fmt_date(r.digest.day)}, bút toán số {r.digest.last_number}: "
            f"{r.digest.chain_hash}",
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    doc.set_font(pdf30.FAMILY, "", 8)
    doc.multi_cell(
        width,
        4,
        f"Lập ngày {fmt_date(r.made_on)} từ sổ cái của Quỹ (nhandao).",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return pdf30.to_bytes(doc)
