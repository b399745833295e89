"""Documents in the layout of Decree 30/2020/NĐ-CP (công tác văn thư) as DOCX, for every app.

The page, the styles and the page-number header live in a template file, `docx/van-ban.docx`, that
an office can restyle in Word (fonts, spacing, margins): a generator opens it (`new_document`),
keeps its sections and styles, and writes with the template's style names ("Normal", "Title",
"Heading 1", "Heading 2", "Table Grid").  `build_template` makes that file from scratch (run once;
`python -m nhandao.core.docx30` writes it again).  The blocks every document shares: the national
title and the issuing body (`letterhead_block`), the "Nơi nhận" list and the signature
(`signature_block`).  Used by the plans app's consolidated report and the blood module's honours
list; moved here from plans/documents.py.

python-docx is imported at module level: import this module only where a DOCX is made.
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
from docx.text.paragraph import Paragraph

from nhandao.core.formatting import date_line
from nhandao.core.text import balanced_cut

TEMPLATE = Path(__file__).parent / "docx" / "van-ban.docx"
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


# The template --------------------------------------------------------------------------------


def font(style_or_run, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
    face = style_or_run.font
    face.name = FONT
    face.size = Pt(size)
    if bold is not None:
        face.bold = bold
    if italic is not None:
        face.italic = italic
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


def page_field(paragraph) -> None:
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
    font(run, 14)


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
    page_field(header)
    styles = doc.styles
    normal = styles["Normal"]
    font(normal, 14)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 14), ("Heading 1", 14), ("Heading 2", 14)):
        style = styles[name]
        font(style, size, bold=True, italic=False)
        style.font.color.rgb = None
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # python-docx's default Title carries a bottom border and a theme colour: plain text here.
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    font(styles["Table Grid"], 12)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


# Building blocks ----------------------------------------------------------------------------------


def widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def no_borders(table) -> None:
    """A layout table (letterhead, signature): no borders and no cell margins, so that each column
    holds its full width of text (the national title on one line)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def rule(paragraph, length_cm: float, width_cm: float, edge: str = "bottom") -> None:
    """A horizontal line of `length_cm`, centred in a column of `width_cm`, drawn as the paragraph's
    border (Decree 30: under the issuing body and under the motto)."""
    indent = max((width_cm - length_cm) / 2, 0)
    paragraph.paragraph_format.left_indent = Cm(indent)
    paragraph.paragraph_format.right_indent = Cm(indent)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
    el.set(qn("w:space"), "1")
    el.set(qn("w:color"), "auto")
    borders.append(el)
    # pPr's children have a fixed order in the schema: the border before the spacing, indentation …
    ppr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )


def keep_rows_whole(table, header_rows: int = 0) -> None:
    """No row split across pages; the first `header_rows` rows repeat at the top of each page."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def line(
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
    font(run, size, bold=bold, italic=italic)
    return paragraph


def styled(doc, style_name: str):
    """A new paragraph of a template style.  Set by id: python-docx's lookup by name scans every
    style of the template each time (most of the document's build time otherwise)."""
    ids = doc.__dict__.setdefault("_nhandao_style_ids", {})
    if style_name not in ids:
        ids[style_name] = doc.styles[style_name].style_id
    paragraph = doc.add_paragraph()
    if style_name != "Normal":
        paragraph._p.style = ids[style_name]
    return paragraph


def body(doc, text: str, bold: bool = False, italic: bool = False):
    paragraph = styled(doc, "Normal")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    run = paragraph.add_run(text)
    if bold or italic:
        run.bold, run.italic = bold, italic
    return paragraph


def heading(doc, text: str, level: int):
    paragraph = styled(doc, f"Heading {level}")
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.add_run(text)
    return paragraph


LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float], aligns: list | None = None):
    """A grid with a bold header; by default the first column left and the others right (figures)."""
    grid = doc.add_table(rows=len(rows) + 1, cols=len(header))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = aligns or [LEFT] + [RIGHT] * (len(header) - 1)
    for i, text in enumerate(header):
        line(grid.cell(0, i), text, 12, bold=True, first=True)
    for r, values in enumerate(rows, start=1):
        cells = grid.rows[r].cells
        for i, text in enumerate(values):
            line(cells[i], text, 12, align=aligns[i], first=True)
    widths(grid, widths_cm)
    keep_rows_whole(grid, header_rows=1)
    return grid


def new_document(template: Path = TEMPLATE):
    return Document(str(template))


# Advance widths (thousandths of an em) of Times New Roman Bold capitals, digits and punctuation, from
# the metric-compatible Liberation Serif Bold: whether a name holds on one line of the letterhead.
_TIMES_BOLD = {
    250: " .,",
    278: "/'",
    333: ";:-()",
    389: "IÌÍỈĨỊ",
    500: "J0123456789–",
    555: '"',
    556: "S",
    611: "FP",
    667: "BELTZÈÉẺẼẸÊỀẾỂỄỆ",
    722: "ACDNRUVXYÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ",
    778: "GHKOQÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ",
    833: "&",
    944: "M",
    1000: "W",
}
_WIDTH = {ch: width for width, chars in _TIMES_BOLD.items() for ch in chars}


def bold_caps_cm(text: str, size: float) -> float:
    """The width of `text` (capitals) in Times New Roman Bold at `size` points, in centimetres."""
    return sum(_WIDTH.get(ch, 778) for ch in text) / 1000 * size * 2.54 / 72


def balanced_lines(text: str, width_cm: float, size: float = 12) -> list[str]:
    """A name for the letterhead: one line when it holds in `width_cm`, otherwise two balanced lines
    (`core.text.balanced_cut`), never a lone word wrapped by the word processor."""
    if bold_caps_cm(text, size) <= width_cm:
        return [text]
    return balanced_cut(text, lambda part: bold_caps_cm(part, size))


# The letterhead's two columns (16.5 cm of text between the margins): the national title at 13 pt
# needs about 9.4 cm on one line.
LETTERHEAD_CM = (6.5, 10.0)


def letterhead_block(doc, letterhead: Letterhead, *, reference: str, issued_on: dt.date | None) -> None:
    """Quốc hiệu block: the issuing body and its number on the left, the national title on the right,
    a line under the issuing body (a third of the column) and under the motto (its length)."""
    left_cm, right_cm = LETTERHEAD_CM
    head = doc.add_table(rows=1, cols=2)
    no_borders(head)
    widths(head, [left_cm, right_cm])
    left, right = head.rows[0].cells
    line(left, letterhead.parent, 12, first=True)
    for text in balanced_lines(letterhead.issuer, left_cm):
        line(left, text, 12, bold=True)
    underline = line(left, "", 4)
    underline.paragraph_format.line_spacing = Pt(4)  # exactly: an empty line as high as the rule
    rule(underline, left_cm / 3, left_cm, edge="top")
    number = line(left, "Số: " + reference, 13)
    number.paragraph_format.space_before = Pt(6)
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, first=True)
    motto = line(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    rule(motto, 6.3, right_cm)
    place = line(right, date_line(letterhead.place, issued_on), 14, italic=True)
    place.paragraph_format.space_before = Pt(10)
    doc.add_paragraph()


def signature_block(doc, letterhead: Letterhead, *, signer: str = "") -> None:
    """Nơi nhận on the left, the signature block on the right, on the same page as the paragraph
    before them (never alone on a last page)."""
    body = doc.element.body
    last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
    if last.tag == qn("w:p"):
        last.get_or_add_pPr()
        Paragraph(last, doc._body).paragraph_format.keep_with_next = True
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    widths(sign, [8.0, 8.5])
    keep_rows_whole(sign)
    left, right = sign.rows[0].cells
    line(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    recipients = list(letterhead.recipients)
    for i, recipient in enumerate(recipients):
        # Each on its own line ending with ";", the last (the archive) with ".".
        end = "." if i == len(recipients) - 1 else ";"
        line(left, f"- {recipient.rstrip(';.')}{end}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    line(right, letterhead.authority, 14, bold=True, first=True)
    line(right, letterhead.title, 14, bold=True)
    for _ in range(3):
        line(right, "", 14)
    line(right, letterhead.signer or signer, 14, bold=True)


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


if __name__ == "__main__":  # pragma: no cover
    print(build_template())
