"""Pages of the fund's bank accounts: statements, the queue, rules, reconciliation, VietQR codes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.campaigns import selectors as campaign_selectors
from nhandao.core.access import (
    BANKING_IMPORT,
    BANKING_RECONCILE,
    BANKING_VIEW,
    FUNDS_APPROVE,
    FUNDS_RECORD,
    FUNDS_VIEW,
)
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.funds import selectors as fund_selectors
from nhandao.funds.forms import PeriodForm
from nhandao.funds.models import BankAccount
from nhandao.org import access

from . import forms, selectors, services
from .models import ImportStatus, LineStatus, ProblemStatus, RuleTarget
from .services import matching, qrcodes


def _account_context(user, account: BankAccount) -> dict:
    return {
        "account": account,
        "can_import": access.has_perm(user, BANKING_IMPORT, account.unit),
        "can_reconcile": access.has_perm(user, BANKING_RECONCILE, account.unit),
    }


@login_required
def account_detail(request, pk):
    account = fund_selectors.bank_account_get(request.user, pk, BANKING_VIEW)
    context = _account_context(request.user, account)
    context.update(
        page=paginate(request, selectors.imports_of(account)),
        waiting=selectors.queue_counts([account]).get(account.pk, 0),
        periods=selectors.periods_of(account)[:5],
    )
    return render(request, "banking/account_detail.html", context)


@login_required
def statement_upload(request, pk):
    account = fund_selectors.bank_account_get(request.user, pk, BANKING_VIEW)
    access.require(request.user, BANKING_IMPORT, account.unit)
    mappings = selectors.column_mappings_usable(request.user, BANKING_IMPORT)
    form = forms.StatementUploadForm(request.POST or None, request.FILES or None, mappings=mappings)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = services.statement_upload(
                actor=request.user,
                bank_account=account,
                data=upload.read(services.imports.statements.sources.MAX_BYTES + 1),
                filename=upload.name,
                format=form.cleaned_data.get("format") or "",
                mapping=form.cleaned_data.get("mapping"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(imp)
    return render(request, "banking/upload.html", {"form": form, **_account_context(request.user, account)})


@login_required
def import_detail(request, pk):
    imp = selectors.import_get(request.user, pk)
    status = request.GET.get("trang-thai", "")
    if status not in LineStatus.values:
        status = ""
    context = _account_context(request.user, imp.bank_account)
    context.update(imp=imp, status=status, statuses=LineStatus.choices)
    if imp.status == ImportStatus.IMPORTED:
        context["page"] = paginate(request, selectors.lines_of_import(imp, status))
    # The first problem lines (row, raw text, reason, implied amount); all of them on their page.
    context["problems"] = _problems(imp)[:PROBLEMS_SHOWN]
    if imp.status == ImportStatus.HELD:
        context["can_confirm"] = access.has_perm(request.user, FUNDS_APPROVE, imp.unit)
        context["other_account"] = forms.OtherAccountForm()
    return render(request, "banking/import_detail.html", context)


PROBLEMS_SHOWN = 20


def _problems(imp):
    """Before the commit, the rows as the reading kept them; afterwards, the problem lines stored."""
    if imp.status == ImportStatus.IMPORTED:
        return selectors.problems_of_import(imp)
    return imp.problem_rows if imp.status in (ImportStatus.CHECKED, ImportStatus.HELD) else []


@login_required
def import_problems(request, pk):
    imp = selectors.import_get(request.user, pk)
    context = _account_context(request.user, imp.bank_account)
    context.update(imp=imp, page=paginate(request, _problems(imp)))
    return render(request, "banking/import_problems.html", context)


@login_required
@require_POST
def import_confirm_other_account(request, pk):
    """A finance approver lets a file already imported into another account into this one."""
    imp = selectors.import_get(request.user, pk)
    form = forms.OtherAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi rõ lý do."))
        return redirect(imp)
    try:
        services.statement_confirm_other_account(
            actor=request.user, statement_import=imp, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xác nhận; lần nhập chờ ghi sổ như thường."))
    return redirect(imp)


@login_required
def problem_detail(request, pk):
    """A problem line of an imported statement: the row as read, and the form to correct it."""
    problem = selectors.problem_get(request.user, pk)
    account = problem.bank_account
    can_import = access.has_perm(request.user, BANKING_IMPORT, account.unit)
    form = None
    if problem.status == ProblemStatus.OPEN:
        form = forms.ProblemCorrectForm(
            request.POST or None,
            initial={
                "booked_on": problem.booked_on,
                "booked_time": problem.booked_time,
                "amount": problem.best_amount,
                "description": problem.description or problem.raw,
                "counterparty_name": problem.counterparty_name,
            },
        )
    if request.method == "POST":
        access.require(request.user, BANKING_IMPORT, account.unit)
        if form is not None and form.is_valid():
            try:
                line = services.problem_line_correct(actor=request.user, problem=problem, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã sửa dòng; dòng sao kê được đối chiếu như các dòng khác."))
                return redirect("banking:line", pk=line.pk)
    return render(
        request,
        "banking/problem_detail.html",
        {"problem": problem, "account": account, "form": form, "can_import": can_import},
    )


@login_required
@require_POST
def import_commit(request, pk):
    imp = selectors.import_get(request.user, pk)
    try:
        services.statement_commit(actor=request.user, statement_import=imp)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(imp)


@login_required
@require_POST
def import_discard(request, pk):
    imp = selectors.import_get(request.user, pk)
    try:
        services.statement_discard(actor=request.user, statement_import=imp)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã hủy; không có dòng nào được ghi."))
    return redirect("banking:account", pk=imp.bank_account_id)


def _line_filter(form: forms.QueueFilterForm) -> selectors.LineFilter:
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or LineStatus.QUEUED
    return selectors.LineFilter(
        query=data.get("q") or "",
        status="" if status == "all" else status,
        direction=data.get("direction") or "",
    )


def _target(form: forms.AssignForm) -> matching.Target:
    data = form.cleaned_data
    return matching.Target(
        data["target"],
        campaign=data.get("campaign") if data["target"] == RuleTarget.CAMPAIGN else None,
        pledge=data.get("pledge") if data["target"] == RuleTarget.PLEDGE else None,
        not_donation=data.get("not_donation") or "" if data["target"] == RuleTarget.NOT_DONATION else "",
    )


def _report_assignment(request, result: dict) -> None:
    if result["posted"]:
        messages.success(request, _("Đã ghi sổ %(n)s khoản ủng hộ.") % {"n": result["posted"]})
    if result["excluded"]:
        messages.success(request, _("Đã đánh dấu %(n)s dòng không phải ủng hộ.") % {"n": result["excluded"]})
    for line, message in result["refused"][:5]:
        messages.error(
            request, _("Dòng ngày %(d)s: %(m)s") % {"d": line.booked_on.strftime("%d/%m/%Y"), "m": message}
        )


@login_required
def queue(request, pk):
    """Lines waiting for a decision; decide the marked ones, or every line matching the search."""
    account = fund_selectors.bank_account_get(request.user, pk, BANKING_VIEW)
    filters = forms.QueueFilterForm(request.GET or None)
    f = _line_filter(filters)
    qs = selectors.lines(account, f)
    can_import = access.has_perm(request.user, BANKING_IMPORT, account.unit)
    assign = forms.AssignForm(
        request.POST or None,
        campaigns=selectors.campaigns_for(request.user, account),
        pledges=selectors.pledges_for(account),
    )
    if request.method == "POST":
        access.require(request.user, BANKING_IMPORT, account.unit)
        if assign.is_valid() and assign.cleaned_data.get("scope") == "search":
            # Every matching line, however many: a background job with progress.
            try:
                job = services.lines_assign_start(
                    actor=request.user,
                    bank_account=account,
                    query=f.query,
                    direction=f.direction,
                    target=_target(assign),
                    remember=bool(assign.cleaned_data.get("remember")),
                )
            except ValidationError as exc:
                apply_errors(assign, exc)
            else:
                return _follow(request, job)
        elif assign.is_valid():
            ids = [int(v) for v in request.POST.getlist("line") if v.isdigit()][:500]
            chosen = list(
                selectors.lines(account, selectors.LineFilter(direction=f.direction)).filter(pk__in=ids)
            )
            remember = f.query if assign.cleaned_data.get("remember") else ""
            if assign.cleaned_data.get("remember") and not f.query:
                assign.add_error("remember", _("Quy tắc ghi nhớ cụm từ tìm kiếm: hãy tìm trước."))
            if not assign.errors:
                try:
                    result = services.lines_assign(
                        actor=request.user,
                        bank_account=account,
                        lines=chosen,
                        target=_target(assign),
                        remember=remember,
                    )
                except ValidationError as exc:
                    apply_errors(assign, exc)
                else:
                    _report_assignment(request, result)
                    return redirect(request.get_full_path())
    context = _account_context(request.user, account)
    context.update(
        filters=filters,
        assign=assign,
        page=paginate(request, qs),
        query=f.query,
        can_import=can_import,
        waiting=selectors.queue_counts([account]).get(account.pk, 0),
        reasons=selectors.queue_reasons(qs),
        filtered=bool(f.query or f.direction or f.status != LineStatus.QUEUED),
    )
    return render(request, "banking/queue.html", context)


def _follow(request, job):
    """After starting a queue job: its page while it runs; back to the queue with its outcome
    when it already ended (no worker: the job ran in this request)."""
    if not job.finished:
        return redirect("office:job", pk=job.pk)
    if job.status == job.Status.FAILED:
        messages.error(request, job.message)
    else:
        r = job.result
        messages.success(
            request,
            _("Xong: %(p)s dòng ghi sổ ủng hộ, %(e)s dòng không phải ủng hộ, %(m)s dòng khớp khoản chi.")
            % {"p": r.get("posted", 0), "e": r.get("excluded", 0), "m": r.get("matched", 0)},
        )
    return redirect(job.url or request.get_full_path())


@login_required
@require_POST
def rematch(request, pk):
    account = fund_selectors.bank_account_get(request.user, pk, BANKING_VIEW)
    access.require(request.user, BANKING_IMPORT, account.unit)
    return _follow(request, services.queue_rematch_start(actor=request.user, bank_account=account))


@login_required
def line_detail(request, pk):
    line = selectors.line_get(request.user, pk)
    account = line.bank_account
    can_import = access.has_perm(request.user, BANKING_IMPORT, account.unit)
    assign = match = late = None
    if line.status == LineStatus.QUEUED and line.amount > 0:
        closed = selectors.closed_campaigns_for(account)
        if closed.exists():
            late = forms.LateBookingForm(
                request.POST if request.POST.get("action") == "late" else None, campaigns=closed
            )
        assign = forms.AssignForm(
            request.POST or None,
            campaigns=selectors.campaigns_for(request.user, account),
            pledges=selectors.pledges_for(account),
        )
        del assign.fields["scope"], assign.fields["remember"]
    elif line.status == LineStatus.QUEUED:
        match = forms.MatchForm(request.POST or None, candidates=selectors.disbursement_candidates(line))
    if request.method == "POST":
        access.require(request.user, BANKING_IMPORT, account.unit)
        try:
            if request.POST.get("action") == "requeue":
                services.line_requeue(actor=request.user, line=line)
                return redirect("banking:line", pk=line.pk)
            if request.POST.get("action") == "late":
                if late is not None and late.is_valid():
                    try:
                        services.line_book_late(
                            actor=request.user,
                            line=line,
                            campaign=late.cleaned_data["campaign"],
                            reason=late.cleaned_data["late_reason"],
                        )
                    except ValidationError as exc:
                        apply_errors(late, exc)
                    else:
                        messages.success(request, _("Đã ghi sổ khoản nhận muộn vào cuộc vận động."))
                        return redirect("banking:line", pk=line.pk)
                return render(
                    request,
                    "banking/line_detail.html",
                    {
                        "line": line,
                        "account": account,
                        "assign": None,
                        "match": None,
                        "late": late,
                        "can_import": can_import,
                    },
                )
            if match is not None and match.is_valid():
                services.line_match_disbursement(
                    actor=request.user, line=line, disbursement=match.cleaned_data["disbursement"]
                )
                messages.success(request, _("Đã khớp dòng sao kê với khoản chi."))
                return redirect("banking:line", pk=line.pk)
            if assign is not None and assign.is_valid():
                result = services.lines_assign(
                    actor=request.user, bank_account=account, lines=[line], target=_target(assign)
                )
                _report_assignment(request, result)
                return redirect("banking:line", pk=line.pk)
        except ValidationError as exc:
            apply_errors(assign or match, exc) if (assign or match) else messages.error(
                request, " ".join(exc.messages)
            )
    return render(
        request,
        "banking/line_detail.html",
        {
            "line": line,
            "account": account,
            "assign": assign,
            "match": match,
            "late": late,
            "can_import": can_import,
        },
    )


@login_required
def rule_list(request, pk):
    account = fund_selectors.bank_account_get(request.user, pk, BANKING_VIEW)
    context = _account_context(request.user, account)
    context["page"] = paginate(request, selectors.rules_of(account))
    return render(request, "banking/rules.html", context)


@login_required
@require_POST
def rule_deactivate(request, pk):
    rule = selectors.rule_get(request.user, pk)
    access.require(request.user, BANKING_IMPORT, rule.unit)
    services.rule_deactivate(actor=request.user, rule=rule)
    messages.success(request, _("Đã ngừng áp dụng quy tắc “%(q)s”.") % {"q": rule.query})
    return redirect("banking:rules", pk=rule.bank_account_id)


ENTRIES_SHOWN = 100


@login_required
def reconcile(request, pk):
    account = fund_selectors.bank_account_get(request.user, pk, BANKING_VIEW)
    today = timezone.localdate()
    period = PeriodForm(request.GET or None)
    if request.GET.get("date_from") or request.GET.get("date_to"):
        date_from, date_to = period.period(today.replace(day=1))
    else:
        # Open on the last statement's period (a period that can be locked), else last month: never today.
        last_month_end = today.replace(day=1) - dt.timedelta(days=1)
        date_from, date_to = selectors.last_statement_period(account) or (
            last_month_end.replace(day=1),
            last_month_end,
        )
        period = PeriodForm(initial={"date_from": date_from, "date_to": date_to})
    lock = forms.LockForm(request.POST or None, initial={"date_from": date_from, "date_to": date_to})
    if request.method == "POST":
        access.require(request.user, BANKING_RECONCILE, account.unit)
        if lock.is_valid():
            try:
                services.period_lock(
                    actor=request.user,
                    bank_account=account,
                    date_from=lock.cleaned_data["date_from"],
                    date_to=lock.cleaned_data["date_to"],
                    note=lock.cleaned_data.get("note") or "",
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã khóa sổ kỳ này."))
            return redirect(request.get_full_path())
    rec = selectors.reconciliation(account, date_from, date_to)
    context = _account_context(request.user, account)
    context.update(
        period=period,
        rec=rec,
        lock=lock,
        page=paginate(request, rec.unmatched_lines),
        entries=rec.unmatched_entries[:ENTRIES_SHOWN],
        entries_more=rec.unmatched_entries.count() > ENTRIES_SHOWN,
        periods=selectors.periods_of(account)[:12],
        blockers=[] if rec.locked else services.lock_blockers(account, date_from, date_to, rec),
        who_may_lock=selectors.who_may_lock(account),
    )
    return render(request, "banking/reconcile.html", context)


# VietQR ---------------------------------------------------------------------------------------
def _svg(code: qrcodes.Code):
    return mark_safe(code.svg())  # segno's own markup; the payload is ASCII we built


def _png(code: qrcodes.Code, name: str) -> HttpResponse:
    response = HttpResponse(code.png(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="vietqr-{name}.png"'
    return response


def _issue(request, *, account, amount, campaign=None, pledge=None):
    try:
        qr = services.qr_reference_create(
            actor=request.user, bank_account=account, amount=amount, campaign=campaign, pledge=pledge
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    return redirect("banking:reference_vietqr", reference=qr.reference)


@login_required
def account_vietqr(request, pk):
    account = fund_selectors.bank_account_get(request.user, pk, FUNDS_VIEW)
    code = qrcodes.code_for(account)
    form = forms.AmountForm(request.POST or None)
    if request.method == "POST":
        access.require(request.user, FUNDS_RECORD, account.unit)
        if form.is_valid():
            response = _issue(
                request, account=account, amount=form.cleaned_data["amount"], campaign=account.campaign
            )
            if response is not None:
                return response
    return render(
        request,
        "banking/vietqr_account.html",
        {
            "account": account,
            "code": code,
            "svg": _svg(code),
            "form": form,
            "can_issue": access.has_perm(request.user, FUNDS_RECORD, account.unit),
        },
    )


@login_required
def account_vietqr_png(request, pk):
    account = fund_selectors.bank_account_get(request.user, pk, FUNDS_VIEW)
    return _png(qrcodes.code_for(account), account.account_number)


def _campaign_accounts(user, campaign):
    """Active accounts in the user's scope that may receive for the campaign (its unit's subtree)."""
    return (
        fund_selectors.bank_accounts(user, FUNDS_VIEW)
        .filter(is_active=True, unit__path__startswith=campaign.unit.path)
        .order_by("-campaign_id", "unit__path", "id")
    )


@login_required
def campaign_vietqr(request, pk):
    campaign = campaign_selectors.campaign_get(request.user, pk)
    access.require(request.user, FUNDS_VIEW)
    accounts = _campaign_accounts(request.user, campaign)
    page = paginate(request, accounts)
    codes = [(b, qrcodes.code_for(b, campaign=campaign)) for b in page.object_list]
    issuable = accounts.filter(unit__in=access.scope(request.user, FUNDS_RECORD).units())
    form = forms.AmountForm(request.POST or None, accounts=issuable)
    if request.method == "POST" and form.is_valid():
        response = _issue(
            request,
            account=form.cleaned_data["account"],
            amount=form.cleaned_data["amount"],
            campaign=campaign,
        )
        if response is not None:
            return response
    return render(
        request,
        "banking/vietqr_campaign.html",
        {
            "campaign": campaign,
            "page": page,
            "codes": [(b, code, _svg(code)) for b, code in codes],
            "form": form,
            "can_issue": access.has_perm(request.user, FUNDS_RECORD),
        },
    )


@login_required
def campaign_vietqr_png(request, pk, account):
    campaign = campaign_selectors.campaign_get(request.user, pk)
    bank_account = _campaign_accounts(request.user, campaign).filter(pk=account).first()
    if bank_account is None:
        raise Http404
    return _png(
        qrcodes.code_for(bank_account, campaign=campaign), f"{campaign.code}-{bank_account.account_number}"
    )


@login_required
def pledge_vietqr(request, pk):
    pledge = fund_selectors.pledge_get(request.user, pk)
    progress = fund_selectors.pledge_progress(pledge)
    accounts = (
        fund_selectors.bank_accounts(request.user, FUNDS_VIEW)
        .filter(is_active=True, unit=pledge.fund.unit)
        .order_by("-campaign_id", "id")
    )
    form = forms.AmountForm(
        request.POST or None, accounts=accounts, initial={"amount": max(progress["outstanding"], 0) or None}
    )
    if request.method == "POST":
        access.require(request.user, FUNDS_RECORD, pledge.unit)
        if form.is_valid():
            response = _issue(
                request,
                account=form.cleaned_data["account"],
                amount=form.cleaned_data["amount"],
                pledge=pledge,
            )
            if response is not None:
                return response
    return render(
        request,
        "banking/vietqr_pledge.html",
        {
            "pledge": pledge,
            "progress": progress,
            "form": form,
            "can_issue": access.has_perm(request.user, FUNDS_RECORD, pledge.unit),
            "has_accounts": accounts.exists(),
        },
    )


@login_required
def reference_vietqr(request, reference):
    qr = selectors.reference_get(request.user, reference)
    code = qrcodes.code_of_reference(qr)
    return render(request, "banking/vietqr_reference.html", {"qr": qr, "code": code, "svg": _svg(code)})


@login_required
def reference_vietqr_png(request, reference):
    qr = selectors.reference_get(request.user, reference)
    return _png(qrcodes.code_of_reference(qr), qr.reference)
