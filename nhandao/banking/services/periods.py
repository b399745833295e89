"""Reconciled, locked periods of a bank account: what they refuse, and locking one."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BANKING_RECONCILE
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import datetime as fmt_datetime
from nhandao.core.formatting import money, number
from nhandao.funds.models import AccountKind, BankAccount
from nhandao.org import access

from .. import selectors
from ..models import LineStatus, ReconciledPeriod, StatementLine


def _period_text(period: ReconciledPeriod) -> dict:
    return {
        "from": fmt_date(period.date_from),
        "to": fmt_date(period.date_to),
        "who": period.locked_by.get_full_name() if period.locked_by_id else _("hệ thống"),
        "when": fmt_datetime(period.locked_at),
    }


def locked_period(bank_account_id: int, days: list[dt.date]) -> tuple[ReconciledPeriod, dt.date] | None:
    """The first locked period of the account containing one of `days`, with that day."""
    if not days:
        return None
    periods = list(
        ReconciledPeriod.objects.filter(
            bank_account_id=bank_account_id, date_from__lte=max(days), date_to__gte=min(days)
        )
        .select_related("locked_by")
        .order_by("date_from")
    )
    if not periods:
        return None
    for day in sorted(set(days)):
        for period in periods:
            if period.date_from <= day <= period.date_to:
                return period, day
    return None


def refuse_lines_in_locked_period(
    bank_account: BankAccount, days: list[dt.date], count_label: str = ""
) -> None:
    found = locked_period(bank_account.pk, days)
    if found is None:
        return
    period, day = found
    raise ValidationError(
        _(
            "Dòng ngày %(day)s thuộc kỳ %(from)s – %(to)s của tài khoản %(acct)s đã đối chiếu và khóa sổ "
            "(%(who)s, %(when)s); không thể nhập thêm hay thay đổi giao dịch trong kỳ đã khóa."
        )
        % {"day": fmt_date(day), "acct": bank_account.account_number, **_period_text(period)}
    )


def refuse_postings_in_locked_period(specs) -> None:
    """Registered with funds.ledger: no posting on a bank account may be dated in a locked period."""
    by_account: dict[int, list[dt.date]] = {}
    for spec in specs:
        for line in spec.lines:
            account = line.account
            if account.kind == AccountKind.BANK and account.bank_account_id:
                by_account.setdefault(account.bank_account_id, []).append(spec.value_date)
    for bank_account_id, days in by_account.items():
        found = locked_period(bank_account_id, days)
        if found is None:
            continue
        period, day = found
        number = (
            BankAccount.objects.filter(pk=bank_account_id).values_list("account_number", flat=True).first()
        )
        raise ValidationError(
            _(
                "Tài khoản %(acct)s đã đối chiếu và khóa sổ kỳ %(from)s – %(to)s (%(who)s, %(when)s): "
                "không thể ghi nghiệp vụ ngày %(day)s vào kỳ này."
            )
            % {"acct": number, "day": fmt_date(day), **_period_text(period)}
        )


def period_lock(
    *, actor, bank_account: BankAccount, date_from: dt.date, date_to: dt.date, note: str = ""
) -> ReconciledPeriod:
    """Lock a period whose statement and books agree, every difference explained and no line waiting."""
    access.require(actor, BANKING_RECONCILE, bank_account.unit)
    if date_from is None or date_to is None or date_to < date_from:
        raise ValidationError({"date_to": _("Hãy chọn kỳ: ngày cuối không trước ngày đầu.")})
    if date_to >= timezone.localdate():
        raise ValidationError({"date_to": _("Chỉ khóa được kỳ đã kết thúc (trước hôm nay).")})
    with transaction.atomic():
        bank_account = BankAccount.objects.select_for_update().select_related("unit").get(pk=bank_account.pk)
        overlap = (
            ReconciledPeriod.objects.filter(
                bank_account=bank_account, date_from__lte=date_to, date_to__gte=date_from
            )
            .select_related("locked_by")
            .first()
        )
        if overlap is not None:
            raise ValidationError(
                _("Kỳ này trùng với kỳ %(from)s – %(to)s đã khóa sổ.") % _period_text(overlap)
            )
        rec = selectors.reconciliation(bank_account, date_from, date_to)
        blockers = lock_blockers(bank_account, date_from, date_to, rec)
        if blockers:
            raise ValidationError(blockers[0])
        period = ReconciledPeriod.objects.create(
            bank_account=bank_account,
            unit=bank_account.unit,
            date_from=date_from,
            date_to=date_to,
            statement_balance=rec.statement_closing,
            ledger_balance=rec.ledger_closing,
            explanation=rec.summary(),
            locked_by=actor if getattr(actor, "is_authenticated", False) else None,
            locked_at=timezone.now(),
            note=note[:300],
        )
        audit.record(
            actor=actor,
            action="banking.period.locked",
            obj=period,
            unit=bank_account.unit,
            changes=audit.created(period),
            data=rec.summary(),
        )
    return period


def lock_blockers(bank_account: BankAccount, date_from: dt.date, date_to: dt.date, rec=None) -> list[str]:
    """Why the period cannot be locked yet, in the order the lock checks them (empty: it can be).
    The reconciliation page shows them beside the lock button; period_lock refuses with the first."""
    reasons: list[str] = []
    if date_to >= timezone.localdate():
        reasons.append(_("Chỉ khóa được kỳ đã kết thúc (trước hôm nay)."))
    last = (
        StatementLine.objects.filter(bank_account=bank_account)
        .order_by("-booked_on")
        .values_list("booked_on", flat=True)
        .first()
    )
    if last is None or last < date_to:
        reasons.append(
            _("Sao kê đã nhập mới đến ngày %(d)s: hãy nhập sao kê đến hết ngày %(to)s rồi mới khóa sổ.")
            % {"d": fmt_date(last) if last else "—", "to": fmt_date(date_to)}
        )
    waiting = StatementLine.objects.filter(
        bank_account=bank_account,
        booked_on__gte=date_from,
        booked_on__lte=date_to,
        status=LineStatus.QUEUED,
    ).count()
    if waiting:
        reasons.append(
            _("Còn %(n)s dòng sao kê trong kỳ đang chờ phân loại: hãy xử lý hết trước khi khóa sổ.")
            % {"n": number(waiting)}
        )
    to_correct = selectors.open_problems_in(bank_account, date_from, date_to).count()
    if to_correct:
        reasons.append(
            _(
                "Còn %(n)s dòng sao kê cần sửa (đọc không chắc chắn) có thể thuộc kỳ này: hãy sửa hết "
                "trước khi khóa sổ."
            )
            % {"n": number(to_correct)}
        )
    rec = rec or selectors.reconciliation(bank_account, date_from, date_to)
    if rec.unexplained != 0:
        reasons.append(
            _("Số dư theo sao kê và theo sổ còn chênh %(d)s chưa giải thích được: chưa thể khóa sổ.")
            % {"d": money(rec.unexplained)}
        )
    return reasons
