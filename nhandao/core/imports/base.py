"""Columns, rows, the Importer base class and the engine that runs it.

A module declares what its file looks like and how to write it; the engine
does the rest (reading, header matching, parsing, duplicate keys, the report):

    class PersonImporter(Importer):
        key = "people.person"
        label = _("Hội viên, tình nguyện viên")
        permission = "people.import"
        columns = [
            Column("full_name", _("Họ và tên"), parse_name, required=True, aliases=("Họ tên",)),
            Column("dob", _("Ngày sinh"), parse_date_or_year),
        ]

        def natural_key(self, row):          # what makes two rows the same record
            return (row.values["full_name"], row.values["dob"])

        def validate(self, rows):            # bulk checks against the database
            ...  row.error("dob", _("…")); row.existing = person_id

        def commit(self, rows, batch):       # write the valid rows, return counts
            ...
            return {"created": n}

`validate` runs in the dry run and again, inside the commit's transaction, so a
record created in between is seen.  `commit` receives only rows without
errors and with `existing` unset unless the importer updates existing records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from nhandao.core.audit import mask_id
from nhandao.core.text import normalize

from .errors import CellError, ImportRefused
from .parsers import parse_text
from .readers import HEADER_SCAN_ROWS, Table, column_letter

MAX_PROBLEMS = 5000  # kept in the report; the counts are always complete


def header_key(text: object) -> str:
    """'Họ và tên (*)' / 'HO VA TEN:' / 'Họ  và tên' -> 'ho va ten'."""
    key = normalize(text)
    key = re.sub(r"\(.*?\)|\[.*?\]", " ", key)
    key = re.sub(r"[^a-z0-9 ]+", " ", key)
    return " ".join(key.split())


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parser: Callable[[Any], Any] = parse_text
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""
    width: int = 18
    sensitive: bool = False  # ID numbers: masked in the report

    def header_keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    key: tuple | None = None
    existing: Any = None
    data: dict[str, Any] = field(default_factory=dict)  # importer scratch space

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, str(message)))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append((column, str(message)))

    def get(self, key: str, default=None):
        value = self.values.get(key)
        return default if value is None else value


class Importer:
    do_not_call_in_templates = True  # templates receive the class itself
    key: ClassVar[str] = ""
    # The readable address under /nhap-du-lieu/ ("nguoi"); the key still answers and redirects there.
    slug: ClassVar[str] = ""
    label: ClassVar[str] = ""
    permission: ClassVar[str] = ""
    columns: ClassVar[list[Column]] = []
    description: ClassVar[str] = ""

    def __init__(self, *, actor, unit, options: dict | None = None):
        self.actor = actor
        self.unit = unit
        self.options = options or {}

    # Hooks -------------------------------------------------------------------
    def natural_key(self, row: Row) -> tuple | None:
        """What identifies the record a row describes (None: no key, no duplicate check)."""
        return None

    def duplicate_message(self, row: Row, first: int) -> str:
        return _("Trùng với dòng %(n)s.") % {"n": first}

    def validate(self, rows: list[Row]) -> None:
        """Cross-row and database checks; mark matches with row.existing."""

    def commit(self, rows: list[Row], batch) -> dict:
        raise NotImplementedError

    def summary(self, rows: list[Row]) -> dict:
        """Extra counts shown in the dry-run report (e.g. how many roles would be added)."""
        return {}

    # Engine -----------------------------------------------------------------
    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def header_of(self, key: str) -> str:
        column = self.column(key)
        return str(column.header) if column else ""

    def locate_header(self, table: Table) -> tuple[int, dict[str, int], list[str]]:
        """Find the header row among the first rows (title rows above it are common)."""
        lookup: dict[str, str] = {}
        for column in self.columns:
            for k in column.header_keys():
                lookup.setdefault(k, column.key)
        best = (0, -1, {}, [])
        for number, cells in table.rows[:HEADER_SCAN_ROWS]:
            mapping: dict[str, int] = {}
            unknown: list[str] = []
            for index, cell in enumerate(cells):
                if cell is None:
                    continue
                key = lookup.get(header_key(cell))
                if key and key not in mapping:
                    mapping[key] = index
                elif str(cell).strip():
                    unknown.append(str(cell).strip())
            if len(mapping) > best[1]:
                best = (number, len(mapping), mapping, unknown)
        number, _count, mapping, unknown = best
        missing = [str(c.header) for c in self.columns if c.required and c.key not in mapping]
        if missing or not mapping:
            expected = ", ".join(str(c.header) for c in self.columns if c.required)
            raise ImportRefused(
                _(
                    "Không tìm thấy cột bắt buộc: %(missing)s. Dòng tiêu đề cần có các cột: %(expected)s "
                    "(không phân biệt hoa thường, có dấu hay không dấu). Hãy tải tệp mẫu để xem."
                )
                % {"missing": ", ".join(missing) or expected, "expected": expected}
            )
        return number, mapping, unknown

    def parse(self, table: Table) -> tuple[list[Row], dict]:
        header_row, mapping, unknown = self.locate_header(table)
        table.check_merges(header_row)
        columns = [(c, mapping[c.key]) for c in self.columns if c.key in mapping]
        rows: list[Row] = []
        for number, cells in table.rows:
            if number <= header_row:
                continue
            raw = {c.key: (cells[i] if i < len(cells) else None) for c, i in columns}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
                continue  # blank rows (or rows with data only in unmapped columns)
            row = Row(number=number, values={}, raw=raw)
            for column, _index in columns:
                value = raw[column.key]
                try:
                    row.values[column.key] = column.parser(value)
                except CellError as exc:
                    row.values[column.key] = None
                    row.error(column.key, exc.message)
                    continue
                if column.required and row.values[column.key] in (None, "", []):
                    row.error(column.key, _("Bắt buộc, không được để trống."))
            rows.append(row)
        info = {
            "header_row": header_row,
            "columns": {c.key: f"{column_letter(i + 1)}" for c, i in columns},
            "ignored_headers": unknown[:30],
            "sheet": table.sheet,
            "encoding": table.encoding,
            "format": table.format,
        }
        return rows, info

    def check_keys(self, rows: list[Row]) -> None:
        seen: dict[tuple, int] = {}
        for row in rows:
            if not row.ok:
                continue
            key = self.natural_key(row)
            row.key = key
            if key is None:
                continue
            if key in seen:
                row.error("", self.duplicate_message(row, seen[key]))
            else:
                seen[key] = row.number

    def run(self, table: Table) -> tuple[list[Row], dict]:
        """Parse and validate; returns the rows and the report (nothing is written)."""
        rows, info = self.parse(table)
        if not rows:
            raise ImportRefused(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
        self.check_keys(rows)
        self.validate(rows)
        return rows, self.report(rows, info)

    def _shown(self, key: str, value) -> str:
        column = self.column(key)
        if column is not None and column.sensitive and value is not None:
            return mask_id(str(value))
        return _short(value)

    def report(self, rows: list[Row], info: dict) -> dict:
        problems = []
        error_count = warning_count = 0
        for row in rows:
            for level, items in (("error", row.errors), ("warning", row.warnings)):
                for column, message in items:
                    if level == "error":
                        error_count += 1
                    else:
                        warning_count += 1
                    if len(problems) < MAX_PROBLEMS:
                        problems.append(
                            {
                                "row": row.number,
                                "column": self.header_of(column),
                                "cell": f"{info['columns'].get(column, '')}{row.number}"
                                if column in info["columns"]
                                else "",
                                "value": self._shown(column, row.raw.get(column)),
                                "message": message,
                                "level": level,
                            }
                        )
        problems.sort(key=lambda p: (p["row"], p["level"] != "error"))
        valid = [r for r in rows if r.ok]
        summary = self.summary(rows)
        rows_new = sum(1 for r in valid if r.existing is None)
        return {
            **info,
            "rows_total": len(rows),
            "rows_valid": len(valid),
            "rows_invalid": len(rows) - len(valid),
            "rows_new": rows_new,
            "rows_existing": sum(1 for r in valid if r.existing is not None),
            "error_count": error_count,
            "warning_count": warning_count,
            "problems": problems,
            "problems_truncated": error_count + warning_count > len(problems),
            "summary": summary,
            # How many rows the commit would write (new records plus additions to existing ones).
            "changes": summary.get("changes", rows_new),
        }


def _short(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


# Registry --------------------------------------------------------------------
IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    if not cls.key:
        raise ValueError("an Importer needs a key")
    IMPORTERS[cls.key] = cls
    if cls.slug:
        SLUGS[cls.slug] = cls
    return cls


SLUGS: dict[str, type[Importer]] = {}


def get_importer(key: str) -> type[Importer] | None:
    """The importer by its key ("people.person") or its readable address ("nguoi")."""
    return IMPORTERS.get(key) or SLUGS.get(key)


def address(cls: type[Importer]) -> str:
    """The part of /nhap-du-lieu/<…>/ that names an importer."""
    return cls.slug or cls.key


def importers() -> Iterable[type[Importer]]:
    return IMPORTERS.values()
