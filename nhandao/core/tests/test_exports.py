"""Exports: Vietnamese headers, dd/mm/yyyy dates, integer money; sensitive exports are audited."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from nhandao.core.exports import ExportColumn, export_response, write_csv, write_xlsx
from nhandao.core.models import AuditEvent

ROWS = [
    {"name": "Nguyễn Văn An", "born": dt.date(1962, 3, 5), "paid": 1250000, "id": "031062000123"},
    {"name": "=HYPERLINK(evil)", "born": None, "paid": None, "id": ""},
]
COLUMNS = [
    ExportColumn("name", "Họ và tên"),
    ExportColumn("born", "Ngày sinh", kind="date"),
    ExportColumn("paid", "Hội phí", kind="money"),
]


def test_xlsx_has_vietnamese_headers_real_dates_and_integer_money():
    handle, count = write_xlsx(COLUMNS, ROWS)
    ws = load_workbook(io.BytesIO(handle.read())).active
    assert count == 2
    assert [c.value for c in ws[1]] == ["Họ và tên", "Ngày sinh", "Hội phí"]
    assert ws["B2"].value.date() == dt.date(1962, 3, 5) and ws["B2"].number_format == "DD/MM/YYYY"
    assert ws["C2"].value == 1250000 and isinstance(ws["C2"].value, int)


def test_csv_is_utf8_with_bom_dd_mm_yyyy_and_formula_safe():
    content, count = write_csv(COLUMNS, ROWS)
    text = content.decode("utf-8")
    assert text.startswith("\ufeffHọ và tên,Ngày sinh,Hội phí")
    assert "Nguyễn Văn An,05/03/1962,1250000" in text
    assert "'=HYPERLINK(evil)" in text


def test_money_columns_refuse_floats():
    with pytest.raises(TypeError):
        write_csv([ExportColumn("x", "X", kind="money")], [{"x": 1.5}])


def test_an_export_with_sensitive_columns_is_audited(db):
    columns = [*COLUMNS, ExportColumn("id", "Số CCCD", sensitive=True)]
    export_response(
        actor=None,
        columns=columns,
        rows=ROWS,
        fmt="csv",
        filename="x",
        what="people.person",
        filters={"q": "an"},
    )
    event = AuditEvent.objects.get(action="core.export")
    assert event.data["rows"] == 2 and event.data["sensitive_columns"] == ["Số CCCD"]
    assert event.data["filters"] == {"q": "an"}


def test_an_export_without_sensitive_columns_is_not_audited(db):
    export_response(actor=None, columns=COLUMNS, rows=ROWS, fmt="xlsx", filename="x", what="people.person")
    assert not AuditEvent.objects.filter(action="core.export").exists()


def test_a_control_character_in_a_text_does_not_break_the_workbook():
    rows = [
        {"name": "Nguyễn\x0bVăn\x1fAn", "born": None, "paid": 1, "id": ""},
        {"name": "=A\x01B", "born": None, "paid": 2, "id": ""},
        {"name": "dòng 1\ndòng 2\tcột", "born": None, "paid": 3, "id": ""},
    ]
    handle, count = write_xlsx(COLUMNS, rows)
    ws = load_workbook(io.BytesIO(handle.read())).active
    assert count == 3
    assert [ws[f"A{n}"].value for n in (2, 3, 4)] == ["NguyễnVănAn", "=AB", "dòng 1\ndòng 2\tcột"]
    assert ws["A3"].data_type == "s"
