"""Reading bank statements.

    from nhandao.banking import statements

    st = statements.read(data, filename)            # detect the layout
    st = statements.read(data, format="vietcombank")  # or name it
    st = statements.read(data, mapping=spec)          # or use a saved column mapping
    st.summary()        # count, credit/debit counts and totals, date range, balances
    st.problems         # Problem(level, message, origin), Vietnamese, naming the line
    st.lines            # StatementLine(date, time, amount (signed), description, reference, ...)
    statements.check_bank(st, bank); statements.check_account(st, "0011001234567")
    statements.identity.assign(st.lines, account="0011001234567")

`read` raises StatementError when the file as a whole cannot be read (not a
statement, encrypted, layout not recognised); problems with single lines are
collected in `st.problems` so a person sees them all at once, and rows that
look like transactions but cannot be read for sure go to `st.problem_lines`
(ProblemLine: row, raw text, reason, the amount the running balance implies),
never dropped: an importer imports `st.lines` and keeps the problem lines to be
corrected by hand.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from . import checks, identity, layouts, sources
from .checks import check_account, check_bank
from .mapping import MappingSpec
from .model import (
    ERROR,
    WARNING,
    Origin,
    Problem,
    ProblemLine,
    Statement,
    StatementError,
    StatementLine,
    Summary,
)

__all__ = [
    "ERROR",
    "WARNING",
    "MappingSpec",
    "Origin",
    "Problem",
    "ProblemLine",
    "Statement",
    "StatementError",
    "StatementLine",
    "Summary",
    "check_account",
    "check_bank",
    "formats",
    "identity",
    "read",
]


def formats() -> list[tuple[str, str]]:
    """(name, label) of every built-in layout, for --format and select boxes."""
    return [(layout.name, layout.label) for layout in layouts.LAYOUTS]


def read(
    data: bytes,
    filename: str = "",
    *,
    format: str | None = None,
    mapping: MappingSpec | None = None,
    account: str = "",
    period: tuple[dt.date, dt.date] | None = None,
) -> Statement:
    """Read a statement file; line identities use `account` (or the number printed in the file).

    `period` (from, to), the statement period the user confirms, gives the year
    of dates printed without one (StatementError code "year_needed" when such a
    file has neither this nor a period printed in its title rows)."""
    sheets = sources.read(data, filename)
    if mapping is not None:
        layout = mapping.layout()
        found = layouts.find_header(layout, sheets)
        if found is None:
            raise StatementError(
                _("Không tìm thấy dòng tiêu đề có đủ các cột của mẫu “%(name)s” trong tệp.")
                % {"name": mapping.name}
            )
    elif format:
        layout = layouts.BY_NAME.get(format)
        if layout is None:
            names = ", ".join(name for name, _label in formats())
            raise StatementError(
                _("Không có mẫu sao kê “%(name)s”. Các mẫu có: %(names)s.") % {"name": format, "names": names}
            )
        found = layouts.find_header(layout, sheets)
        if found is None:
            raise StatementError(
                _("Tệp không theo mẫu “%(label)s”: không thấy dòng tiêu đề cột của mẫu này.")
                % {"label": layout.label}
            )
    else:
        candidates = layouts.detect(sheets)
        if not candidates:
            if any(sheet.kind == "html" for sheet in sheets):
                raise StatementError(
                    sources._html_refusal(
                        filename, _("không thấy dòng tiêu đề có ngày, số tiền và diễn giải")
                    )
                )
            raise StatementError(
                _(
                    "Không nhận ra mẫu sao kê: không thấy dòng tiêu đề có cột ngày, số tiền và diễn giải. "
                    "Hãy chọn mẫu, hoặc lưu một mẫu cột cho tệp của ngân hàng này."
                )
            )
        found = candidates[0]
    st = layouts.read_with(found, period=period)
    for note in found.sheet.notes:
        st.warn(note)
    checks.run(st)
    identity.assign(st.lines, account=account or st.account_number)
    return st
