"""VietQR images: SVG for screens, PNG posters with the transfer details written under the code.

The poster caption is drawn with the vendored DejaVu Sans so Vietnamese renders
on any server, with or without system fonts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from nhandao.core import fonts
from nhandao.core.formatting import money

# Error correction M: the code stays readable when printed small or slightly
# damaged, and a 150-character payload still fits a version 7 symbol.
ERROR_LEVEL = "m"


def _qr(payload: str):
    return segno.make_qr(payload, error=ERROR_LEVEL, boost_error=False)


def svg(payload: str, *, scale: int = 4, title: str = "") -> str:
    """Inline SVG markup (no XML declaration) for a page."""
    return _qr(payload).svg_inline(scale=scale, border=4, title=title or None, dark="#000", light="#fff")


@dataclass(frozen=True)
class Caption:
    bank_name: str = ""
    account_number: str = ""
    account_holder: str = ""
    purpose: str = ""
    amount: int | None = None
    title: str = ""

    def lines(self) -> list[tuple[str, bool]]:
        """(text, bold) lines in reading order; empty fields are left out."""
        rows: list[tuple[str, bool]] = []
        if self.title:
            rows.append((self.title, True))
        if self.bank_name:
            rows.append((_("Ngân hàng: %(v)s") % {"v": self.bank_name}, False))
        if self.account_number:
            rows.append((_("Số tài khoản: %(v)s") % {"v": self.account_number}, True))
        if self.account_holder:
            rows.append((_("Chủ tài khoản: %(v)s") % {"v": self.account_holder}, False))
        if self.amount:
            rows.append((_("Số tiền: %(v)s") % {"v": money(self.amount)}, True))
        if self.purpose:
            rows.append((_("Nội dung chuyển khoản: %(v)s") % {"v": self.purpose}, True))
        return rows


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if not current or draw.textlength(trial, font=font) <= width:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def poster_png(payload: str, caption: Caption, *, module_px: int = 12) -> bytes:
    """A PNG: the code on top, the caption lines centred beneath it."""
    qr = _qr(payload)
    matrix = [list(row) for row in qr.matrix]
    border = 4
    size = (len(matrix) + 2 * border) * module_px
    width = max(size, 640)
    margin = 32
    regular = ImageFont.truetype(fonts.path("DejaVuSans.ttf"), 26)
    bold = ImageFont.truetype(fonts.path("DejaVuSans-Bold.ttf"), 28)

    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    wrapped: list[tuple[str, object]] = []
    for text, is_bold in caption.lines():
        font = bold if is_bold else regular
        wrapped.extend((line, font) for line in _wrap(measure, text, font, width - 2 * margin))
    line_height = 40
    height = size + (len(wrapped) * line_height + margin if wrapped else 0)

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    left = (width - size) // 2
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x = left + (c + border) * module_px
                y = (r + border) * module_px
                draw.rectangle([x, y, x + module_px - 1, y + module_px - 1], fill=0)
    y = size
    for line, font in wrapped:
        draw.text((width // 2, y + line_height // 2), line, font=font, fill=0, anchor="mm")
        y += line_height
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
