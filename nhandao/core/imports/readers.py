"""Reading uploaded spreadsheets into plain rows, refusing what cannot be trusted.

`read_table(data, filename)` returns a `Table`: the sheet's rows as lists of
cell values (str, int, float, date, datetime or None) with their 1-based row
numbers as the user sees them in Excel.  XLSX is read with python-calamine
(a Rust reader, ~10x faster than openpyxl on 100,000 rows), and so is the old
binary .xls; CSV is decoded from UTF-8 (with or without BOM), UTF-16 (with BOM)
or Windows-1258, the Vietnamese ANSI code page older Excel versions write, and
its delimiter is sniffed.

Caps, checked early and while streaming, each refused with a Vietnamese message naming
the limit (README, "Nhập dữ liệu"): MAX_BYTES per file, MAX_ROWS data rows (an XLSX
sheet's rows are counted in its XML before the sheet is loaded; a CSV stops reading at
the first row past the cap), MAX_COLUMNS columns per row and MAX_CELL_CHARS characters
per cell (the csv module's own "field larger than field limit" never reaches a user).

Refused with a Vietnamese message (ImportRefused), before anything is parsed:
an empty file, a file over MAX_BYTES, anything that is not XLSX/XLS/CSV (PDF, Word,
images), an encrypted workbook, XLSX formulas (their cached values may be stale or
missing) and merged cells in the header row or the data (only the top-left
cell of a merge keeps its value).  Merged title rows above the header are fine.

python-calamine is imported inside `_read_xlsx`: only an uploaded spreadsheet needs it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .errors import ImportRefused

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000  # data rows of one file
MAX_COLUMNS = 100
MAX_CELL_CHARS = 5_000
HEADER_SCAN_ROWS = 30

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SIGNATURES = [
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"{\\rtf", "RTF"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7z"),
]


@dataclass
class Table:
    rows: list[tuple[int, list]]  # (row number as Excel shows it, cell values)
    format: str  # "xlsx", "xls" or "csv"
    sheet: str = ""
    encoding: str = ""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2

    def check_merges(self, header_row: int) -> None:
        """Refuse merged cells in the header row or below it (titles above are fine)."""
        for r1, c1, r2, c2 in self.merged:
            if r2 < header_row:
                continue
            ref = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
            if r1 <= header_row <= r2:
                raise ImportRefused(
                    _(
                        "Dòng tiêu đề có ô gộp (%(ref)s). Hãy bỏ gộp ô (Merge & Center) để mỗi cột có "
                        "một tiêu đề riêng rồi tải lên lại."
                    )
                    % {"ref": ref}
                )
            raise ImportRefused(
                _(
                    "Vùng dữ liệu có ô gộp (%(ref)s); chỉ ô đầu tiên của vùng gộp còn giá trị. Hãy bỏ gộp "
                    "ô và điền đủ giá trị cho từng dòng rồi tải lên lại."
                )
                % {"ref": ref}
            )


def column_letter(index: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def check_upload(data: bytes) -> None:
    """What can be refused without reading the file: empty, or over MAX_BYTES."""
    size = len(data)
    if size == 0:
        raise ImportRefused(_("Tệp rỗng, không có dữ liệu."))
    if size > MAX_BYTES:
        raise ImportRefused(
            _("Tệp lớn %(mb)s MB, vượt giới hạn %(max)s MB. Hãy chia thành nhiều tệp nhỏ hơn.")
            % {"mb": f"{size / 1024 / 1024:.0f}", "max": MAX_BYTES // 1024 // 1024}
        )


def _too_many_rows(seen: int) -> ImportRefused:
    return ImportRefused(
        _(
            "Tệp có hơn %(max)s dòng dữ liệu (đã đếm %(n)s dòng), vượt giới hạn một lần nhập. Hãy chia "
            "thành nhiều tệp, mỗi tệp tối đa %(max)s dòng."
        )
        % {"max": f"{MAX_ROWS:,}".replace(",", "."), "n": f"{seen:,}".replace(",", ".")}
    )


def _too_many_columns(row: int, n: int) -> ImportRefused:
    return ImportRefused(
        _("Dòng %(row)s có %(n)s cột, vượt giới hạn %(max)s cột. Hãy bỏ các cột không cần nhập.")
        % {"row": row, "n": n, "max": MAX_COLUMNS}
    )


def _cell_too_long(row: int, col: int = 0) -> ImportRefused:
    """col 0: the cell is not known (the csv module stopped inside it)."""
    limit = f"{MAX_CELL_CHARS:,}".replace(",", ".")
    if not col:
        return ImportRefused(
            _(
                "Một ô ở dòng %(row)s dài hơn %(max)s ký tự; không phải dữ liệu cần nhập. Hãy kiểm tra lại tệp."
            )
            % {"row": row, "max": limit}
        )
    return ImportRefused(
        _(
            "Ô %(ref)s (dòng %(row)s) dài hơn %(max)s ký tự; không phải dữ liệu cần nhập. Hãy kiểm tra lại tệp."
        )
        % {"ref": cell_ref(row, col), "row": row, "max": limit}
    )


def read_table(data: bytes, filename: str = "") -> Table:
    check_upload(data)
    head = data[:8]
    if head.startswith(_ZIP):
        return _read_xlsx(data)
    if head.startswith(_OLE2):
        return _read_xls(data)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            raise ImportRefused(
                _("Tệp này là %(kind)s, không phải bảng tính. Chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV.")
                % {"kind": kind}
            )
    return _read_csv(data)


# XLSX ------------------------------------------------------------------------
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]+[0-9]+)"')


def _sheet_paths(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, path inside the archive) in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    result = []
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        result.append((sheet.get("name", ""), path))
    return result


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> str | None:
    """Stream the sheet XML once before the sheet is loaded: refuse a sheet of more rows than
    MAX_ROWS (plus a title block); return the reference of the first cell holding a formula."""
    try:
        handle = archive.open(path)
    except KeyError:
        return None
    tail, rows, formula = b"", 0, None
    with handle:
        while True:
            chunk = handle.read(1 << 20)
            if not chunk:
                return formula
            buffer = tail + chunk
            # Rows are counted in the new bytes only (a tag split across chunks is rare and
            # only makes the count a little low).
            rows += len(_ROW.findall(chunk))
            if rows > MAX_ROWS + HEADER_SCAN_ROWS:
                raise _too_many_rows(rows)
            if formula is None:
                match = _FORMULA.search(buffer)
                if match:
                    refs = _CELL_REF.findall(buffer, 0, match.start())
                    formula = refs[-1].decode() if refs else "?"
            tail = buffer[-4096:]


def _read_xlsx(data: bytes) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ImportRefused(_("Tệp Excel bị hỏng hoặc chưa tải lên hết; không đọc được.")) from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise ImportRefused(
                _("Đây là tệp Word, không phải bảng tính. Chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV.")
            )
        if "content.xml" in names:
            raise ImportRefused(
                _("Đây là tệp OpenDocument; hãy lưu thành Excel (.xlsx) hoặc CSV rồi tải lên lại.")
            )
        raise ImportRefused(_("Tệp nén này không phải bảng tính Excel (.xlsx)."))
    try:
        sheets = _sheet_paths(archive)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:
        raise ImportRefused(_("Tệp Excel bị hỏng; không đọc được. Hãy mở và lưu lại bằng Excel.")) from None
    if not sheets:
        raise ImportRefused(_("Tệp Excel không có trang tính nào."))
    return _first_sheet_with_data(
        workbook,
        [name for name, _path in sheets],
        "xlsx",
        lambda index: _scan_sheet(archive, sheets[index][1]),
    )


def _first_sheet_with_data(workbook, names: list[str], format: str, scan=None) -> Table:
    """The first sheet with any data is the one imported (officers keep notes on later sheets).
    `scan(index)`, called before the sheet is loaded, may refuse it (too many rows) or return the
    reference of its first formula cell, which refuses it once it has data."""
    for index, name in enumerate(names):
        formula = scan(index) if scan else None
        try:
            sheet = workbook.get_sheet_by_index(index)
        except Exception:
            continue
        if (sheet.width or 0) > MAX_COLUMNS:
            raise _too_many_columns(HEADER_SCAN_ROWS if sheet.height > 1 else 1, sheet.width)
        rows = _xlsx_rows(sheet)
        if not rows:
            continue
        if formula:
            raise ImportRefused(
                _(
                    "Trang “%(sheet)s” có công thức (ô %(ref)s). Hãy sao chép toàn bộ rồi dán dạng giá trị "
                    "(Paste Special → Values) và tải lên lại."
                )
                % {"sheet": name, "ref": formula}
            )
        merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []]
        return Table(rows=rows, format=format, sheet=name, merged=merged)
    raise ImportRefused(_("Tệp Excel không có dữ liệu."))


# Streams an encrypted Office file (ECMA-376 agile or standard encryption) keeps in its OLE2
# container, as its directory names them.
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def is_encrypted_office(data: bytes) -> bool:
    """An OLE2 file that holds a password-protected Office document (bank statements ask too)."""
    return any(marker in data for marker in _ENCRYPTED_MARKERS)


def _read_xls(data: bytes) -> Table:
    """An Excel 97-2003 workbook (BIFF8: at most 65,536 rows and 256 columns a sheet), read like
    an XLSX.  Its formulas carry the values Excel computed when it saved the file."""
    if is_encrypted_office(data):
        raise ImportRefused(
            _(
                "Tệp Excel này được đặt mật khẩu nên không đọc được. Hãy mở bằng Excel, gỡ mật khẩu, lưu lại "
                "rồi tải lên lần nữa."
            )
        )
    workbook, names = open_xls(data)
    return _first_sheet_with_data(workbook, names, "xls")


def open_xls(data: bytes):
    """python-calamine's workbook of an Excel 97-2003 (.xls) file and its sheet names.  Any other
    file in the same OLE2 container (a Word 97 document, an Outlook message, a broken .xls) is
    refused (ImportRefused) saying what to do.  Bank statements read theirs with it too."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook, list(workbook.sheet_names)
    except Exception:  # calamine raises its own errors for whatever it cannot parse
        raise ImportRefused(
            _(
                "Đây là tệp Office cũ nhưng không phải bảng tính Excel 97-2003 đọc được (có thể là tệp Word, "
                "hoặc tệp .xls bị hỏng). Hãy mở bằng Excel, lưu thành “Excel Workbook (.xlsx)” rồi tải lên lại."
            )
        ) from None


def _xlsx_rows(sheet) -> list[tuple[int, list]]:
    start = sheet.start[0] if sheet.start else 0
    rows = []
    for offset, values in enumerate(sheet.iter_rows()):
        cells = [None if v == "" else v for v in values]
        if any(v is not None for v in cells):
            number = start + offset + 1
            for col, v in enumerate(cells, start=1):
                if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                    raise _cell_too_long(number, col)
            rows.append((number, cells))
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise _too_many_rows(len(rows))
    return rows


# CSV -------------------------------------------------------------------------
def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        encoding = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise ImportRefused(_("Không đọc được tệp: không phải bảng tính CSV hay Excel.")) from None
    if b"\x00" in sample:
        raise ImportRefused(_("Không phải bảng tính: chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV."))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1258 writes Vietnamese with combining tone marks; NFC composes them.
    return data.decode("cp1258", errors="replace"), "cp1258"


def _sniff(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ImportRefused(_("Tệp rỗng, không có dữ liệu."))
    control = sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    if control > 8:
        raise ImportRefused(_("Không phải bảng tính: chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV."))
    delimiter = _sniff(text)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            if len(values) > MAX_COLUMNS:
                raise _too_many_columns(number, len(values))
            cells = [v if v.strip() else None for v in values]
            if any(v is not None for v in cells):
                for col, v in enumerate(values, start=1):
                    if len(v) > MAX_CELL_CHARS:
                        raise _cell_too_long(number, col)
                rows.append((number, cells))
                if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise _too_many_rows(len(rows))
    except csv.Error as exc:
        # The module's messages are English ("field larger than field limit (131072)").
        if "field larger" in str(exc):
            raise _cell_too_long(number + 1) from None
        raise ImportRefused(
            _(
                "Tệp CSV bị lỗi định dạng ở dòng %(row)s (dấu ngoặc kép không đóng, hoặc ký tự lạ). "
                "Hãy mở bằng Excel và lưu lại dạng CSV UTF-8."
            )
            % {"row": number + 1}
        ) from None
    if not rows:
        raise ImportRefused(_("Tệp rỗng, không có dữ liệu."))
    return Table(rows=rows, format="csv", encoding=encoding)


def iter_data(table: Table, header_row: int) -> Iterator[tuple[int, list]]:
    for number, values in table.rows:
        if number > header_row:
            yield number, values
