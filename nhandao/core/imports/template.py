"""Downloadable templates: the columns an importer expects, with Vietnamese headers.

openpyxl is imported inside `template_xlsx`: only a template download needs it.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .base import Importer


def template_xlsx(importer: type[Importer]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Dữ liệu")
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE2E2")
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        sheet.column_dimensions[get_column_letter(index)].width = max(
            column.width, len(str(column.header)) + 2
        )
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Hướng dẫn"))
    guide.append([str(importer.label)])
    guide["A1"].font = Font(bold=True, size=13)
    if importer.description:
        guide.append([str(importer.description)])
    guide.append(
        [
            _(
                "Điền dữ liệu vào trang “Dữ liệu”, mỗi người một dòng, giữ nguyên dòng tiêu đề. Cột tô đỏ là "
                "bắt buộc. Tiêu đề không phân biệt hoa thường, có dấu hay không dấu. Không dùng công thức, "
                "không gộp ô."
            )
        ]
    )
    guide.append([])
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi"), _("Ví dụ"), _("Tên cột khác được chấp nhận")])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for column in importer.columns:
        guide.append(
            [
                str(column.header),
                _("Có") if column.required else "",
                str(column.help),
                str(column.example),
                ", ".join(str(a) for a in column.aliases),
            ]
        )
    for letter, width in zip("ABCDE", (26, 10, 70, 24, 40), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()
