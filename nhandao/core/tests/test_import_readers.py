"""Files are refused as a whole, with a Vietnamese message, when they cannot be trusted."""

import codecs
import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from nhandao.core.imports import readers
from nhandao.core.imports.base import Column, Importer, header_key
from nhandao.core.imports.errors import ImportRefused
from nhandao.core.imports.parsers import parse_name, parse_phone


def xlsx(rows, *, merge=None, title_rows=()):
    wb = Workbook()
    ws = wb.active
    for row in title_rows:
        ws.append(row)
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class Toy(Importer):
    key = "test.toy"
    columns = [
        Column("name", "Họ và tên", parse_name, required=True, aliases=("Họ tên",)),
        Column("phone", "Điện thoại", parse_phone, aliases=("SĐT",)),
    ]

    def natural_key(self, row):
        return (row.values["name"],)


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """How Windows-1258 stores Vietnamese: base letters precomposed, tone marks combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
            out += (base + "".join(p for p in parts if p in TONES)).encode("cp1258")
    return out


def run(data, name="f.xlsx"):
    return Toy(actor=None, unit=None).run(readers.read_table(data, name))


def test_an_empty_file_is_refused():
    with pytest.raises(ImportRefused) as exc:
        readers.read_table(b"", "a.xlsx")
    assert "rỗng" in exc.value.message


def test_a_file_over_50_mb_is_refused_before_parsing():
    with pytest.raises(ImportRefused) as exc:
        readers.read_table(b"x" * (readers.MAX_BYTES + 1), "big.csv")
    assert "50 MB" in exc.value.message


@pytest.mark.parametrize(
    "data, word",
    [
        (b"%PDF-1.4 ...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"\x00\x01\x02\x03binary\x00\x00", "bảng tính"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(data, word):
    with pytest.raises(ImportRefused) as exc:
        readers.read_table(data, "upload.xlsx")
    assert word in exc.value.message


DATA = Path(__file__).parent / "data"


def test_an_excel_97_workbook_is_read_like_an_xlsx():
    # data/make-xls.py: a merged title row above the header, Excel dates, numbers stored as floats.
    table = readers.read_table((DATA / "members-1997.xls").read_bytes(), "hoi-vien.xls")
    assert (table.format, table.sheet, table.merged) == ("xls", "Danh sách", [(1, 1, 1, 4)])
    assert table.rows[1:] == [
        (3, ["Họ và tên", "Điện thoại", "Ngày sinh", "Số tiền"]),
        (4, ["Nguyễn Thị Hoa", "0912345678", dt.date(1980, 5, 17), 50_000]),
        (5, ["Trần Văn Đức", "0987654321", dt.date(1975, 12, 1), 100_000]),
    ]
    rows, report = Toy(actor=None, unit=None).run(table)
    assert report["header_row"] == 3 and report["format"] == "xls"
    assert [(r.number, r.values["name"], r.values["phone"]) for r in rows] == [
        (4, "Nguyễn Thị Hoa", "0912345678"),
        (5, "Trần Văn Đức", "0987654321"),
    ]


def test_merged_data_cells_of_an_excel_97_workbook_are_refused_naming_them():
    with pytest.raises(ImportRefused) as exc:
        run((DATA / "members-merged.xls").read_bytes(), "hoi-vien.xls")
    assert "ô gộp" in exc.value.message and "A5:B5" in exc.value.message


def test_a_word_97_document_or_an_encrypted_workbook_is_refused_saying_what_it_is():
    with pytest.raises(ImportRefused) as exc:
        readers.read_table((DATA / "word-97.doc").read_bytes(), "hoi-vien.xls")
    assert "không phải bảng tính Excel 97-2003" in exc.value.message and ".xlsx" in exc.value.message
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(ImportRefused) as exc:
        readers.read_table(encrypted, "hoi-vien.xls")
    assert "mật khẩu" in exc.value.message


def test_a_word_document_is_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportRefused) as exc:
        readers.read_table(buf.getvalue(), "cv.docx")
    assert "Word" in exc.value.message


def test_a_sheet_with_only_headers_is_refused():
    with pytest.raises(ImportRefused) as exc:
        run(xlsx([["Họ và tên", "Điện thoại"]]))
    assert "không có dòng dữ liệu" in exc.value.message


def test_a_sheet_without_the_required_column_is_refused_naming_it():
    with pytest.raises(ImportRefused) as exc:
        run(xlsx([["Tên đệm", "Điện thoại"], ["A", "0912345678"]]))
    assert "Họ và tên" in exc.value.message


def test_formulas_are_refused_naming_the_cell():
    with pytest.raises(ImportRefused) as exc:
        run(xlsx([["Họ và tên", "Điện thoại"], ["An", "=A2&B1"]]))
    assert "công thức" in exc.value.message and "B2" in exc.value.message


def test_merged_header_cells_are_refused():
    with pytest.raises(ImportRefused) as exc:
        run(xlsx([["Họ và tên", None, "Điện thoại"], ["An", "", "0912345678"]], merge="A1:B1"))
    assert "ô gộp" in exc.value.message and "A1:B1" in exc.value.message


def test_merged_cells_in_the_data_are_refused():
    with pytest.raises(ImportRefused) as exc:
        run(xlsx([["Họ và tên", "Điện thoại"], ["An", "0912345678"], ["Bình", None]], merge="B2:B3"))
    assert "Vùng dữ liệu có ô gộp" in exc.value.message


def test_a_merged_title_above_the_header_is_fine_and_the_header_is_found():
    data = xlsx(
        [["HỌ TÊN", "sđt"], ["NGUYỄN VĂN AN", "0912 345 678"]],
        title_rows=[["DANH SÁCH HỘI VIÊN NĂM 2025", None], [None, None]],
        merge="A1:B1",
    )
    rows, report = run(data)
    assert report["header_row"] == 3
    assert rows[0].values == {"name": "Nguyễn Văn An", "phone": "0912345678"}
    assert rows[0].number == 4


def test_blank_rows_are_skipped_and_row_numbers_match_excel():
    data = xlsx([["Họ và tên", "Điện thoại"], ["An", ""], [None, None], ["Bình", "12"]])
    rows, report = run(data)
    assert [r.number for r in rows] == [2, 4]
    problem = report["problems"][0]
    assert problem["row"] == 4 and problem["column"] == "Điện thoại" and problem["cell"] == "B4"


def test_duplicate_natural_keys_within_a_file_are_errors_on_the_later_row():
    rows, report = run(xlsx([["Họ và tên"], ["An"], ["AN"]]))
    assert rows[0].ok and not rows[1].ok
    assert "dòng 2" in rows[1].errors[0][1]


def test_required_cells_left_blank_are_errors():
    rows, _report = run(xlsx([["Họ và tên", "Điện thoại"], [None, "0912345678"]]))
    assert rows[0].errors == [("name", "Bắt buộc, không được để trống.")]


def test_headers_match_without_case_diacritics_or_decorations():
    assert header_key("HỌ VÀ TÊN (*)") == header_key("ho va ten") == header_key("Họ  và tên:")


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        cp1258,
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "windows-1258"],
)
def test_csv_is_read_in_every_encoding_excel_writes(encode):
    text = "Họ và tên;Điện thoại\r\nNguyễn Thị Hằng;0912345678\r\n"
    rows, report = run(encode(text), "ds.csv")
    assert rows[0].values["name"] == "Nguyễn Thị Hằng"
    assert rows[0].values["phone"] == "0912345678"


def test_csv_delimiters_are_sniffed():
    rows, _ = run("Họ và tên\tĐiện thoại\nAn\t0912345678\n".encode(), "ds.txt")
    assert rows[0].values["phone"] == "0912345678"
