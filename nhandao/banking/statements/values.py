"""Reading the cells of Vietnamese bank statements: amounts and dates in every spelling seen.

Amounts are read by `nhandao.core.money.parse_amount` with negatives allowed
("1.000.000", "20.000.000,00", "1,000,000.00", "-50.000", "(50.000)", "50.000-",
"50.000 VND", numbers from Excel); its docstring states the rule.

Amounts beyond what a bigint column holds (18 digits, as `core.money` counts
them) are refused, whatever the cell type: an XLSX number cell is not bounded
by the text rule.

Dates: d/m/yyyy, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, two-digit
years, each optionally followed by a time "hh:mm" or "hh:mm:ss" (on the same
line or the next); Excel date cells.  Vietnamese statements are day-first.
Dates without a year ("10/09 12:01:29", as some PDF extracts print them) take
the year from the statement period (`period=(from, to)`): the year that puts
the date inside the period; without a period they raise `YearNeeded`.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from nhandao.core import money


class ValueProblem(ValueError):
    """A cell that cannot be read; str() is a Vietnamese message."""


class FormulaCell(str):
    """An XLSX formula cell without the value Excel saves with it (its text is the formula)."""


class YearNeeded(ValueProblem):
    """A date printed without its year, and no statement period to take it from."""


# The largest amount a bigint column holds is 9.2 x 10^18; like core.money, refuse 19 digits and more.
MAX_ABS_AMOUNT = 10**money.MAX_DIGITS - 1


def parse_amount(value: object) -> int | None:
    """Whole đồng from a cell, negatives allowed; None for an empty cell.  Raises ValueProblem.

    The rule is `nhandao.core.money`'s; only the error is adapted to the reader's
    wording (the layout prefixes the line and ends the sentence)."""
    if isinstance(value, FormulaCell):
        raise ValueProblem(
            _("ô công thức “%(v)s” không có giá trị Excel lưu sẵn (hãy mở tệp bằng Excel và lưu lại)")
            % {"v": value[:40]}
        )
    try:
        amount = money.parse_amount(value, negative=True)
    except money.MoneyError as exc:
        if exc.code == "invalid":
            raise ValueProblem(_("số tiền “%(v)s” không đọc được") % {"v": str(value).strip()[:40]}) from None
        message = exc.message.rstrip(".")
        raise ValueProblem(message[:1].lower() + message[1:]) from None
    except (ValueError, OverflowError):
        raise ValueProblem(_("số tiền “%(v)s” không đọc được") % {"v": str(value).strip()[:40]}) from None
    if amount is not None and abs(amount) > MAX_ABS_AMOUNT:
        raise ValueProblem(_("số tiền “%(v)s” quá lớn") % {"v": str(value).strip()[:40]})
    return amount


_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
    r"(?:[\sT,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
)
_YMD = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?")
# English month names, as the English exports of some banks print them: "10-Sep-2024",
# "10 SEP 24 08:15", "Sep 10, 2024".
_D_MON_Y = re.compile(
    r"^(\d{1,2})[\s\-/.]([A-Za-z]{3,9})\.?[\s\-/.,]+(\d{4}|\d{2})"
    r"(?:[\sT,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
)
_MON_D_Y = re.compile(
    r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:[\sT,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
)
MONTHS = {  # English month names and their abbreviations, lower case
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# "02:15:00 PM", or "02:15:00 CH" (chiều) as Windows prints times in Vietnamese; SA is sáng.
_HALF_DAY = re.compile(r"^\s*(AM|PM|SA|CH)\b", re.IGNORECASE)
_DM = re.compile(r"^(\d{1,2})[/\-](\d{1,2})(?![/.\-]?\d)(?:[\sT,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_TIME_FIRST = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)")
# Excel's day 0 for serial dates (the 1900 leap-year bug makes it 30/12/1899).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def year_for(day: int, month: int, period: tuple[dt.date, dt.date]) -> int:
    """The year that puts day/month inside the period (or nearest to it)."""
    start, end = period
    best, best_gap = start.year, None
    for year in range(start.year - 1, end.year + 2):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        gap = 0 if start <= date <= end else min(abs((date - start).days), abs((date - end).days))
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def parse_datetime(
    value: object, period: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.time | None]:
    """(date, time or None) from a cell; raises ValueProblem (YearNeeded: no year and no period)."""
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
    if isinstance(value, FormulaCell):
        raise ValueProblem(_("ô công thức “%(v)s” không có giá trị Excel lưu sẵn") % {"v": value[:40]})
    text = str(value or "").strip()
    if not text:
        raise ValueProblem(_("thiếu ngày giao dịch"))
    match = _DMY.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        year_n = int(year)
        if len(year) == 2:
            year_n += 2000
    elif named := (_D_MON_Y.match(text) or _MON_D_Y.match(text)):
        match = named
        if named.re is _D_MON_Y:
            day, month_name, year, hour, minute, second = named.groups()
        else:
            month_name, day, year, hour, minute, second = named.groups()
        month = MONTHS.get(month_name.lower())
        if month is None:
            raise ValueProblem(_("ngày “%(v)s” không đọc được") % {"v": text[:40]})
        year_n = int(year) + (2000 if len(year) == 2 else 0)
    else:
        match = _YMD.match(text)
        if match:
            year, _sep, month, day, hour, minute, second = match.groups()
            year_n = int(year)
        else:
            match = _DM.match(text)
            if not match or not (1 <= int(match.group(2)) <= 12):
                raise ValueProblem(_("ngày “%(v)s” không đọc được") % {"v": text[:40]})
            day, month, hour, minute, second = match.groups()
            if period is None:
                raise YearNeeded(
                    _("ngày “%(v)s” không ghi năm; cần biết kỳ sao kê để đọc") % {"v": text[:40]}
                )
            try:
                year_n = year_for(int(day), int(month), period)
            except ValueError:
                raise ValueProblem(_("ngày “%(v)s” không có thật") % {"v": text[:40]}) from None
    try:
        date = dt.date(year_n, int(month), int(day))
        time = None
        rest = text[match.end() :]
        if hour is None:
            later = _TIME_FIRST.match(rest.strip())
            if later:
                hour, minute, second = later.groups()
                rest = rest.strip()[later.end() :]
        if hour is not None:
            time = _clock(hour, minute, second, rest)
    except ValueError:
        raise ValueProblem(_("ngày “%(v)s” không có thật") % {"v": text[:40]}) from None
    return date, time


def parse_time(value: object) -> dt.time | None:
    """The time at the start of a cell of its own ("08:15", "2:15:00 PM", "14:15:00 CH"), else None."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.datetime):
        return value.time()
    text = str(value or "").strip()
    match = _TIME_FIRST.match(text)
    if not match:
        return None
    try:
        return _clock(*match.groups(), text[match.end() :])
    except ValueError:
        return None


def _clock(hour: str, minute: str, second: str | None, after: str) -> dt.time:
    """The time of h, m, s, read in 12-hour form when `after` starts with AM/PM (SA/CH)."""
    hour_n = int(hour)
    half = _HALF_DAY.match(after)
    if half:
        if not 1 <= hour_n <= 12:
            raise ValueError(hour)
        hour_n = hour_n % 12 + (12 if half.group(1).upper() in ("PM", "CH") else 0)
    return dt.time(hour_n, int(minute), int(second or 0))


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
