"""Downloadable templates: the columns an importer expects, with Vietnamese headers.

Written by the core exporter (`nhandao.core.exports`): a "Dữ liệu" sheet with the headers only
(required ones shaded) and a "Hướng dẫn" sheet describing each column.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..exports import ExportColumn, Sheet, write_workbook
from .base import Importer


def template_xlsx(importer: type[Importer]) -> bytes:
    data = Sheet(
        columns=[
            ExportColumn(
                "",
                column.header,
                width=max(column.width, len(str(column.header)) + 2),
                marked=column.required,
            )
            for column in importer.columns
        ],
        rows=(),
        title=_("Dữ liệu"),
    )
    guide = Sheet(
        columns=[
            ExportColumn(lambda c: str(c.header), _("Cột"), width=26),
            ExportColumn(lambda c: _("Có") if c.required else "", _("Bắt buộc"), width=10),
            ExportColumn(lambda c: str(c.help), _("Cách ghi"), width=70),
            ExportColumn(lambda c: str(c.example), _("Ví dụ"), width=24),
            ExportColumn(
                lambda c: ", ".join(str(a) for a in c.aliases), _("Tên cột khác được chấp nhận"), width=40
            ),
        ],
        rows=importer.columns,
        title=_("Hướng dẫn"),
        preamble=[
            importer.label,
            *([importer.description] if importer.description else []),
            _(
                "Điền dữ liệu vào trang “Dữ liệu”, mỗi người một dòng, giữ nguyên dòng tiêu đề. Cột tô đỏ là "
                "bắt buộc. Tiêu đề không phân biệt hoa thường, có dấu hay không dấu. Không dùng công thức, "
                "không gộp ô."
            ),
        ],
        wrap=True,
    )
    handle, _rows = write_workbook([data, guide])
    return handle.read()
