"""What a bank statement file says, independent of its format.

A reader turns a file into a `Statement`: its lines (`StatementLine`, amounts
in whole đồng, signed: credit > 0, debit < 0), what the header and footer say
(account, period, opening and closing balance, printed totals) and every
problem met, each naming the line of the file it comes from (`Origin`).
Nothing here touches the database; the import that posts lines builds on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nhandao.banking.banks import Bank

ERROR = "error"
WARNING = "warning"


class StatementError(ValidationError):
    """The file as a whole cannot be read (encrypted, not a statement, unknown layout...)."""


@dataclass(slots=True)
class Origin:
    """Where a line comes from: the 1-based row of the file (or sheet), and the page when known.

    `page` counts header rows: a statement exported from a PDF repeats the
    header on every page, so the n-th header starts page n.
    """

    row: int
    page: int | None = None
    sheet: str = ""

    def label(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("trang tính “%(s)s”") % {"s": self.sheet})
        if self.page:
            parts.append(_("trang %(p)d") % {"p": self.page})
        parts.append(_("dòng %(r)d") % {"r": self.row})
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]


def raw_text(cells: list) -> str:
    """A row's cells as the file has them, joined by " | " (trailing empty cells left out)."""
    texts = ["" if c is None else " ".join(str(c).split()) for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return " | ".join(texts)


@dataclass(slots=True)
class StatementLine:
    origin: Origin
    date: dt.date  # booking date (ngày hạch toán / ngày giao dịch)
    time: dt.time | None
    amount: int  # whole đồng; > 0 credit (ghi có), < 0 debit (ghi nợ)
    description: str
    reference: str = ""  # the bank's own transaction number, when the file has a column for it
    counterparty_name: str = ""
    counterparty_account: str = ""  # as the bank prints it, often masked ("103875283***")
    counterparty_bank: str = ""
    balance: int | None = None
    value_date: dt.date | None = None
    number: str = ""  # the bank's line number (STT)
    identity: str = ""  # see statements.identity
    # The row's cells as the file has them: the raw text of a line the balance check turns into a problem.
    source: list | None = field(default=None, repr=False, compare=False)

    def raw(self) -> str:
        return raw_text(self.source or [])

    @property
    def credit(self) -> int:
        return self.amount if self.amount > 0 else 0

    @property
    def debit(self) -> int:
        return -self.amount if self.amount < 0 else 0

    @property
    def is_credit(self) -> bool:
        return self.amount > 0

    @property
    def booked_at(self) -> dt.datetime:
        """Naive local date-time (Vietnam); midnight when the file gives only the date."""
        return dt.datetime.combine(self.date, self.time or dt.time())


@dataclass(slots=True, frozen=True)
class Problem:
    level: str
    message: str
    origin: Origin | None = None

    def __str__(self) -> str:
        return f"{self.origin.label()}: {self.message}" if self.origin else self.message


@dataclass(slots=True)
class ProblemLine:
    """A row that looks like a transaction but cannot be read for sure: kept, never dropped.

    The reader puts here every row it cannot turn into a `StatementLine` with confidence (a cell
    that does not parse, columns that do not line up, an amount the running balance contradicts).
    An import keeps them as lines to correct by hand; they count in the reconciliation until
    corrected, so the statement total is always explained.
    """

    origin: Origin
    raw: str  # the row's cells as the file has them, joined by " | "
    reason: str  # plain Vietnamese: "dòng này có 5 giá trị dưới 6 tiêu đề"
    date: dt.date | None = None
    time: dt.time | None = None
    amount_read: int | None = None  # signed, what the cells seem to say, when an amount was read
    implied_amount: int | None = None  # signed, what the running balance implies, when known
    balance: int | None = None
    description: str = ""
    reference: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""

    @classmethod
    def from_line(cls, line: StatementLine, reason: str, implied_amount: int | None = None) -> ProblemLine:
        return cls(
            origin=line.origin,
            raw=line.raw(),
            reason=reason,
            date=line.date,
            time=line.time,
            amount_read=line.amount,
            implied_amount=implied_amount,
            balance=line.balance,
            description=line.description,
            reference=line.reference,
            counterparty_name=line.counterparty_name,
            counterparty_account=line.counterparty_account,
        )

    @property
    def best_amount(self) -> int | None:
        """The amount to propose to the person correcting the line: the balance's, else the cells'."""
        return self.implied_amount if self.implied_amount is not None else self.amount_read


@dataclass(slots=True)
class Doubt:
    """Why a line read from its cells is not sure yet; the running balance settles it (checks.py).

    `reason`: the line is a problem unless the balance confirms it (a negative credit).
    `alternatives`: other readings of a row whose cells did not line up with the header
    (`ambiguity` says so); the balance picks the one it confirms.
    """

    reason: str = ""
    ambiguity: str = ""
    alternatives: list[StatementLine] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    count: int
    credit_count: int
    credit_total: int
    debit_count: int
    debit_total: int
    date_from: dt.date | None
    date_to: dt.date | None
    opening_balance: int | None
    closing_balance: int | None


@dataclass
class Statement:
    format: str  # layout name, e.g. "bidv_psv"
    format_label: str
    bank: Bank | None = None
    account_number: str = ""  # as printed in the file's title rows, digits only
    account_name: str = ""
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    opening_balance: int | None = None  # printed in the file
    closing_balance: int | None = None  # printed in the file
    printed_credit_total: int | None = None
    printed_debit_total: int | None = None
    lines: list[StatementLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Rows kept for correction by hand (never dropped): see ProblemLine.
    problem_lines: list[ProblemLine] = field(default_factory=list)
    balance_checked: bool = False  # a running balance was present and verified
    balance_confirmed: int = 0  # how many lines the running balance confirms
    # Lines not sure yet, by id(line): settled by checks.run (the reader's working state, empty after).
    doubts: dict[int, Doubt] = field(default_factory=dict, repr=False, compare=False)

    def error(self, message: str, origin: Origin | None = None) -> None:
        self.problems.append(Problem(ERROR, message, origin))

    def warn(self, message: str, origin: Origin | None = None) -> None:
        self.problems.append(Problem(WARNING, message, origin))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> Summary:
        credits = [line.amount for line in self.lines if line.amount > 0]
        debits = [-line.amount for line in self.lines if line.amount < 0]
        dates = [line.date for line in self.lines]
        closing = self.closing_balance
        if closing is None and self.lines and self.lines[-1].balance is not None:
            closing = _last_balance(self.lines)
        return Summary(
            count=len(self.lines),
            credit_count=len(credits),
            credit_total=sum(credits),
            debit_count=len(debits),
            debit_total=sum(debits),
            date_from=min(dates) if dates else None,
            date_to=max(dates) if dates else None,
            opening_balance=self.opening_balance,
            closing_balance=closing,
        )


def _last_balance(lines: list[StatementLine]) -> int | None:
    """The balance after the latest line (files list lines oldest or newest first)."""
    first, last = lines[0], lines[-1]
    newest = first if first.booked_at > last.booked_at else last
    return newest.balance
