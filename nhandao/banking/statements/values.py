"""Reading the cells of Vietnamese bank statements: amounts and dates in every spelling seen.

Amounts: "1.000.000" (dot thousands), "20.000.000,00" (comma decimals),
"1,000,000" and "1,000,000.00" (English style), "300,000 " with stray spaces,
"1 000 000", "-50.000", "(50.000)", "50.000 VND", numbers from Excel.  VND has
no minor unit: a non-zero fraction is an error, never rounded away.

A lone separator followed by exactly three digits is a thousands separator
("1.500" and "1,500" are 1,500 đồng); followed by one or two digits it is a
decimal separator ("1500,00").  When both appear the last one is the decimal
separator.

Dates: d/m/yyyy, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, two-digit
years, each optionally followed by a time "hh:mm" or "hh:mm:ss" (on the same
line or the next); Excel date cells.  Vietnamese statements are day-first.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _


class ValueProblem(ValueError):
    """A cell that cannot be read; str() is a Vietnamese message."""


_AMOUNT_NOISE = re.compile(r"(?i)\s|\u00a0|vnd|vnđ|đồng|dong|đ|₫|\+")
_DIGITS_SEPS = re.compile(r"^[0-9.,]+$")
_PLAIN = re.compile(r"^\d{1,3}(?:\.\d{3})+$|^\d+$")


def parse_amount(value: object) -> int | None:
    """Whole đồng from a cell; None for an empty cell.  Raises ValueProblem."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem(_("số tiền “%(v)s” không hợp lệ") % {"v": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem(_("số tiền không hợp lệ"))
        whole = round(value)
        if abs(value - whole) > 1e-6:
            raise ValueProblem(
                _("số tiền %(v)s có phần lẻ; đồng Việt Nam không có đơn vị nhỏ hơn") % {"v": value}
            )
        return int(whole)
    raw = str(value)
    text = raw.strip()
    if _PLAIN.match(text):  # the common case, "1.000.000" or "500000": no further work
        return int(text.replace(".", ""))
    if not text or text in {"-", "–"}:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = _AMOUNT_NOISE.sub("", text)
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.endswith("-"):
        negative, text = not negative, text[:-1]
    if not text or not _DIGITS_SEPS.match(text):
        raise ValueProblem(_("số tiền “%(v)s” không đọc được") % {"v": raw.strip()})
    integer, fraction = _split_decimal(text, raw)
    if fraction.strip("0"):
        raise ValueProblem(
            _("số tiền “%(v)s” có phần lẻ; đồng Việt Nam không có đơn vị nhỏ hơn") % {"v": raw.strip()}
        )
    if not integer:
        integer = "0"
    result = int(integer)
    return -result if negative else result


def _split_decimal(text: str, raw: str) -> tuple[str, str]:
    """Integer digits and fraction digits of '1.234.567,00'-like text."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        if text.count(decimal) > 1:
            raise ValueProblem(_("số tiền “%(v)s” không đọc được") % {"v": raw.strip()})
        integer, fraction = text.split(decimal)
        _check_groups(integer, thousands, raw)
        return integer.replace(thousands, ""), fraction
    sep = "." if dots else "," if commas else ""
    if not sep:
        return text, ""
    parts = text.split(sep)
    if len(parts) == 2 and len(parts[1]) in (1, 2):
        return parts[0], parts[1]  # a decimal separator: "1500,00", "1500.5"
    _check_groups(text, sep, raw)
    return text.replace(sep, ""), ""


def _check_groups(integer: str, sep: str, raw: str) -> None:
    groups = integer.split(sep)
    if len(groups) > 1 and (not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        raise ValueProblem(_("số tiền “%(v)s” có dấu phân cách hàng nghìn sai chỗ") % {"v": raw.strip()})


_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
    r"(?:[\sT,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
)
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
# Excel's day 0 for serial dates (the 1900 leap-year bug makes it 30/12/1899).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_datetime(value: object) -> tuple[dt.date, dt.time | None]:
    """(date, time or None) from a cell; raises ValueProblem."""
    if isinstance(value, dt.datetime):
        time = value.time()
        return value.date(), (time if time != dt.time() else None)
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial number in a cell that lost its date format.
        if 20000 <= value <= 80000:
            days = int(value)
            seconds = round((value - days) * 86400)
            date = _EXCEL_EPOCH + dt.timedelta(days=days)
            time = (dt.datetime.min + dt.timedelta(seconds=seconds)).time() if seconds else None
            return date, time
        raise ValueProblem(_("ngày “%(v)s” không đọc được") % {"v": value})
    text = str(value or "").strip()
    if not text:
        raise ValueProblem(_("thiếu ngày giao dịch"))
    match = _DMY.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        year_n = int(year)
        if len(year) == 2:
            year_n += 2000
    else:
        match = _YMD.match(text)
        if not match:
            raise ValueProblem(_("ngày “%(v)s” không đọc được") % {"v": text[:40]})
        year, month, day, hour, minute, second = match.groups()
        year_n = int(year)
    try:
        date = dt.date(year_n, int(month), int(day))
        time = None
        if hour is not None:
            time = dt.time(int(hour), int(minute), int(second or 0))
        else:
            rest = text[match.end() :].strip()
            later = _TIME.match(rest) if rest else None
            if later:
                time = dt.time(int(later.group(1)), int(later.group(2)), int(later.group(3) or 0))
    except ValueError:
        raise ValueProblem(_("ngày “%(v)s” không có thật") % {"v": text[:40]}) from None
    return date, time


def leading_reference(value: object) -> str:
    """The reference printed after the date in the same cell ("10/09/2024\\nFT24254123456789")."""
    text = str(value or "").strip()
    match = _DMY.match(text) or _YMD.match(text)
    if not match:
        return ""
    rest = text[match.end() :].strip()
    tokens = rest.split()
    if tokens and _TIME.match(tokens[0]):
        tokens = tokens[1:]
    return tokens[0] if tokens else ""
