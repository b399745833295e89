"""Parsers for the values real spreadsheets contain.

Each parser takes a raw cell value (str, int, float, date, datetime or None, as
the readers give them) and returns a clean Python value, None for a blank cell,
or raises CellError with a Vietnamese message that names the bad value.  They
are deliberately forgiving about form (spaces, dots, capitals, Excel serial
numbers, a bare year) and strict about meaning (31/02 is refused).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import money
from nhandao.core.text import clean_spaces, normalize, title_name

from .errors import CellError

# Excel's day 0 is 30/12/1899 (its 1900 leap-year bug makes serial 60 = 29/02/1900,
# which never existed; real files only carry serials far above it).
EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2100
_DATE_SEPARATORS = re.compile(r"\s*[/.\-]\s*")


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


_SPACE_RUN = re.compile(r"\s{2,}|[\t\n\r\xa0]")


def text_of(value) -> str:
    """A cell as text: 12.0 -> '12' (Excel stores typed numbers as floats)."""
    if value is None:
        return ""
    if type(value) is str:
        # Fast path for the common case: already composed, single-spaced text.
        text = value.strip()
        if _SPACE_RUN.search(text):
            text = _SPACE_RUN.sub(" ", text).strip()
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_spaces(unicodedata.normalize("NFC", str(value)))


def parse_text(value, max_length: int = 200) -> str | None:
    text = text_of(value)
    if not text:
        return None
    if len(text) > max_length:
        raise CellError(_("Dài quá %(n)s ký tự.") % {"n": max_length})
    return text


def text(max_length: int = 200) -> Callable:
    return lambda value: parse_text(value, max_length)


_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$")


def parse_name(value) -> str | None:
    """'NGUYỄN  thị MAI' -> 'Nguyễn Thị Mai'.  Digits or symbols are refused."""
    raw = text_of(value)
    if not raw:
        return None
    name = title_name(raw.replace(".", " "))
    if not _NAME_OK.match(name):
        raise CellError(_("Họ tên “%(v)s” có ký tự không hợp lệ (chữ số hoặc ký hiệu).") % {"v": raw})
    if len(name) > 150:
        raise CellError(_("Họ tên dài quá 150 ký tự."))
    return name


@dataclass(frozen=True)
class DateOrYear:
    """A birth date as old records have it: a full date, or only the year."""

    year: int
    date: dt.date | None = None

    @classmethod
    def of(cls, value: dt.date) -> DateOrYear:
        return cls(value.year, value)

    def __str__(self) -> str:
        return self.date.strftime("%d/%m/%Y") if self.date else str(self.year)


def _expand_year(yy: int, today: dt.date) -> int:
    """Two-digit years: the most recent year not in the future ('62' -> 1962, '15' -> 2015)."""
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def _from_serial(number: float, raw) -> dt.date:
    if not float(number).is_integer() and number < 1:
        raise CellError(_("“%(v)s” không phải ngày.") % {"v": raw})
    try:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    except OverflowError:
        raise CellError(_("“%(v)s” không phải ngày.") % {"v": raw}) from None


def parse_date_or_year(value, *, today: dt.date | None = None) -> DateOrYear | None:
    """dd/mm/yyyy, d/m/yy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, mm/yyyy, a bare
    year, an Excel date cell or an Excel serial number."""
    if is_blank(value):
        return None
    today = today or timezone.localdate()
    if isinstance(value, dt.datetime):
        return DateOrYear.of(value.date())
    if isinstance(value, dt.date):
        return DateOrYear.of(value)
    if isinstance(value, bool):
        raise CellError(_("“%(v)s” không phải ngày.") % {"v": value})
    if isinstance(value, int | float):
        if float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
            return DateOrYear(int(value))
        if 1 <= value < 2958466:
            return DateOrYear.of(_from_serial(value, text_of(value)))
        raise CellError(_("“%(v)s” không phải ngày.") % {"v": text_of(value)})
    raw = text_of(value)
    parts = [p for p in _DATE_SEPARATORS.split(raw.strip()) if p]
    if not all(p.isdigit() for p in parts):
        # "12/3/1985 00:00:00" or "1985-03-12T00:00:00" from other systems
        head = raw.split(" ")[0].split("T")[0]
        if head != raw:
            return parse_date_or_year(head, today=today)
        raise CellError(
            _("“%(v)s” không phải ngày (cần dạng ngày/tháng/năm, ví dụ 05/03/1962).") % {"v": raw}
        )
    numbers = [int(p) for p in parts]
    try:
        if len(parts) == 1:
            n = numbers[0]
            if len(parts[0]) == 4 and MIN_YEAR <= n <= MAX_YEAR:
                return DateOrYear(n)
            if len(parts[0]) == 8:  # ddmmyyyy
                return DateOrYear.of(dt.date(n % 10000, (n // 10000) % 100, n // 1000000))
            if 1 <= n < 2958466 and len(parts[0]) == 5:  # a serial typed as text
                return DateOrYear.of(_from_serial(n, raw))
        elif len(parts) == 2:
            month, year = numbers
            if len(parts[1]) == 2:
                year = _expand_year(year, today)
            if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR:
                return DateOrYear(year)
        elif len(parts) == 3:
            if len(parts[0]) == 4:  # ISO yyyy-mm-dd
                year, month, day = numbers
            else:
                day, month, year = numbers
                if len(parts[2]) == 2:
                    year = _expand_year(year, today)
            if MIN_YEAR <= year <= MAX_YEAR:
                return DateOrYear.of(dt.date(year, month, day))
    except ValueError:
        raise CellError(_("Ngày “%(v)s” không có thật.") % {"v": raw}) from None
    raise CellError(_("“%(v)s” không phải ngày (cần dạng ngày/tháng/năm, ví dụ 05/03/1962).") % {"v": raw})


def parse_date(value, *, today: dt.date | None = None) -> dt.date | None:
    """A full date; a bare year is refused (use parse_date_or_year for birth dates)."""
    result = parse_date_or_year(value, today=today)
    if result is None:
        return None
    if result.date is None:
        raise CellError(_("“%(v)s” chỉ có năm; cần ngày đầy đủ (ngày/tháng/năm).") % {"v": text_of(value)})
    return result.date


_PHONE_JUNK = re.compile(r"[\s.\-()/]")


def parse_phone(value) -> str | None:
    """'0912 345 678', '0912.345.678', '+84 912345678', '84912345678', 912345678 (Excel
    dropped the zero) -> '0912345678'.  Vietnamese numbers: 10 digits (mobile) or
    11 digits (landline 02xx), starting with 0."""
    raw = text_of(value)
    if not raw:
        return None
    digits = _PHONE_JUNK.sub("", raw)
    if digits.startswith("+"):
        digits = digits[1:]
        if digits.startswith("84"):
            digits = "0" + digits[2:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    if digits.isdigit() and len(digits) in (9, 10) and not digits.startswith("0"):
        digits = "0" + digits
    if not digits.isdigit() or len(digits) not in (10, 11) or not digits.startswith("0"):
        raise CellError(
            _("Số điện thoại “%(v)s” không hợp lệ (cần 10 chữ số, ví dụ 0912345678).") % {"v": raw}
        )
    return digits


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_email(value) -> str | None:
    raw = text_of(value)
    if not raw:
        return None
    email = raw.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise CellError(_("Thư điện tử “%(v)s” không hợp lệ.") % {"v": raw})
    return email


def parse_int(value) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(v)s” không phải số.") % {"v": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("“%(v)s” phải là số nguyên.") % {"v": value})
        return int(value)
    raw = text_of(value)
    digits = raw.replace(".", "").replace(",", "").replace(" ", "")
    if not re.fullmatch(r"-?\d+", digits):
        raise CellError(_("“%(v)s” không phải số.") % {"v": raw})
    return int(digits)


def parse_money(value) -> int | None:
    """Whole đồng, read by the one rule of `nhandao.core.money`; negatives refused.

    Only the error type is adapted, so the engine reports the cell."""
    try:
        return money.parse_amount(value)
    except money.MoneyError as exc:
        raise CellError(exc.message) from None


_TRUE = {"co", "x", "1", "yes", "y", "true", "dung", "da", "roi", "v", "✓", "ok"}
_FALSE = {"khong", "0", "no", "n", "false", "sai", "chua", "-"}


def parse_bool(value) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    key = normalize(text_of(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("“%(v)s”: ghi “có” hoặc “không”.") % {"v": text_of(value)})


def choice(options: Mapping[str, object], label: str = "") -> Callable:
    """A parser accepting any of `options`' keys, compared without case or diacritics.

    `options` maps accepted spellings to the stored value: {"Nam": "M", "Nữ": "F", "nu": "F"}.
    """
    table = {normalize(k): v for k, v in options.items()}
    shown = ", ".join(dict.fromkeys(str(k) for k in options if normalize(k) == normalize(k).strip()))

    def parse(value):
        if is_blank(value):
            return None
        key = normalize(text_of(value))
        if key in table:
            return table[key]
        raise CellError(
            _("“%(v)s” không phải %(label)s hợp lệ (chọn một trong: %(options)s).")
            % {"v": text_of(value), "label": label or _("giá trị"), "options": shown}
        )

    return parse


def multi(parser: Callable, separators: str = ",;/\n") -> Callable:
    """Several values in one cell, 'Sơ cấp cứu; Bơi lội' -> [..]."""
    pattern = re.compile("[" + re.escape(separators) + "]")

    def parse(value):
        if is_blank(value):
            return []
        return [v for v in (parser(p) for p in pattern.split(text_of(value)) if p.strip()) if v is not None]

    return parse
