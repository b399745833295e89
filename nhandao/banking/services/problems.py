"""Problem lines of an imported statement, corrected by hand.

A row the reading could not turn into a line for sure (statements.ProblemLine) is kept
on the import as a `StatementProblemLine` ("cần sửa"): it counts in the reconciliation
with its best amount until a person enters its date and amount (prefilled with the
amount the running balance implies), and no period it may fall in can be locked.
`problem_line_correct` writes the ordinary `StatementLine` it stands for (audited,
what changed), which then goes through the matching and posting like any imported line.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BANKING_IMPORT, FUNDS_RECORD
from nhandao.core.money import MAX_AMOUNT
from nhandao.core.text import clean_spaces, normalize
from nhandao.funds.models import BankAccount
from nhandao.org import access

from .. import memo, statements
from ..models import LineStatus, ProblemStatus, StatementLine, StatementProblemLine
from . import matching, periods


def problem_line_correct(
    *,
    actor,
    problem: StatementProblemLine,
    booked_on: dt.date,
    amount: int,
    description: str,
    booked_time: dt.time | None = None,
    counterparty_name: str = "",
) -> StatementLine:
    """Enter a problem line by hand: the line is written, matched and (a credit with a code or a
    rule) posted; the correction is audited with the row as read and the values entered."""
    access.require(actor, BANKING_IMPORT, problem.bank_account.unit)
    description = clean_spaces(description or "")
    counterparty_name = clean_spaces(counterparty_name or "")
    if booked_on is None:
        raise ValidationError({"booked_on": _("Hãy nhập ngày giao dịch.")})
    if booked_on > timezone.localdate():
        raise ValidationError({"booked_on": _("Ngày giao dịch không thể ở tương lai.")})
    if amount is None or amount == 0:
        raise ValidationError({"amount": _("Hãy nhập số tiền (dương: ghi có, âm: ghi nợ).")})
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError({"amount": _("Số tiền vượt quá mức hệ thống xử lý được.")})
    if not description:
        raise ValidationError({"description": _("Hãy nhập diễn giải.")})
    if amount > 0 and not access.has_perm(actor, FUNDS_RECORD, problem.bank_account.unit):
        raise ValidationError(_("Ghi có được ghi sổ ủng hộ: cần quyền ghi nhận ủng hộ của đơn vị."))
    with transaction.atomic():
        account = (
            BankAccount.objects.select_for_update().select_related("unit").get(pk=problem.bank_account_id)
        )
        problem = StatementProblemLine.objects.select_for_update().get(pk=problem.pk)
        if problem.status != ProblemStatus.OPEN:
            raise ValidationError(_("Dòng này đã được sửa."))
        periods.refuse_lines_in_locked_period(account, [booked_on])
        line = StatementLine(
            bank_account=account,
            statement_import_id=problem.statement_import_id,
            row=problem.row,
            booked_on=booked_on,
            booked_time=booked_time,
            amount=amount,
            description=description[:1000],
            reference=problem.reference,
            counterparty_name=(counterparty_name or problem.counterparty_name)[:200],
            counterparty_account=problem.counterparty_account,
            balance=problem.balance,
            status=LineStatus.QUEUED,
        )
        line.identity = _identity(line, account)
        if StatementLine.objects.filter(bank_account=account, identity=line.identity).exists():
            raise ValidationError(
                _("Tài khoản đã có một dòng cùng ngày, số tiền và diễn giải: dòng này có thể đã được nhập.")
            )
        info = memo.analyse(line.description)
        line.donor_name = memo.donor_name(
            counterparty=line.counterparty_name, description=line.description, info=info
        )[:200]
        line.code = info.code or ""
        line.invalid_codes = ", ".join(info.invalid_codes)[:60]
        line.search_key = (
            normalize(line.description)
            + (" " + normalize(line.counterparty_name) if line.counterparty_name else "")
        )[:1200]
        line.reason = _("Chưa khớp khoản chi.") if amount < 0 else ""
        line.save()
        problem.status = ProblemStatus.CORRECTED
        problem.line = line
        problem.corrected_by = actor if getattr(actor, "is_authenticated", False) else None
        problem.corrected_at = timezone.now()
        problem.save(update_fields=["status", "line", "corrected_by", "corrected_at"])
        audit.record(
            actor=actor,
            action="banking.problem_line.corrected",
            obj=problem,
            unit=account.unit,
            changes={
                "booked_on": {"before": _iso(problem.booked_on), "after": booked_on.isoformat()},
                "amount": {"before": problem.best_amount, "after": amount},
                "description": {"before": problem.description, "after": line.description},
            },
            data={"raw": problem.raw, "reason": problem.reason, "row": problem.row, "line": line.pk},
        )
    _match(actor, account, line)
    line.refresh_from_db()
    return line


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _identity(line: StatementLine, account: BankAccount) -> str:
    """The identity the reader would give the line: a later statement that reads the row right
    then finds it imported."""
    probe = statements.StatementLine(
        origin=statements.Origin(line.row),
        date=line.booked_on,
        time=line.booked_time,
        amount=line.amount,
        description=line.description,
        reference=line.reference,
    )
    statements.identity.assign([probe], account=account.account_number)
    return probe.identity


def _match(actor, account: BankAccount, line: StatementLine) -> None:
    """The corrected line through the normal matching: a credit is posted when its code or a
    remembered rule decides it, a debit matched to an approved payment; otherwise it waits."""
    if line.amount < 0:
        matching.match_debits(actor=actor, bank_account=account, lines=[line])
        return
    target, reason = matching.Matcher(account).decide_line(line)
    if target is None:
        StatementLine.objects.filter(pk=line.pk).update(reason=reason[:300])
    elif not target.posts:
        StatementLine.objects.filter(pk=line.pk, status=LineStatus.QUEUED).update(
            status=LineStatus.EXCLUDED, not_donation=target.not_donation, rule=target.rule, reason=""
        )
    else:
        matching.post_lines(actor=actor, bank_account=account, items=[(line, target)])
