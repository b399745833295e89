"""The city's consolidated report of a round as a DOCX in the layout of Decree 30/2020/NĐ-CP.

The page, the styles and the page-number header live in a template file,
`docx/bao-cao.docx`, that an office can restyle in Word (fonts, spacing, margins): the generator
opens it, keeps its sections and styles, and writes the text with the template's style names
("Normal", "Title", "Heading 1", "Heading 2", "Table Grid").  `build_template` makes that file
from scratch (run once; `python -m nhandao.plans.documents` writes it again).

python-docx is imported at module level: it is a dependency of this module only (pinned in
pyproject.toml and constraints.txt).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from nhandao.core.formatting import money, number

TEMPLATE = Path(__file__).parent / "docx" / "bao-cao.docx"
FONT = "Times New Roman"


@dataclass(frozen=True)
class Letterhead:
    """Who issues the city's report (configurable data, not code: an office changes it here)."""

    parent: str = "HỘI CHỮ THẬP ĐỎ VIỆT NAM"
    issuer: str = "HỘI CTĐ THÀNH PHỐ HẢI PHÒNG"
    place: str = "Hải Phòng"
    authority: str = "TM. BAN THƯỜNG VỤ"
    title: str = "CHỦ TỊCH"
    signer: str = ""
    recipients: tuple[str, ...] = (
        "Ủy ban nhân dân thành phố",
        "Ban Dân vận Thành ủy",
        "Sở Nội vụ",
        "Trung ương Hội Chữ thập đỏ Việt Nam",
        "Lưu: VT",
    )


def date_line(place: str, on: dt.date | None) -> str:
    """'Hải Phòng, ngày 05 tháng 02 năm 2026': a leading zero for days below 10 and months 1–2."""
    if on is None:
        return f"{place}, ngày      tháng      năm"
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


# The template --------------------------------------------------------------------------------


def _font(style_or_run, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    # Word's built-in headings name theme fonts (asciiTheme …), which win over the names above.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(run, 14)


def build_template(path: Path = TEMPLATE) -> Path:
    """A4, margins 20/20/30/15 mm, Times New Roman 14, page number centred at the top from page 2."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header)
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 14), ("Heading 1", 14), ("Heading 2", 14)):
        style = styles[name]
        _font(style, size, bold=True, italic=False)
        style.font.color.rgb = None
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # python-docx's default Title carries a bottom border and a theme colour: plain text here.
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    _font(styles["Table Grid"], 12)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


# The report ----------------------------------------------------------------------------------


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _line(
    cell_or_doc,
    text: str,
    size: float = 14,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    first=False,
):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    run = paragraph.add_run(text)
    _font(run, size, bold=bold, italic=italic)
    return paragraph


def _styled(doc, style_name: str):
    """A new paragraph of a template style.  Set by id: python-docx's lookup by name scans every
    style of the template each time (most of the document's build time otherwise)."""
    ids = doc.__dict__.setdefault("_nhandao_style_ids", {})
    if style_name not in ids:
        ids[style_name] = doc.styles[style_name].style_id
    paragraph = doc.add_paragraph()
    if style_name != "Normal":
        paragraph._p.style = ids[style_name]
    return paragraph


def _body(doc, text: str, bold: bool = False, italic: bool = False):
    paragraph = _styled(doc, "Normal")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    run = paragraph.add_run(text)
    if bold or italic:
        run.bold, run.italic = bold, italic
    return paragraph


def _heading(doc, text: str, level: int):
    paragraph = _styled(doc, f"Heading {level}")
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.add_run(text)
    return paragraph


def _table(doc, header: list[str], rows: list[list[str]], widths: list[float]):
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        _line(table.cell(0, i), text, 12, bold=True, first=True)
    for r, values in enumerate(rows, start=1):
        cells = table.rows[r].cells
        for i, text in enumerate(values):
            _line(
                cells[i],
                text,
                12,
                align=WD_ALIGN_PARAGRAPH.RIGHT if i else WD_ALIGN_PARAGRAPH.LEFT,
                first=True,
            )
    _widths(table, widths)
    return table


def letterhead_block(doc, letterhead: Letterhead, reference: str, issued_on: dt.date | None) -> None:
    """The Quốc hiệu block: the issuing body and its number on the left, the national title and
    the date line on the right (Decree 30/2020).  Shared by every DOCX report (plans, relief)."""
    head = doc.add_table(rows=1, cols=2)
    _no_borders(head)
    _widths(head, [6.7, 9.8])
    left, right = head.rows[0].cells
    _line(left, letterhead.parent, 12, first=True)
    _line(left, letterhead.issuer, 12, bold=True)
    _line(left, "Số: " + reference, 13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, first=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    _line(right, date_line(letterhead.place, issued_on), 14, italic=True)


def signature_block(doc, letterhead: Letterhead, signer: str = "") -> None:
    """Nơi nhận on the left, the signature block on the right."""
    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, [8.0, 8.0])
    left, right = sign.rows[0].cells
    _line(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for recipient in letterhead.recipients:
        _line(left, f"- {recipient};", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, letterhead.authority, 14, bold=True, first=True)
    _line(right, letterhead.title, 14, bold=True)
    for _ in range(3):
        _line(right, "", 14)
    _line(right, letterhead.signer or signer, 14, bold=True)


# Public names for other modules' documents (relief's sitrep): one home for the Decree 30 layout.
styled, body, heading, table = _styled, _body, _heading, _table


def render(content: dict, *, letterhead: Letterhead = Letterhead(), template: Path = TEMPLATE) -> bytes:
    """The DOCX of a consolidated report described by `content` (see plans.reporting.document_content)."""
    doc = Document(str(template))
    letterhead_block(doc, letterhead, content["reference"], content["issued_on"])
    doc.add_paragraph()
    title = _styled(doc, "Title")
    title.add_run("BÁO CÁO")
    excerpt = _styled(doc, "Title")
    excerpt.add_run(content["excerpt"])
    _body(doc, content["intro"])

    _heading(doc, "I. KẾT QUẢ THỰC HIỆN", 1)
    _heading(doc, "1. Tình hình báo cáo của các đơn vị", 2)
    _body(doc, content["progress"])
    _heading(doc, "2. Kết quả theo các chỉ tiêu", 2)
    _body(doc, content["figures_note"], italic=True)
    _table(
        doc,
        ["Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng, giảm"],
        [[r["label"], r["value"], r["before"], r["change"]] for r in content["figures"]],
        [7.0, 3.2, 3.2, 2.6],
    )
    _heading(doc, "3. Kết quả thực hiện các nhiệm vụ theo nội dung Kế hoạch", 2)
    for block in content["duties"]:
        _body(doc, block["title"], bold=True)
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

    signature_block(doc, letterhead, content.get("signer", ""))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def figure_text(value: int | None, is_money: bool) -> str:
    if value is None:
        return "—"
    return money(value) if is_money else number(value)


if __name__ == "__main__":  # pragma: no cover
    print(build_template())
