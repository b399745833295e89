"""Reading the cells of Vietnamese bank statements: amounts and dates in every spelling seen.

Amounts are read by `nhandao.core.money.parse_amount` with negatives allowed
("1.000.000", "20.000.000,00", "1,000,000.00", "-50.000", "(50.000)", "50.000-",
"50.000 VND", numbers from Excel); its docstring states the rule.

Dates: d/m/yyyy, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, two-digit
years, each optionally followed by a time "hh:mm" or "hh:mm:ss" (on the same
line or the next); Excel date cells.  Vietnamese statements are day-first.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from nhandao.core import money


class ValueProblem(ValueError):
    """A cell that cannot be read; str() is a Vietnamese message."""


def parse_amount(value: object) -> int | None:
    """Whole đồng from a cell, negatives allowed; None for an empty cell.  Raises ValueProblem.

    The rule is `nhandao.core.money`'s; only the error is adapted to the reader's
    wording (the layout prefixes the line and ends the sentence)."""
    try:
        return money.parse_amount(value, negative=True)
    except money.MoneyError as exc:
        if exc.code == "invalid":
            raise ValueProblem(_("số tiền “%(v)s” không đọc được") % {"v": str(value).strip()}) from None
        raise ValueProblem(exc.message.rstrip(".")) from None


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
