"""The queue: a finance officer decides what the lines the import could not place are.

One line or many at once (every queued line of the account matching a search),
to a campaign, the unit's general fund, a pledge, or "not a donation" (refunds,
interest, internal transfers, fees); optionally remembered as a rule that the
next imports apply by themselves.  Debit lines are tied to an approved payment.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BANKING_IMPORT, FUNDS_RECORD
from nhandao.core.text import clean_spaces, normalize
from nhandao.funds.models import BankAccount
from nhandao.org import access

from ..models import AssignmentRule, LineStatus, RuleTarget, StatementImport, StatementLine
from . import matching, periods
from .imports import refresh_counts

MIN_RULE_QUERY = 4  # a rule on "ck" would swallow everything


def lines_assign(
    *,
    actor,
    bank_account: BankAccount,
    lines,
    target: matching.Target,
    remember: str = "",
) -> dict:
    """Decide queued credit lines of one account; with `remember`, keep the search as a rule."""
    access.require(actor, BANKING_IMPORT, bank_account.unit)
    problem = matching.target_problem(target, bank_account)
    if problem:
        raise ValidationError({"target": problem})
    if target.posts:
        access.require(actor, FUNDS_RECORD, bank_account.unit)
    lines = [line for line in lines if line.bank_account_id == bank_account.pk]
    if any(line.status != LineStatus.QUEUED for line in lines):
        raise ValidationError(_("Có dòng đã được xử lý; hãy tải lại trang."))
    if target.posts and any(line.amount <= 0 for line in lines):
        raise ValidationError(_("Dòng tiền ra (ghi nợ) được khớp với khoản chi, không ghi thành ủng hộ."))
    if not lines:
        raise ValidationError(_("Không có dòng nào được chọn."))
    # One decision, one transaction: the rule, the postings (each chunk a savepoint) and the
    # audit event are kept together or not at all.
    with transaction.atomic():
        periods.refuse_lines_in_locked_period(bank_account, [line.booked_on for line in lines])
        rule = None
        if remember:
            rule = rule_create(actor=actor, bank_account=bank_account, query=remember, target=target)
            target.rule = rule
        now = timezone.now()
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        if target.posts:
            posted, failures = matching.post_lines(
                actor=actor, bank_account=bank_account, items=[(line, target) for line in lines]
            )
            excluded = 0
        else:
            excluded = StatementLine.objects.filter(
                pk__in=[line.pk for line in lines], status=LineStatus.QUEUED
            ).update(
                status=LineStatus.EXCLUDED,
                not_donation=target.not_donation,
                reason="",
                rule=rule,
                decided_by=actor_user,
                decided_at=now,
            )
            posted, failures = 0, []
            if rule is not None and excluded:
                AssignmentRule.objects.filter(pk=rule.pk).update(times_applied=F("times_applied") + excluded)
        audit.record(
            actor=actor,
            action="banking.lines.assigned",
            obj=bank_account,
            unit=bank_account.unit,
            data={
                "target": target.kind,
                "campaign": target.campaign.code if target.campaign is not None else None,
                "pledge": target.pledge.code if target.pledge is not None else None,
                "not_donation": target.not_donation or None,
                "lines": len(lines),
                "posted": posted,
                "excluded": excluded,
                "refused": len(failures),
                "rule": rule.pk if rule is not None else None,
            },
        )
        for imp in StatementImport.objects.filter(pk__in={line.statement_import_id for line in lines}):
            refresh_counts(imp)
    return {"posted": posted, "excluded": excluded, "refused": failures}


def rule_create(*, actor, bank_account: BankAccount, query: str, target: matching.Target) -> AssignmentRule:
    access.require(actor, BANKING_IMPORT, bank_account.unit)
    query = clean_spaces(query)[:200]
    key = normalize(query)
    if len(key) < MIN_RULE_QUERY:
        raise ValidationError(
            {"remember": _("Quy tắc cần cụm từ tìm kiếm ít nhất %(n)d ký tự.") % {"n": MIN_RULE_QUERY}}
        )
    problem = matching.target_problem(target, bank_account)
    if problem:
        raise ValidationError({"target": problem})
    with transaction.atomic():
        if AssignmentRule.objects.filter(bank_account=bank_account, query_key=key, is_active=True).exists():
            raise ValidationError(
                {"remember": _("Tài khoản đã có quy tắc đang áp dụng cho “%(q)s”.") % {"q": query}}
            )
        rule = AssignmentRule.objects.create(
            bank_account=bank_account,
            unit=bank_account.unit,
            query=query,
            query_key=key,
            target=target.kind,
            campaign=target.campaign if target.kind == RuleTarget.CAMPAIGN else None,
            pledge=target.pledge if target.kind == RuleTarget.PLEDGE else None,
            not_donation=target.not_donation if target.kind == RuleTarget.NOT_DONATION else "",
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor, action="banking.rule.created", obj=rule, unit=rule.unit, changes=audit.created(rule)
        )
    return rule


def rule_deactivate(*, actor, rule: AssignmentRule) -> AssignmentRule:
    with transaction.atomic():
        rule = AssignmentRule.objects.select_for_update().get(pk=rule.pk)
        access.require(actor, BANKING_IMPORT, rule.unit)
        if rule.is_active:
            rule.is_active = False
            rule.save(update_fields=["is_active"])
            audit.record(
                actor=actor,
                action="banking.rule.deactivated",
                obj=rule,
                unit=rule.unit,
                changes={"is_active": {"before": True, "after": False}},
            )
    return rule


def line_requeue(*, actor, line: StatementLine) -> StatementLine:
    """Put a line marked "not a donation" back in the queue (a posted line is undone in the fund,
    by reversing its donation)."""
    with transaction.atomic():
        line = StatementLine.objects.select_for_update().select_related("bank_account__unit").get(pk=line.pk)
        access.require(actor, BANKING_IMPORT, line.bank_account.unit)
        if line.status != LineStatus.EXCLUDED:
            raise ValidationError(_("Chỉ đưa lại vào hàng chờ được dòng đã đánh dấu không phải ủng hộ."))
        periods.refuse_lines_in_locked_period(line.bank_account, [line.booked_on])
        before = line.get_not_donation_display()
        line.status, line.not_donation, line.rule = LineStatus.QUEUED, "", None
        line.reason = _("Đưa lại vào hàng chờ.")
        line.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        line.decided_at = timezone.now()
        line.save(update_fields=["status", "not_donation", "rule", "reason", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            action="banking.line.requeued",
            obj=line,
            unit=line.bank_account.unit,
            changes={"status": {"before": str(before), "after": "queued"}},
        )
    refresh_counts(line.statement_import)
    return line


def line_match_disbursement(*, actor, line: StatementLine, disbursement) -> StatementLine:
    access.require(actor, BANKING_IMPORT, line.bank_account.unit)
    if (
        disbursement.source_account is None
        or disbursement.source_account.bank_account_id != line.bank_account_id
    ):
        raise ValidationError(_("Khoản chi này không chi từ tài khoản ngân hàng của dòng sao kê."))
    periods.refuse_lines_in_locked_period(line.bank_account, [line.booked_on])
    line = matching.match_debit(actor=actor, line=line, disbursement=disbursement)
    audit.record(
        actor=actor,
        action="banking.line.matched",
        obj=line,
        unit=line.bank_account.unit,
        data={"disbursement": disbursement.voucher_label},
    )
    refresh_counts(line.statement_import)
    return line
