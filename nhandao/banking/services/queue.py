"""The queue: a finance officer decides what the lines the import could not place are.

One line or many at once (every queued line of the account matching a search),
to a campaign, the unit's general fund, a pledge, or "not a donation" (refunds,
interest, internal transfers, fees); optionally remembered as a rule that the
next imports apply by themselves.  Debit lines are tied to an approved payment.

Deciding every line that matches a search (thousands of lines: 49 s in one request on
13,000) and matching the whole queue again run as background jobs (core.jobs) with
progress: `lines_assign_start`, `queue_rematch_start`.  Their postings commit in chunks,
each with the lines it posts, so a job stopped midway and resumed posts nothing twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from nhandao.campaigns.models import Campaign
from nhandao.core import audit, jobs
from nhandao.core.access import BANKING_IMPORT, BANKING_VIEW, FUNDS_RECORD
from nhandao.core.models import Job
from nhandao.core.text import clean_spaces, normalize
from nhandao.funds.models import BankAccount, Pledge
from nhandao.org import access

from .. import selectors
from ..models import AssignmentRule, LineStatus, RuleTarget, StatementImport, StatementLine
from . import matching, periods
from .imports import refresh_counts

# Lines marked "not a donation" per transaction in a background assignment.
EXCLUDE_CHUNK = 2000

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


# In the background ------------------------------------------------------------
def _refresh_imports(import_ids) -> None:
    for imp in StatementImport.objects.filter(pk__in=set(import_ids)).defer("content", "parsed"):
        refresh_counts(imp)


def _queue_url(bank_account: BankAccount) -> str:
    return reverse("banking:queue", args=[bank_account.pk])


def queue_rematch(*, actor, bank_account: BankAccount, progress=None) -> dict:
    """Run the matching again over the account's queued lines (after a new rule, or an import
    whose posting stopped midway)."""
    access.require(actor, BANKING_IMPORT, bank_account.unit)
    queued = list(
        StatementLine.objects.filter(bank_account=bank_account, status=LineStatus.QUEUED).order_by(
            "booked_on", "id"
        )
    )
    if progress is not None:
        progress.stage(_("Xét lại %(n)s dòng chờ") % {"n": len(queued)})
    result = matching.rematch_lines(actor=actor, bank_account=bank_account, lines=queued, progress=progress)
    with transaction.atomic():
        if result["posted"] or result["excluded"] or result["matched"]:
            audit.record(
                actor=actor,
                action="banking.queue.rematched",
                obj=bank_account,
                unit=bank_account.unit,
                data=result,
            )
        _refresh_imports(line.statement_import_id for line in queued)
    return result


def queue_rematch_start(*, actor, bank_account: BankAccount) -> Job:
    """Queue `queue_rematch` as a background job; returns the job (done at once without a worker)."""
    access.require(actor, BANKING_IMPORT, bank_account.unit)
    with transaction.atomic():
        job = jobs.create(
            actor=actor,
            kind="banking.queue_rematch",
            label=_("Đối chiếu lại các dòng chờ của tài khoản %(n)s") % {"n": bank_account.account_number},
            unit=bank_account.unit,
            permission=BANKING_VIEW,
            url=_queue_url(bank_account),
        )
        jobs.enqueue(job, queue_rematch_task, bank_account.pk)
    job.refresh_from_db()
    return job


@task()
def queue_rematch_task(job_id: int, bank_account_id: int) -> None:
    def work(job, progress):
        account = BankAccount.objects.select_related("unit").get(pk=bank_account_id)
        return queue_rematch(actor=job.actor, bank_account=account, progress=progress)

    jobs.run(job_id, work)


def _target_spec(target: matching.Target) -> dict:
    return {
        "kind": target.kind,
        "campaign": getattr(target.campaign, "pk", None),
        "pledge": getattr(target.pledge, "pk", None),
        "not_donation": target.not_donation,
        "rule": getattr(target.rule, "pk", None),
    }


def _target_from(spec: dict) -> matching.Target:
    return matching.Target(
        spec["kind"],
        campaign=Campaign.objects.select_related("unit").get(pk=spec["campaign"])
        if spec["campaign"]
        else None,
        pledge=Pledge.objects.select_related("fund", "campaign").get(pk=spec["pledge"])
        if spec["pledge"]
        else None,
        not_donation=spec["not_donation"],
        rule=AssignmentRule.objects.get(pk=spec["rule"]) if spec["rule"] else None,
    )


def lines_assign_start(
    *, actor, bank_account: BankAccount, query: str, direction: str, target: matching.Target, remember: bool
) -> Job:
    """Decide, in the background, every queued line of the account matching a search; with
    `remember`, the search is kept as a rule first (refused at once if it cannot be)."""
    access.require(actor, BANKING_IMPORT, bank_account.unit)
    problem = matching.target_problem(target, bank_account)
    if problem:
        raise ValidationError({"target": problem})
    if target.posts:
        access.require(actor, FUNDS_RECORD, bank_account.unit)
    if not normalize(query):
        raise ValidationError({"scope": _("Hãy nhập nội dung tìm kiếm trước khi áp dụng cho mọi dòng khớp.")})
    with transaction.atomic():
        if remember:
            target.rule = rule_create(actor=actor, bank_account=bank_account, query=query, target=target)
        job = jobs.create(
            actor=actor,
            kind="banking.lines_assign",
            label=_("Phân loại các dòng chờ khớp “%(q)s” (tài khoản %(n)s)")
            % {"q": clean_spaces(query)[:100], "n": bank_account.account_number},
            unit=bank_account.unit,
            permission=BANKING_VIEW,
            url=_queue_url(bank_account),
        )
        jobs.enqueue(job, lines_assign_task, bank_account.pk, query, direction, _target_spec(target))
    job.refresh_from_db()
    return job


def _assign_work(job, progress, bank_account_id: int, query: str, direction: str, spec: dict) -> dict:
    actor = job.actor
    account = BankAccount.objects.select_related("unit").get(pk=bank_account_id)
    access.require(actor, BANKING_IMPORT, account.unit)
    target = _target_from(spec)
    problem = matching.target_problem(target, account)
    if problem:
        raise ValidationError(problem)
    progress.stage(_("Tìm các dòng chờ khớp"))
    found = list(selectors.lines(account, selectors.LineFilter(query=query, direction=direction)))
    lines = [line for line in found if not (target.posts and line.amount <= 0)]
    skipped_debits = len(found) - len(lines)
    if not lines and job.attempts <= 1:  # a resumed job may find everything done already
        raise ValidationError(_("Không có dòng chờ nào khớp “%(q)s”.") % {"q": query})
    periods.refuse_lines_in_locked_period(account, [line.booked_on for line in lines])
    posted, excluded, failures = 0, 0, []
    if target.posts:
        progress.stage(_("Ghi sổ các khoản ủng hộ"), total=len(lines))
        posted, failures = matching.post_lines(
            actor=actor, bank_account=account, items=[(line, target) for line in lines], progress=progress
        )
    else:
        progress.stage(_("Đánh dấu không phải ủng hộ"), total=len(lines))
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        for start in range(0, len(lines), EXCLUDE_CHUNK):
            part = [line.pk for line in lines[start : start + EXCLUDE_CHUNK]]
            with transaction.atomic():
                n = StatementLine.objects.filter(pk__in=part, status=LineStatus.QUEUED).update(
                    status=LineStatus.EXCLUDED,
                    not_donation=target.not_donation,
                    reason="",
                    rule=target.rule,
                    decided_by=actor_user,
                    decided_at=timezone.now(),
                )
                if target.rule is not None and n:
                    AssignmentRule.objects.filter(pk=target.rule.pk).update(
                        times_applied=F("times_applied") + n
                    )
            excluded += n
            progress.advance(len(part))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="banking.lines.assigned",
            obj=account,
            unit=account.unit,
            data={
                "target": target.kind,
                "campaign": target.campaign.code if target.campaign is not None else None,
                "pledge": target.pledge.code if target.pledge is not None else None,
                "not_donation": target.not_donation or None,
                "query": query,
                "lines": len(lines),
                "posted": posted,
                "excluded": excluded,
                "refused": len(failures),
                "rule": target.rule.pk if target.rule is not None else None,
                "job": job.pk,
            },
        )
        _refresh_imports(line.statement_import_id for line in lines)
    return {
        "lines": len(lines),
        "posted": posted,
        "excluded": excluded,
        "refused": len(failures),
        "skipped_debits": skipped_debits,
        "refusals": [
            {"date": line.booked_on.strftime("%d/%m/%Y"), "amount": line.amount, "message": message}
            for line, message in failures[:20]
        ],
    }


@task()
def lines_assign_task(job_id: int, bank_account_id: int, query: str, direction: str, spec: dict) -> None:
    jobs.run(
        job_id, lambda job, progress: _assign_work(job, progress, bank_account_id, query, direction, spec)
    )
