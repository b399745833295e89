"""Every import has caps on size, rows, columns and cell length, checked before the file is
loaded (or while a CSV streams), each refused with a Vietnamese message naming the limit."""

import io

import pytest
from openpyxl import Workbook

from nhandao.core.imports import readers
from nhandao.core.imports.errors import ImportRefused


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 20)
    monkeypatch.setattr(readers, "HEADER_SCAN_ROWS", 5)


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(ImportRefused) as exc:
        readers.read_table(data, name)
    return exc.value.message


def test_an_xlsx_with_more_rows_than_the_cap_is_refused_before_its_sheet_is_loaded(small_caps, monkeypatch):
    loaded = []
    monkeypatch.setattr(readers, "_xlsx_rows", lambda sheet: loaded.append(sheet) or [])
    message = refusal(xlsx([["Họ và tên"]] + [[f"Người {i}"] for i in range(40)]), "a.xlsx")
    assert "hơn 20 dòng dữ liệu" in message and "chia thành nhiều tệp" in message
    assert loaded == []


def test_a_csv_with_more_rows_than_the_cap_is_refused(small_caps):
    data = ("Họ và tên\n" + "".join(f"Người {i}\n" for i in range(40))).encode()
    assert "hơn 20 dòng dữ liệu" in refusal(data, "a.csv")


def test_a_file_at_the_cap_is_read(small_caps):
    data = ("Họ và tên\n" + "".join(f"Người {i}\n" for i in range(20))).encode()
    assert len(readers.read_table(data, "a.csv").rows) == 21


def test_too_many_columns_are_refused_naming_the_row():
    data = ("a," * (readers.MAX_COLUMNS + 5) + "b\n").encode()
    message = refusal(data, "a.csv")
    assert f"vượt giới hạn {readers.MAX_COLUMNS} cột" in message and "Dòng 1" in message
    wide = xlsx([[f"c{i}" for i in range(readers.MAX_COLUMNS + 1)]])
    assert f"vượt giới hạn {readers.MAX_COLUMNS} cột" in refusal(wide, "a.xlsx")


def test_a_huge_csv_field_gets_a_vietnamese_message_not_the_csv_modules_english():
    data = b'Ho ten,Ghi chu\nAn,"' + b"x" * 200_000 + b'"\n'
    message = refusal(data, "a.csv")
    assert "dài hơn 5.000 ký tự" in message and "dòng 2" in message
    assert "field" not in message


def test_a_long_cell_is_named_by_its_reference():
    message = refusal(xlsx([["Họ và tên"], ["x" * (readers.MAX_CELL_CHARS + 1)]]), "a.xlsx")
    assert "Ô A2 (dòng 2)" in message
