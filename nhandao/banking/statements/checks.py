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

import re

from django.utils.translation import gettext as _

from nhandao.banking.banks import Bank
from nhandao.core.formatting import money

from .model import Doubt, ProblemLine, Statement, StatementError, StatementLine


def run(st: Statement) -> None:
    if not st.lines and not st.problem_lines:
        st.doubts.clear()
        raise StatementError(
            _("Tệp không có dòng giao dịch nào (chỉ có tiêu đề hoặc phần tóm tắt)."), code="no_lines"
        )
    if st.lines:
        running_balance(st)
        printed_totals(st)
        line_numbers(st)
    st.doubts.clear()
    for line in st.lines:
        line.source = None  # the rows were kept for the balance check's problem lines only
    st.problem_lines.sort(key=lambda p: (p.origin.sheet, p.origin.row))
    if not st.lines:
        st.error(
            _(
                "Không dòng nào đọc được chắc chắn: cả %(n)d dòng giao dịch đều cần sửa tay (xem danh sách "
                "dòng có vấn đề). Có thể tệp không theo mẫu đã chọn."
            )
            % {"n": len(st.problem_lines)}
        )


def _ordered(lines: list[StatementLine]) -> list[StatementLine]:
    """Oldest first: files newest-first are reversed."""
    if len(lines) > 1 and lines[0].booked_at > lines[-1].booked_at:
        return lines[::-1]
    return lines


# Below this share of confirmed lines a balance column is taken for a wrong column.
_TRUST = 0.25


def running_balance(st: Statement) -> None:
    """Each line's amount against the change of the running balance.

    Oldest first, from the printed opening balance (else from the first line's
    balance): a line whose amount is the change of balance is confirmed; one
    whose printed balance alone is wrong (the next line adds up from the
    expected balance) keeps its amount, with a warning; any other becomes a
    problem line carrying the amount the balance implies.  Doubtful lines (a
    negative credit, cells that line up several ways) take the reading the
    balance confirms, else become problem lines.  A balance column that
    confirms almost nothing is a wrong column: the file is refused, saying so.
    """
    with_balance = sum(1 for line in st.lines if line.balance is not None)
    if with_balance < max(2, len(st.lines) // 2):
        _without_balance(st)
        _opening_closing(st)
        return
    # Rows kept as problem lines by the reader carry the chain too: their balance is the
    # previous balance of the next line, and the change to it is the amount they imply.
    kept = [p for p in st.problem_lines if p.balance is not None]
    ordered: list = list(st.lines)
    if kept:
        ordered = sorted(ordered + kept, key=lambda x: (x.origin.sheet, x.origin.row))
    if _ordered(st.lines) is not st.lines:
        ordered.reverse()
    doubts = st.doubts
    previous = st.opening_balance
    confirmed = checked = reversed_sign = 0
    bad: dict[int, ProblemLine] = {}
    replace: dict[int, StatementLine] = {}
    for index, line in enumerate(ordered):
        if isinstance(line, ProblemLine):
            if previous is not None and line.implied_amount is None:
                line.implied_amount = line.balance - previous
            previous = line.balance
            continue
        doubt = doubts.get(id(line))
        if line.balance is None:
            if previous is not None:
                previous += line.amount
            if doubt is not None:
                bad[id(line)] = _doubtful(line, doubt)
            continue
        if previous is None:
            # The first line: nothing before it to check against.
            if doubt is not None and (doubt.reason or doubt.alternatives):
                bad[id(line)] = _doubtful(line, doubt)
            previous = line.balance
            continue
        checked += 1
        change = line.balance - previous
        if change == line.amount:
            confirmed += 1
            previous = line.balance
            continue
        chosen = next(
            (
                alt
                for alt in (doubt.alternatives if doubt else [])
                if alt.balance is not None and alt.balance - previous == alt.amount
            ),
            None,
        )
        if chosen is not None:
            if not chosen.description:
                chosen.description = line.description
            replace[id(line)] = chosen
            confirmed += 1
            previous = chosen.balance
            continue
        if change == -line.amount:
            reversed_sign += 1
        nxt = ordered[index + 1] if index + 1 < len(ordered) else None
        if (
            doubt is None
            and isinstance(nxt, StatementLine)
            and nxt.balance is not None
            and previous + line.amount + nxt.amount == nxt.balance
        ):
            # Only this line's printed balance is off: its amount still adds up with the next line.
            if index == 0 and st.opening_balance is not None:
                st.error(_opening_message(st, line), line.origin)
            else:
                st.warn(
                    _(
                        "Số dư in ở dòng này (%(printed)s) sai: phải là %(expected)s; số tiền vẫn khớp với "
                        "dòng sau nên dòng được giữ."
                    )
                    % {"printed": money(line.balance), "expected": money(previous + line.amount)},
                    line.origin,
                )
            previous += line.amount
            continue
        if index == 0 and st.opening_balance is not None and doubt is None:
            st.error(_opening_message(st, line), line.origin)
            previous = line.balance
            continue
        reason = _(
            "Số tiền đọc được là %(read)s nhưng số dư đổi từ %(previous)s thành %(balance)s, tức là %(implied)s."
        ) % {
            "read": money(line.amount),
            "previous": money(previous),
            "balance": money(line.balance),
            "implied": money(change),
        }
        if doubt is not None and (doubt.reason or doubt.ambiguity):
            reason = f"{doubt.reason or doubt.ambiguity} {reason}"
        bad[id(line)] = ProblemLine.from_line(line, reason, implied_amount=change)
        previous = line.balance
    if checked >= 3 and confirmed < _TRUST * checked:
        if reversed_sign * 2 >= checked:
            hint = _("số dư đổi ngược chiều với số tiền: có lẽ cột ghi nợ và cột ghi có bị đảo")
        else:
            hint = _("có lẽ đã chọn nhầm cột số dư hoặc cột số tiền")
        raise StatementError(
            _(
                "Cột số dư không khớp với số tiền: chỉ %(ok)d trong %(n)d dòng có số tiền bằng mức thay đổi của "
                "số dư; %(hint)s. Hãy kiểm tra mẫu cột."
            )
            % {"ok": confirmed, "n": checked, "hint": hint},
            code="balance_never_agrees",
        )
    if replace or bad:
        kept = []
        for line in st.lines:
            line = replace.get(id(line), line)
            problem = bad.get(id(line))
            if problem is not None:
                st.problem_lines.append(problem)
            else:
                kept.append(line)
        st.lines[:] = kept
    st.balance_checked = True
    st.balance_confirmed = confirmed
    if not st.lines:
        return
    # The printed closing balance against the end of the whole chain: a last line kept to
    # correct by hand still moved the balance, and the line before it is not to blame for that.
    last = _ordered(st.lines)[-1]
    if st.closing_balance is not None and previous is not None and previous != st.closing_balance:
        st.error(
            _("Số dư cuối kỳ in trên sao kê (%(closing)s) khác số dư sau giao dịch cuối cùng (%(last)s).")
            % {"closing": money(st.closing_balance), "last": money(previous)},
            last.origin,
        )


def _opening_message(st: Statement, first: StatementLine) -> str:
    return _(
        "Số dư đầu kỳ in trên sao kê (%(opening)s) cộng phát sinh của dòng đầu tiên (%(amount)s) "
        "không ra số dư của dòng đó (%(balance)s)."
    ) % {
        "opening": money(st.opening_balance),
        "amount": money(first.amount),
        "balance": money(first.balance),
    }


def _doubtful(line: StatementLine, doubt: Doubt) -> ProblemLine:
    return ProblemLine.from_line(line, doubt.reason or doubt.ambiguity)


def _without_balance(st: Statement) -> None:
    """No running balance to settle doubts: a negative credit is a problem line; for cells that line
    up several ways the credit reading is kept (the printed totals check it) and a warning says so."""
    if not st.doubts:
        return
    kept, ambiguous = [], 0
    for line in st.lines:
        doubt = st.doubts.get(id(line))
        if doubt is not None and doubt.reason:
            st.problem_lines.append(_doubtful(line, doubt))
            continue
        if doubt is not None and doubt.alternatives:
            ambiguous += 1
        kept.append(line)
    st.lines[:] = kept
    if ambiguous:
        st.warn(
            _(
                "%(n)d dòng có ít giá trị hơn số cột tiêu đề nên không rõ số tiền là ghi nợ hay ghi có; tệp "
                "không có cột số dư để kiểm tra, nên đã đọc là ghi có. Hãy đối chiếu tổng ghi có với sao kê."
            )
            % {"n": ambiguous}
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
    """The printed credit and debit totals against the lines read.  A difference that the lines
    kept to correct by hand account for (by the amounts read in them) is said so."""
    summary = st.summary()
    for printed, read, sign, message in (
        (
            st.printed_credit_total,
            summary.credit_total,
            1,
            _("Tổng ghi có in trên sao kê là %(printed)s, nhưng các dòng đọc được cộng lại %(read)s."),
        ),
        (
            st.printed_debit_total,
            summary.debit_total,
            -1,
            _("Tổng ghi nợ in trên sao kê là %(printed)s, nhưng các dòng đọc được cộng lại %(read)s."),
        ),
    ):
        if printed is None or printed == read:
            continue
        text = message % {"printed": money(printed), "read": money(read)}
        pending = [
            sign * p.amount_read
            for p in st.problem_lines
            if p.amount_read is not None and sign * p.amount_read > 0
        ]
        if pending and read + sum(pending) == printed:
            text += " " + _("Phần chênh lệch (%(diff)s) bằng số tiền đọc được ở %(n)d dòng cần sửa tay.") % {
                "diff": money(printed - read),
                "n": len(pending),
            }
        st.error(text)


def line_numbers(st: Statement) -> None:
    """Warn at the first gap in the bank's line numbers (numbering may restart at 1 on a new page).

    Numbers of the rows kept as problem lines fill gaps: those rows are not lost."""
    kept = {m.group(1) for p in st.problem_lines if (m := _LEADING_NUMBER.match(p.raw))}
    previous = None
    for line in st.lines:
        if not line.number:
            return
        number = int(line.number)
        if previous is not None and number > previous + 1:
            if all(str(n) in kept for n in range(previous + 1, number)):
                previous = number
                continue
            st.warn(
                _("Số thứ tự nhảy từ %(a)d lên %(b)d: có thể thiếu dòng (một trang bị mất khi xuất tệp?).")
                % {"a": previous, "b": number},
                line.origin,
            )
            return
        previous = number


_LEADING_NUMBER = re.compile(r"^\s*(\d+)\s*(?:\||$)")


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
