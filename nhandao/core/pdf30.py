"""PDF documents in the layout of Decree 30/2020/NĐ-CP with fpdf2: the one home of the PDF letterhead,
tables and signature block (the DOCX layout lives in `core/docx30.py`).

A4, margins top 20, bottom 20, left 30, right 15 mm; DejaVu Serif (Vietnamese without system fonts)
with DejaVu Sans as the fallback for the glyphs Serif lacks ("₫"); page numbers centred at the
top from page 2.  The letterhead keeps the issuing body on one line (its type shrinks to fit, down
to a legible size, and only then wraps), draws the rules under the issuing body and the motto, and
writes the place and date in italics; tables wrap their cells and repeat their heading row on
every page; the signature block and "Nơi nhận" stay together.

fpdf2 is imported when the first PDF is made (`_document_class`), not when this module is imported.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nhandao.core import fonts
from nhandao.core.formatting import date_line
from nhandao.core.text import balanced_cut

if TYPE_CHECKING:
    from fpdf import FPDF

# fontTools reports every font subset at INFO: keep the logs for what matters.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FAMILY = "Serif"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@functools.cache
def _document_class():
    """fpdf2 is imported here, when the first PDF is made: not every process makes one."""
    from fpdf import FPDF

    class Document(FPDF):
        def header(self) -> None:
            """Decree 30: the page number centred at the top, from the second page."""
            if self.page_no() > 1:
                style, size = self.font_style, self.font_size_pt
                self.set_y(10)
                self.set_font(FAMILY, "", 11)
                self.cell(0, 5, str(self.page_no()), align="C")
                self.set_y(self.t_margin)
                self.set_font(FAMILY, style, size)

    return Document


def new_document(*, title: str, author: str = "", landscape: bool = False) -> FPDF:
    doc = _document_class()(format="A4", orientation="L" if landscape else "P", unit="mm")
    doc.set_margins(left=30, top=20, right=15)
    doc.set_auto_page_break(True, margin=20)
    doc.add_font(FAMILY, "", fonts.path("DejaVuSerif.ttf"))
    doc.add_font(FAMILY, "B", fonts.path("DejaVuSerif-Bold.ttf"))
    doc.add_font(FAMILY, "I", fonts.path("DejaVuSerif-Italic.ttf"))
    doc.add_font("Sans", "", fonts.path("DejaVuSans.ttf"))
    doc.add_font("Sans", "B", fonts.path("DejaVuSans-Bold.ttf"))
    doc.set_fallback_fonts(["Sans"], exact_match=False)
    doc.set_title(title)
    if author:
        doc.set_author(author)
    doc.add_page()
    return doc


def text_width(doc: FPDF) -> float:
    return doc.w - doc.l_margin - doc.r_margin


def fitting_size(doc: FPDF, text: str, style: str, size: float, width: float, smallest: float) -> float:
    """The largest size from `size` down to `smallest` (by half points) at which `text` holds on one
    line of `width`; `smallest` when none does (the text then wraps)."""
    while size > smallest:
        doc.set_font(FAMILY, style, size)
        if doc.get_string_width(text) <= width - 2 * doc.c_margin:
            return size
        size -= 0.5
    return smallest


def balanced_lines(doc: FPDF, text: str, style: str, size: float, width: float) -> tuple[list[str], float]:
    """A name for a header: on one line if it holds at `size` or up to 1.5 points smaller; otherwise
    two balanced lines (`core.text.balanced_cut`) at the largest size at which both hold."""
    one = fitting_size(doc, text, style, size, width, size - 1.5)
    doc.set_font(FAMILY, style, one)
    if doc.get_string_width(text) <= width - 2 * doc.c_margin:
        return [text], one
    doc.set_font(FAMILY, style, size)
    lines = balanced_cut(text, doc.get_string_width)
    longer = max(lines, key=doc.get_string_width)
    return lines, fitting_size(doc, longer, style, size, width, 7)


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document: the body above (upper case), the issuing unit, the reference, the place."""

    above: str
    issuer: str
    place: str = "Hải Phòng"
    reference: str = ""


def _centred(doc: FPDF, x: float, w: float, h: float, text: str, style: str, size: float) -> None:
    doc.set_x(x)
    doc.set_font(FAMILY, style, size)
    doc.multi_cell(w, h, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _rule(doc: FPDF, x: float, w: float, length: float) -> None:
    y = doc.get_y() + 0.6
    doc.set_line_width(0.3)
    doc.line(x + (w - length) / 2, y, x + (w + length) / 2, y)
    doc.set_y(y + 1.2)


LEFT_SHARE = 0.43  # the issuing body's column; the national title needs the rest on one line


def letterhead(doc: FPDF, head: Letterhead, *, on: dt.date | None, size: float = 12) -> None:
    """The issuing body and its number on the left, the national title, the motto and the place
    and date on the right; a rule under the issuing body (a third of its column) and under the
    motto (its length)."""
    width = text_width(doc)
    left_w, right_w = width * LEFT_SHARE, width * (1 - LEFT_SHARE)
    left_x, right_x = doc.l_margin, doc.l_margin + left_w
    top = doc.get_y()
    above = head.above.upper()
    _centred(doc, left_x, left_w, 5, above, "", fitting_size(doc, above, "", size, left_w, 8))
    lines, issuer_size = balanced_lines(doc, head.issuer.upper(), "B", size, left_w)
    for text in lines:
        _centred(doc, left_x, left_w, 5, text, "B", issuer_size)
    _rule(doc, left_x, left_w, left_w / 3)
    if head.reference:
        doc.ln(1)
        _centred(doc, left_x, left_w, 5, f"Số: {head.reference}", "", size)
    left_bottom = doc.get_y()
    doc.set_y(top)
    _centred(doc, right_x, right_w, 5, NATIONAL, "B", fitting_size(doc, NATIONAL, "B", size, right_w, 9))
    _centred(doc, right_x, right_w, 5, MOTTO, "B", size + 1)
    doc.set_font(FAMILY, "B", size + 1)
    _rule(doc, right_x, right_w, doc.get_string_width(MOTTO))
    doc.ln(2)
    _centred(doc, right_x, right_w, 5, date_line(head.place, on), "I", size)
    doc.set_y(max(left_bottom, doc.get_y()) + 6)


def title(doc: FPDF, lines: list[str], size: float = 14) -> None:
    """The document's name and excerpt, centred, bold, each given line kept whole where it fits."""
    width = text_width(doc)
    for text in lines:
        doc.set_font(FAMILY, "B", fitting_size(doc, text, "B", size, width, size - 2))
        doc.multi_cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)


def table(
    doc: FPDF,
    headers: list[str],
    shares: list[float],
    rows: list[list[str]],
    *,
    aligns: list[str] | None = None,
    size: float = 9,
    line_height: float | None = None,
) -> None:
    """A grid over the text width: cells wrap (a long name is never cut), the heading row repeats
    on every page, by default the first column left and the others right (figures)."""
    from fpdf.fonts import FontFace

    aligns = aligns or ["LEFT"] + ["RIGHT"] * (len(headers) - 1)
    doc.set_font(FAMILY, "", size)
    with doc.table(
        col_widths=[s * 100 for s in shares],
        width=text_width(doc),
        align="LEFT",
        line_height=line_height or size * 0.5,
        padding=1,
        text_align=aligns,
        headings_style=FontFace(emphasis="BOLD"),
        repeat_headings=1,
    ) as grid:
        heading_row = grid.row()
        for h in headers:
            heading_row.cell(h, align="CENTER")
        for cells in rows:
            body_row = grid.row()
            for text in cells:
                body_row.cell(text)
    doc.ln(2)


def signature(
    doc: FPDF,
    *,
    authority: str,
    title: str = "",
    signer: str = "",
    recipients: tuple[str, ...] = (),
    space: float = 22,
) -> None:
    """'Nơi nhận' on the left (each recipient ending ';', the last '.'), the signature on the right,
    kept together on one page."""
    width = text_width(doc)
    need = 12 + max(len(recipients) * 4.5, space + 12)
    if doc.get_y() + need > doc.h - doc.b_margin:
        doc.add_page()
    doc.ln(3)
    top = doc.get_y()
    half = width / 2
    if recipients:
        doc.set_font(FAMILY, "B", 11)  # bold italic in Decree 30: no vendored Serif Bold Italic
        doc.multi_cell(half, 5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FAMILY, "", 9.5)
        for i, recipient in enumerate(recipients):
            end = "." if i == len(recipients) - 1 else ";"
            doc.multi_cell(half, 4.5, f"- {recipient.rstrip(';.')}{end}", new_x="LMARGIN", new_y="NEXT")
    bottom = doc.get_y()
    doc.set_y(top)
    for text in (authority, title):
        if text:
            _centred(doc, doc.l_margin + half, half, 5.5, text, "B", 12)
    doc.ln(space)
    if signer:
        _centred(doc, doc.l_margin + half, half, 5.5, signer, "B", 12)
    doc.set_y(max(bottom, doc.get_y()))


def to_bytes(doc: FPDF) -> bytes:
    return bytes(doc.output())
