"""Checks on a statement once read: nothing lost, nothing invented.

* the running balance, where the file has one: each line's balance is the
  previous balance plus the line's amount (files list lines oldest or newest
  first; both are understood); the first line where it breaks is reported;
* the printed opening/closing balances and totals against the lines read;
* gaps in the bank's own line numbers (a page lost when the file was made);
* the bank and the account number named in the file against the account the
  statement is imported for (`check_bank`, `check_account`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nhandao.banking.banks import Bank
from nhandao.core.formatting import money

from .model import Statement, StatementError, StatementLine


def run(st: Statement) -> None:
    if not st.lines:
        st.error(_("Không đọc được dòng giao dịch nào trong tệp."))
        return
    running_balance(st)
    printed_totals(st)
    line_numbers(st)


def _ordered(lines: list[StatementLine]) -> list[StatementLine]:
    """Oldest first: files newest-first are reversed."""
    if len(lines) > 1 and lines[0].booked_at > lines[-1].booked_at:
        return lines[::-1]
    return lines


def _first_break(lines: list[StatementLine], opening: int | None) -> tuple[int, int, StatementLine] | None:
    """(expected, previous balance, line) at the first line whose printed balance does not add up."""
    previous = opening
    for line in lines:
        if previous is not None and line.balance is not None:
            expected = previous + line.amount
            if expected != line.balance:
                return expected, previous, line
        if line.balance is not None:
            previous = line.balance
        elif previous is not None:
            previous += line.amount
    return None


def running_balance(st: Statement) -> None:
    with_balance = [line for line in st.lines if line.balance is not None]
    if len(with_balance) < max(2, len(st.lines) // 2):
        _opening_closing(st)
        return
    ordered = _ordered(st.lines)
    broken = _first_break(ordered, st.opening_balance)
    if broken is not None and broken[2] is ordered[0] and st.opening_balance is not None:
        # The first line does not follow from the printed opening balance.
        first = ordered[0]
        st.error(
            _(
                "Số dư đầu kỳ in trên sao kê (%(opening)s) cộng phát sinh của dòng đầu tiên (%(amount)s) "
                "không ra số dư của dòng đó (%(balance)s)."
            )
            % {
                "opening": money(st.opening_balance),
                "amount": money(first.amount),
                "balance": money(first.balance),
            },
            first.origin,
        )
        return
    if broken is not None:
        expected, previous, line = broken
        st.error(
            _(
                "Số dư không khớp từ dòng này: số dư trước đó %(previous)s, phát sinh %(amount)s, "
                "phải còn %(expected)s nhưng sao kê ghi %(printed)s."
            )
            % {
                "previous": money(previous),
                "amount": money(line.amount),
                "expected": money(expected),
                "printed": money(line.balance),
            },
            line.origin,
        )
        return
    st.balance_checked = True
    last = ordered[-1]
    if st.closing_balance is not None and last.balance is not None and last.balance != st.closing_balance:
        st.error(
            _("Số dư cuối kỳ in trên sao kê (%(closing)s) khác số dư sau giao dịch cuối cùng (%(last)s).")
            % {"closing": money(st.closing_balance), "last": money(last.balance)},
            last.origin,
        )


def _opening_closing(st: Statement) -> None:
    if st.opening_balance is None or st.closing_balance is None:
        return
    net = sum(line.amount for line in st.lines)
    if st.opening_balance + net != st.closing_balance:
        st.error(
            _(
                "Số dư đầu kỳ %(opening)s cộng phát sinh các dòng đọc được (%(net)s) không bằng số dư "
                "cuối kỳ %(closing)s: có dòng bị thiếu hoặc thừa."
            )
            % {
                "opening": money(st.opening_balance),
                "net": money(net),
                "closing": money(st.closing_balance),
            }
        )


def printed_totals(st: Statement) -> None:
    summary = st.summary()
    if st.printed_credit_total is not None and st.printed_credit_total != summary.credit_total:
        st.error(
            _("Tổng ghi có in trên sao kê là %(printed)s, nhưng các dòng đọc được cộng lại %(read)s.")
            % {"printed": money(st.printed_credit_total), "read": money(summary.credit_total)}
        )
    if st.printed_debit_total is not None and st.printed_debit_total != summary.debit_total:
        st.error(
            _("Tổng ghi nợ in trên sao kê là %(printed)s, nhưng các dòng đọc được cộng lại %(read)s.")
            % {"printed": money(st.printed_debit_total), "read": money(summary.debit_total)}
        )


def line_numbers(st: Statement) -> None:
    """Warn at the first gap in the bank's line numbers (numbering may restart at 1 on a new page)."""
    previous = None
    for line in st.lines:
        if not line.number:
            return
        number = int(line.number)
        if previous is not None and number > previous + 1:
            st.warn(
                _("Số thứ tự nhảy từ %(a)d lên %(b)d: có thể thiếu dòng (một trang bị mất khi xuất tệp?).")
                % {"a": previous, "b": number},
                line.origin,
            )
            return
        previous = number


def _digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def check_bank(st: Statement, bank: Bank | None) -> None:
    """Refuse a file that names another bank than the account's."""
    if bank is None or st.bank is None or st.bank.bin == bank.bin:
        return
    raise StatementError(
        _("Tệp này là sao kê của %(file_bank)s, không phải của %(bank)s (ngân hàng của tài khoản).")
        % {"file_bank": st.bank.short_name, "bank": bank.short_name}
    )


def check_account(st: Statement, account_number: str) -> None:
    """Refuse a statement printed for another account number (when the file names one)."""
    printed, expected = _digits(st.account_number), _digits(account_number)
    if not printed or not expected or printed == expected:
        return
    raise StatementError(
        _("Sao kê này của tài khoản số %(printed)s, không phải tài khoản %(expected)s.")
        % {"printed": st.account_number, "expected": account_number}
    )
