"""Turning the bytes of a statement file into tables of cells.

What comes in is decided by the content, never the file name: banks' "Excel"
exports are sometimes HTML tables, and CSV may be separated by "|", ";", ","
or tabs.  Excel 97-2003 (.xls) workbooks are read with python-calamine.  Encrypted
Office files and other Office 97 files are refused with a message that says what to do.

openpyxl and python-calamine are imported where a spreadsheet is read: not every process needs them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from nhandao.core.imports import readers
from nhandao.core.imports.errors import ImportRefused
from nhandao.core.text import nfc

from .model import StatementError
from .values import FormulaCell

MAX_BYTES = 50 * 1024 * 1024  # checked before anything is decoded or unzipped
MAX_UNZIPPED = 400 * 1024 * 1024  # an XLSX's parts once unzipped (a "zip bomb" is refused unread)
MAX_ROWS = 1_000_000  # rows of a sheet; a statement of the largest appeal had 200,000 lines
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    row_numbers: list[int] = field(default_factory=list)  # 1-based file line / sheet row of each row
    kind: str = "csv"  # csv | xlsx | html
    notes: list[str] = field(default_factory=list)  # Vietnamese warnings about the sheet (formula cells)
    delimiter: str = ""  # of a text table: cells split inside a memo are joined back with it

    def __post_init__(self):
        if not self.row_numbers:
            self.row_numbers = list(range(1, len(self.rows) + 1))


def read(data: bytes, filename: str = "") -> list[Sheet]:
    """The tables in a file; raises StatementError when it cannot be read at all."""
    if not data:
        raise StatementError(_("Tệp rỗng."))
    if len(data) > MAX_BYTES:
        raise StatementError(_("Tệp quá lớn (tối đa %(n)d MB).") % {"n": MAX_BYTES // (1024 * 1024)})
    if data.startswith(_OLE2):
        if readers.is_encrypted_office(data):
            raise StatementError(
                _(
                    "Tệp Excel này được đặt mật khẩu (mã hóa) nên không đọc được. Hãy mở tệp bằng Excel, "
                    "gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc), lưu lại rồi tải lên lần nữa."
                )
            )
        return _read_xls(data)
    if data.startswith(_ZIP):
        return _read_xlsx(data)
    if data.lstrip()[:5] == b"%PDF-":
        raise StatementError(
            _("Tệp PDF chưa đọc được; hãy tải bản sao kê dạng Excel (.xlsx) hoặc CSV từ ngân hàng.")
        )
    text = _decode(data)
    if _looks_like_spreadsheet_ml(text):
        return _read_spreadsheet_ml(text)
    if _looks_like_html(text):
        sheets = _read_html(text)
        if not sheets:
            raise StatementError(_html_refusal(filename, _("không có bảng nào trong trang")))
        return sheets
    return [_read_csv(text)]


def _html_refusal(filename: str, reason: str) -> str:
    if filename.lower().endswith((".xls", ".xlsx")):
        return _("Tệp có đuôi Excel nhưng thực chất là trang HTML, và không đọc được bảng sao kê: %(r)s.") % {
            "r": reason
        }
    return _("Tệp là trang HTML và không đọc được bảng sao kê: %(r)s.") % {"r": reason}


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StatementError(_("Tệp không phải bảng sao kê đọc được (dữ liệu nhị phân lạ)."))
    for encoding in (
        ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    ):
        try:
            return nfc(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    # Older Windows exports in Vietnam use the Vietnamese code page.
    return nfc(data.decode("cp1258", errors="replace"))


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<table", "<?xml")) and (
        "<table" in text[:200000].lower() or "<html" in head
    )


_SS = "urn:schemas-microsoft-com:office:spreadsheet"


def _looks_like_spreadsheet_ml(text: str) -> bool:
    """Excel 2003 XML ("XML Spreadsheet"), which some e-banking sites save under ".xls"."""
    head = text[: 1 << 20]  # a prolog of comments may push the root far down
    return head.lstrip().startswith("<?xml") and _SS in head and "<Workbook" in head


def _read_spreadsheet_ml(text: str) -> list[Sheet]:
    """The worksheets of an Excel 2003 XML workbook, cells placed by their ss:Index and
    ss:MergeAcross, typed by ss:Type (String, Number, DateTime, Boolean) as Excel would show them."""
    if _DOCTYPE_TEXT.search(text):  # the whole text: a prolog may be padded past any head
        raise StatementError(
            _(
                "Tệp Excel 2003 (XML) có khai báo thực thể XML (DOCTYPE/ENTITY) mà Excel không bao giờ tạo ra: "
                "tệp có thể đã bị sửa để tấn công máy chủ nên không được đọc."
            )
        )
    ss = f"{{{_SS}}}"
    sheets: list[Sheet] = []
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        raise StatementError(
            _(
                "Tệp Excel 2003 (XML) bị hỏng ở dòng %(n)d: không đọc được. Hãy mở bằng Excel, lưu thành .xlsx."
            )
            % {"n": line}
        ) from None
    for worksheet in root.iter(ss + "Worksheet"):
        rows: list[list[object]] = []
        numbers: list[int] = []
        number = 0
        for table in worksheet.iter(ss + "Table"):
            for row in table.iter(ss + "Row"):
                number = _position(row.get(ss + "Index"), MAX_ROWS + 1) or number + 1
                cells: list[object] = []
                for cell in row.iter(ss + "Cell"):
                    index = _position(cell.get(ss + "Index"), _MAX_COLUMNS)
                    if index > len(cells) + 1:
                        cells.extend([None] * (index - 1 - len(cells)))
                    data = cell.find(ss + "Data")
                    cells.append(_spreadsheet_ml_value(data, ss) if data is not None else None)
                    cells.extend([None] * _position(cell.get(ss + "MergeAcross"), _MAX_COLUMNS - len(cells)))
                rows.append(cells)
                numbers.append(number)
                if len(rows) > MAX_ROWS:
                    raise StatementError(_too_many_rows())
        sheets.append(Sheet(nfc(worksheet.get(ss + "Name") or ""), rows, numbers, kind="xlsx"))
    if not sheets:
        raise StatementError(_("Tệp Excel 2003 (XML) không có trang tính nào."))
    return sheets


_MAX_COLUMNS = 16_384  # Excel's own


def _position(value: str | None, limit: int) -> int:
    """An ss:Index or ss:MergeAcross: 0 when absent or unreadable, never beyond `limit`."""
    try:
        return max(0, min(int(value), limit))
    except (TypeError, ValueError):
        return 0


def _spreadsheet_ml_value(data, ss: str) -> object:
    text = "".join(data.itertext())  # rich text keeps its words in nested html:Font elements
    kind = data.get(ss + "Type", "String")
    if kind == "Number":
        try:
            value = float(text)
        except ValueError:
            return text.strip()
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    if kind == "DateTime":
        try:
            return dt.datetime.fromisoformat(text.strip().split(".")[0])
        except ValueError:
            return text.strip()
    if kind == "Boolean":
        return text.strip() == "1"
    return nfc(text) if text else None


_DELIMITERS = ("|", ";", "\t", ",")


def _sniff_delimiter(text: str) -> str:
    """The delimiter giving the most columns consistently over the first lines."""
    sample = [line for line in text[:65536].splitlines() if line.strip()][:40]
    best, best_score = ",", 0.0
    for delim in _DELIMITERS:
        try:
            rows = list(csv.reader(sample, delimiter=delim))
        except csv.Error:
            continue
        counts = [len(r) for r in rows if len(r) > 1]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * common
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(text: str) -> Sheet:
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    numbers: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            numbers.append(start)
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS:
                raise StatementError(_too_many_rows())
    except csv.Error as exc:
        raise StatementError(
            _("Tệp CSV hỏng ở dòng %(n)d: %(e)s") % {"n": reader.line_num, "e": exc}
        ) from None
    return Sheet("", rows, numbers, kind="csv", delimiter=delimiter)


def _read_xlsx(data: bytes) -> list[Sheet]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise StatementError(_("Tệp .xlsx bị hỏng (không mở được).")) from None
    if "xl/workbook.xml" not in names:
        raise StatementError(_("Tệp nén này không phải sổ tính Excel (.xlsx)."))
    formulas = _check_parts(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile, SyntaxError):
        raise StatementError(
            _(
                "Tệp .xlsx bị hỏng: Excel lưu sai cấu trúc bên trong. Hãy mở bằng Excel, lưu lại rồi tải lên lần nữa."
            )
        ) from None
    sheets = []
    try:
        for ws in workbook.worksheets:
            rows = []
            for values in ws.iter_rows(values_only=True):
                row = list(values)
                for i, cell in enumerate(row):
                    if isinstance(cell, str):
                        row[i] = nfc(cell)
                rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise StatementError(_too_many_rows())
            sheet = Sheet(ws.title, rows, kind="xlsx")
            _mark_formulas(sheet, formulas.get(getattr(ws, "_worksheet_path", ""), {}))
            sheets.append(sheet)
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, SyntaxError):
        raise StatementError(
            _(
                "Tệp .xlsx bị hỏng: Excel lưu sai cấu trúc bên trong. Hãy mở bằng Excel, lưu lại rồi tải lên lần nữa."
            )
        ) from None
    finally:
        workbook.close()
    return sheets


def _read_xls(data: bytes) -> list[Sheet]:
    """An Excel 97-2003 workbook (BIFF8, the .xls many banks' e-banking still exports), read
    with python-calamine: every sheet, cells as Excel shows them (dates as datetimes).  Any
    other file in an OLE2 container (a Word 97 document, an Outlook message) is refused."""
    try:
        workbook, names = readers.open_xls(data)
    except ImportRefused as exc:
        raise StatementError(exc.message) from None
    sheets = []
    try:
        for index, name in enumerate(names):
            sheet = workbook.get_sheet_by_index(index)
            start = sheet.start[0] if sheet.start else 0
            rows = []
            for values in sheet.iter_rows():
                rows.append([None if v == "" else nfc(v) if isinstance(v, str) else v for v in values])
                if len(rows) > MAX_ROWS:
                    raise StatementError(_too_many_rows())
            sheets.append(Sheet(name, rows, list(range(start + 1, start + 1 + len(rows))), kind="xlsx"))
    except StatementError:
        raise
    except Exception:
        raise StatementError(
            _(
                "Tệp .xls bị hỏng (không đọc hết được). Hãy mở bằng Excel, lưu thành .xlsx rồi tải lên lần nữa."
            )
        ) from None
    finally:
        workbook.close()
    return sheets


def _too_many_rows() -> str:
    return _("Tệp có quá nhiều dòng (tối đa %(n)s dòng một bảng); hãy tách sao kê thành nhiều tệp.") % {
        "n": f"{MAX_ROWS:,}".replace(",", ".")
    }


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f(?:\s[^>]*)?>([^<]*)</f>\s*(<v>[^<])?')
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DOCTYPE_TEXT = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_parts(data: bytes) -> dict[str, dict[tuple[int, int], tuple[str, bool]]]:
    """Refuse entity tricks and zip bombs before any XML parser sees the parts; list formula cells.

    An XLSX part never needs a DOCTYPE: one declaring entities is the "billion
    laughs" or an external entity (XXE) reaching for files, refused unread.
    Returns, per worksheet part, {(row, column index): (formula, has a cached value)}.
    """
    formulas: dict[str, dict[tuple[int, int], tuple[str, bool]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > MAX_UNZIPPED:
            raise StatementError(
                _("Tệp .xlsx giải nén ra quá lớn (tối đa %(n)d MB): không phải sao kê bình thường.")
                % {"n": MAX_UNZIPPED // (1024 * 1024)}
            )
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(info) as part:
                head = part.read(4096).replace(b"\x00", b"")
                if _DOCTYPE.search(head):
                    raise StatementError(
                        _(
                            "Tệp .xlsx có khai báo thực thể XML (DOCTYPE/ENTITY) mà Excel không bao giờ tạo ra: "
                            "tệp có thể đã bị sửa để tấn công máy chủ nên không được đọc."
                        )
                    )
                if info.filename.startswith("xl/worksheets/"):
                    rest = head + part.read()
                    if b"</f>" in rest:
                        found = {}
                        for match in _FORMULA_CELL.finditer(rest):
                            col, row, text, cached = match.groups()
                            found[(int(row), _column(col))] = (text.decode("utf-8", "replace"), bool(cached))
                        formulas["/" + info.filename] = found
                        formulas[info.filename] = found
    return formulas


def _column(letters: bytes) -> int:
    index = 0
    for ch in letters.decode():
        index = index * 26 + (ord(ch) - ord("A") + 1)
    return index - 1


def _mark_formulas(sheet: Sheet, found: dict[tuple[int, int], tuple[str, bool]]) -> None:
    """A formula cell without a value saved by Excel becomes a FormulaCell (a problem where it is
    read); those with a saved value are read as saved, and the sheet notes that it has formulas."""
    if not found:
        return
    first = min(found)
    for (row, col), (text, cached) in found.items():
        if not cached and row - 1 < len(sheet.rows):
            cells = sheet.rows[row - 1]
            while len(cells) <= col:
                cells.append(None)
            cells[col] = FormulaCell("=" + text)
    sheet.notes.append(
        _(
            "Tệp có %(n)d ô công thức (ô đầu tiên: %(cell)s); đã dùng giá trị Excel lưu sẵn trong tệp, ô nào "
            "không có giá trị lưu sẵn thì dòng đó cần sửa tay."
        )
        % {"n": len(found), "cell": f"{_letters(first[1])}{first[0]}"}
    )


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


class _TableParser(HTMLParser):
    """Rows of cells from every <table>, honouring colspan and rowspan, <br> as a line break."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[dict] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append({"rows": [], "row": None, "pending": {}})
        elif not self._stack:
            return
        elif tag == "tr":
            self._stack[-1]["row"] = []
        elif tag in ("td", "th"):
            attrs = dict(attrs)
            self._cell = []
            self._span = (_int(attrs.get("colspan")), _int(attrs.get("rowspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th") and self._cell is not None:
            text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self._cell)).strip()
            if table["row"] is None:
                table["row"] = []
            self._place(table, text)
            self._cell = None
        elif tag == "tr" and table["row"] is not None:
            self._fill_pending(table, len(table["row"]) + 1000)
            table["rows"].append(table["row"])
            table["row"] = None
        elif tag == "table":
            self._stack.pop()
            if table["rows"]:
                self.tables.append(table["rows"])

    def _fill_pending(self, table, upto):
        row, pending = table["row"], table["pending"]
        while len(row) in pending and len(row) < upto:
            col = len(row)
            text, left = pending[col]
            row.append(text)
            if left <= 1:
                del pending[col]
            else:
                pending[col] = (text, left - 1)

    def _place(self, table, text):
        row = table["row"]
        self._fill_pending(table, len(row) + 1)
        colspan, rowspan = self._span
        for i in range(colspan):
            col = len(row)
            row.append(text if i == 0 else "")
            if rowspan > 1:
                table["pending"][col] = (text if i == 0 else "", rowspan - 1)


def _int(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1


def _read_html(text: str) -> list[Sheet]:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return [
        Sheet(f"#{i}" if len(parser.tables) > 1 else "", [list(r) for r in rows], kind="html")
        for i, rows in enumerate(parser.tables, start=1)
    ]
