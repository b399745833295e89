"""The one exporter: every CSV and XLSX the site hands out is written here.

A module describes the columns once and hands over any iterable of rows (a
queryset from a selector, usually with .iterator(), dicts, or tuples):

    columns = [
        ExportColumn("full_name", _("Họ và tên"), personal=True),
        ExportColumn("date_of_birth", _("Ngày sinh"), kind="date", personal=True),
        ExportColumn("cccd", _("Số CCCD"), sensitive=True),
        ExportColumn(lambda p: p.dues_total, _("Hội phí đã nộp"), kind="money"),
    ]
    return export_response(actor=request.user, columns=columns, rows=qs.iterator(),
                           fmt="xlsx", filename="hoi-vien", unit=unit, what="people.person",
                           filters={"status": "active"})

What every export gets from here:

- Formula-safe.  A text cell that a spreadsheet would run as a formula (one
  starting with =, +, -, @, tab or CR: `FORMULA_START`) is defused.  In CSV
  (OWASP's CSV-injection rule) such a cell is prefixed with an apostrophe and
  written with RFC 4180 quoting (the csv module quotes a field holding a comma,
  quote or line break and doubles its quotes, so no cell can start inside
  another).  In XLSX every text is written as a string cell (openpyxl would
  otherwise turn a str starting with "=" into a formula) and a text starting
  with a trigger also gets the quotePrefix style, so that editing the cell in
  Excel keeps it text; the value itself is unchanged.  Numbers and dates are not
  text: a negative amount stays a number.
- Headers translated: a header is (lazy) gettext text, written in the active
  language, or in `language` when given (the fund's official-form books keep
  Vietnamese headers whatever the reader's language).
- Typed cells: dates as real dates shown dd/mm/yyyy (CSV: dd/mm/yyyy, ISO for
  HXL), money as whole-đồng integers with thousands separators (floats refused),
  counts as integers.
- Streamed: CSV leaves as a StreamingHttpResponse produced batch by batch; XLSX
  is written by openpyxl in write-only mode into a temporary file spooled to disk
  past 8 MB and sent as a FileResponse.  Memory stays flat for 300,000 rows.
- Audited when it carries personal data: when a column is `personal` or
  `sensitive` (or the caller says `personal_data=True`), one audit event
  "core.export" records who exported what, with which filters and how many rows.
  Such a CSV is first spooled to a temporary file so that the event, written
  before the first byte leaves, carries the row count.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import audit
from .formatting import date as fmt_date

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
SPOOL_BYTES = 8 * 1024 * 1024
CSV_BATCH = 500


@dataclass(frozen=True)
class ExportColumn:
    source: str | Callable[[Any], Any]  # attribute path "unit.name", a dict key, or a function of the row
    header: Any  # (lazy) gettext text
    kind: str = "text"  # text, date, money, int
    sensitive: bool = False  # ID numbers, ethnicity, health: special categories
    personal: bool = False  # names, birth dates, phones, addresses: identifies a person
    width: int = 18
    hxl: str = ""  # HXL hashtag of the open-data downloads; "" leaves the column untagged
    marked: bool = False  # header shaded (the required columns of an import template)

    def value(self, obj) -> Any:
        if callable(self.source):
            return self.source(obj)
        value = obj
        for part in self.source.split("."):
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
            if value is None:
                return None
            if callable(value) and not isinstance(value, type):
                value = value()
        return value


@dataclass
class Sheet:
    """One worksheet: optional title lines above the header row, then one row per item."""

    columns: list[ExportColumn]
    rows: Iterable
    title: Any = None
    preamble: Sequence[Any] = ()
    wrap: bool = False  # wrap long texts (a guide sheet)
    count: list[int] = field(default_factory=lambda: [0])


def defuse(text: str) -> str:
    """The CSV form of a text cell: an apostrophe before a formula trigger (OWASP)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(column: ExportColumn, value):
    if value is None or value == "":
        return None
    if column.kind == "date":
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value
    if column.kind in ("money", "int"):
        if isinstance(value, float):
            raise TypeError("money and counts are integers, never floats")
        return int(value)
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    return str(value)


def _xml_text(text: str) -> str:
    """XLSX is XML, which cannot hold control characters (a memo pasted from a bank's PDF may carry
    one): openpyxl refuses such a cell, so the whole export failed.  They are dropped; tab, line
    feed and carriage return are kept."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _language(language: str | None):
    return translation.override(language) if language else contextlib.nullcontext()


# CSV -----------------------------------------------------------------------------------------
def csv_chunks(
    columns: list[ExportColumn],
    rows: Iterable,
    *,
    hxl: bool = False,
    language: str | None = None,
    counter: list[int] | None = None,
) -> Iterator[str]:
    """UTF-8 CSV text with a BOM (Excel then reads Vietnamese right), in batches of rows.

    With `hxl`, a row of HXL hashtags follows the headers and dates are ISO 8601
    (what HXL tools read); otherwise dates are dd/mm/yyyy.  `counter[0]` counts
    the rows written.
    """
    counter = counter if counter is not None else [0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    with _language(language):
        writer.writerow([str(c.header) for c in columns])
    if hxl:
        writer.writerow([c.hxl for c in columns])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for obj in rows:
        out = []
        for column in columns:
            value = _cell(column, column.value(obj))
            if value is None:
                out.append("")
            elif column.kind == "date":
                out.append(value.isoformat() if hxl else fmt_date(value))
            elif column.kind in ("money", "int"):
                out.append(str(value))
            else:
                out.append(defuse(value))
        writer.writerow(out)
        counter[0] += 1
        if counter[0] % CSV_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(columns: list[ExportColumn], rows: Iterable, **options) -> tuple[bytes, int]:
    """The whole CSV as bytes (small files, tests); (content, number of rows)."""
    counter = [0]
    content = "".join(csv_chunks(columns, rows, counter=counter, **options)).encode("utf-8")
    return content, counter[0]


# XLSX ----------------------------------------------------------------------------------------
def _write_sheet(workbook, sheet: Sheet) -> None:
    ws = workbook.create_sheet(title=str(sheet.title or gettext("Dữ liệu"))[:31])
    columns = sheet.columns
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrapped = Alignment(wrap_text=True, vertical="top")

    def text(value, *, font=None):
        cell = WriteOnlyCell(ws, value=_xml_text(value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if sheet.wrap:
            cell.alignment = wrapped
        return cell

    for n, line in enumerate(sheet.preamble):
        ws.append([text(str(line), font=bold if n == 0 else None)])
    if sheet.preamble:
        ws.append([])
    else:
        ws.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = text(str(column.header), font=bold)
        cell.alignment = centered
        if column.marked:
            cell.fill = PatternFill("solid", fgColor="FDE2E2")
        header.append(cell)
    ws.append(header)
    formats = {"date": DATE_FORMAT, "money": MONEY_FORMAT}
    for obj in sheet.rows:
        out = []
        for column in columns:
            value = _cell(column, column.value(obj))
            if value is None:
                out.append(None)
            elif column.kind in formats:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = formats[column.kind]
                out.append(cell)
            elif column.kind == "int":
                out.append(value)
            elif sheet.wrap or value.startswith(FORMULA_START):
                out.append(text(value))
            else:
                out.append(_xml_text(value))  # a plain str that cannot be read as a formula
        ws.append(out)
        sheet.count[0] += 1


def write_workbook(sheets: Sequence[Sheet], *, language: str | None = None) -> tuple[Any, int]:
    """Write the sheets to a temporary file; (file positioned at 0, rows of the first sheet)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        with _language(language):
            sheet.title = str(sheet.title) if sheet.title else None
            sheet.preamble = [str(line) for line in sheet.preamble]
            sheet.columns = [_pinned(c) for c in sheet.columns] if language else sheet.columns
        _write_sheet(workbook, sheet)
    handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (handed to the response)
    workbook.save(handle)
    handle.seek(0)
    return handle, sheets[0].count[0]


def _pinned(column: ExportColumn) -> ExportColumn:
    return replace(column, header=str(column.header))


def write_xlsx(
    columns: list[ExportColumn],
    rows: Iterable,
    *,
    title: Any = None,
    preamble: Sequence[Any] = (),
    language: str | None = None,
) -> tuple[Any, int]:
    """One sheet to a temporary file; (file positioned at 0, number of rows)."""
    return write_workbook([Sheet(columns, rows, title=title, preamble=preamble)], language=language)


# Audit and responses -------------------------------------------------------------------------
def carries_personal_data(columns: Iterable[ExportColumn]) -> bool:
    return any(c.personal or c.sensitive for c in columns)


def query_filters(request) -> dict:
    """The filters of a list as its export's audit event records them (not the page or format)."""
    return {k: v[:200] for k, v in request.GET.items() if k not in ("page", "format", "dinh-dang")}


def record_export(
    *, actor, what: str, columns: list[ExportColumn], count: int, unit=None, filters=None, fmt=""
):
    """The audit event of an export: who, what, which columns, which filters, how many rows."""
    with transaction.atomic():
        return audit.record(
            actor=actor,
            action="core.export",
            unit=unit,
            object_type_label=what,
            object_id="",
            object_repr=f"{count} dòng",
            data={
                "format": fmt,
                "rows": count,
                "sensitive_columns": [str(c.header) for c in columns if c.sensitive],
                "personal_columns": [str(c.header) for c in columns if c.personal],
                "columns": [str(c.header) for c in columns],
                "filters": filters or {},
            },
        )


def _download(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_response(
    *,
    actor,
    columns: list[ExportColumn],
    rows: Iterable,
    fmt: str,
    filename: str,
    what: str,
    unit=None,
    filters: dict | None = None,
    title: Any = None,
    preamble: Sequence[Any] = (),
    language: str | None = None,
    hxl: bool = False,
    personal_data: bool | None = None,
) -> HttpResponse:
    """The download of one table as "<filename>-<yyyymmdd>.csv|xlsx".

    `personal_data` None lets the columns decide whether the export is audited;
    True audits it whatever its columns (the fund's books).
    """
    stamp = timezone.localdate().strftime("%Y%m%d")
    audited = carries_personal_data(columns) if personal_data is None else personal_data
    if fmt == "csv":
        name = f"{filename}-{stamp}.csv"
        if not audited:
            chunks = csv_chunks(columns, rows, hxl=hxl, language=language)
            response = _download(StreamingHttpResponse(chunks, content_type=CSV_TYPE), name)
            response["Cache-Control"] = "no-store"
            return response
        counter = [0]
        handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (handed to the response)
        for chunk in csv_chunks(columns, rows, hxl=hxl, language=language, counter=counter):
            handle.write(chunk.encode("utf-8"))
        handle.seek(0)
        count = counter[0]
        response = FileResponse(handle, content_type=CSV_TYPE)
    else:
        fmt = "xlsx"
        name = f"{filename}-{stamp}.xlsx"
        handle, count = write_xlsx(columns, rows, title=title, preamble=preamble, language=language)
        response = FileResponse(handle, content_type=XLSX_TYPE)
    if audited:
        record_export(
            actor=actor, what=what, columns=columns, count=count, unit=unit, filters=filters, fmt=fmt
        )
    response["Cache-Control"] = "no-store"
    return _download(response, name)
