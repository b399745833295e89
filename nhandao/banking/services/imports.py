"""Importing a statement file into a fund's bank account: upload → read → commit.

1. `statement_upload` keeps the file and queues a job that reads it
   (`read_work`): the layout is detected, the bank and the account number printed
   in the file must be the account's, the running balance must add up, and the
   figures (count, dates, credits, debits, balances, lines already imported) are
   stored for a person to check.  A bad file is refused with the reason, nothing kept.
2. `statement_commit` queues the import (`import_work`), which takes the lines the
   reading kept (parsed.py; it reads the bytes again only when they are missing) and then:
   a. writes the lines that are new for the account, in ONE transaction: a line
      already imported (same identity, statements.identity) is skipped, so the same
      file or an overlapping statement adds nothing twice; a failure leaves no line;
      a new line dated in a reconciled, locked period refuses the whole file;
   b. posts the credits that carry a valid code (or that a remembered rule assigns)
      through the fund services, in committed chunks with progress (matching.py);
      a chunk that fails leaves its lines in the queue, never half-posted;
   c. matches the debits to approved payments out of the account.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from nhandao.core import audit, bulk, jobs
from nhandao.core.access import BANKING_IMPORT, BANKING_VIEW, FUNDS_RECORD
from nhandao.core.text import normalize
from nhandao.funds.models import BankAccount
from nhandao.org import access

from .. import banks, memo, statements
from ..models import ImportStatus, LineStatus, StatementImport, StatementLine
from . import matching, parsed, periods

MAX_ERRORS_SHOWN = 5
# The columns an import writes of each statement line (core.bulk), filled by name.
LineRow = bulk.row_type(
    StatementLine,
    (
        "bank_account_id",
        "statement_import_id",
        "identity",
        "row",
        "booked_on",
        "booked_time",
        "amount",
        "description",
        "reference",
        "counterparty_name",
        "counterparty_account",
        "counterparty_bank",
        "balance",
        "donor_name",
        "code",
        "invalid_codes",
        "search_key",
        "status",
        "reason",
        "not_donation",
        "rule_id",
    ),
)


def _record(actor, action: str, imp: StatementImport, data: dict | None = None) -> None:
    audit.record(actor=actor, action=action, obj=imp, unit=imp.unit, data=data or {})


def statement_upload(
    *, actor, bank_account: BankAccount, data: bytes, filename: str, format: str = "", mapping=None
) -> StatementImport:
    """Keep an uploaded statement and queue its reading; returns the import (read at once when
    jobs run immediately)."""
    access.require(actor, BANKING_IMPORT, bank_account.unit)
    if not bank_account.is_active:
        raise ValidationError(
            {"bank_account": _("Tài khoản %(n)s đã ngừng sử dụng.") % {"n": bank_account.account_number}}
        )
    if not data:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if len(data) > statements.sources.MAX_BYTES:
        raise ValidationError(
            {"file": _("Tệp quá lớn (tối đa %(n)d MB).") % {"n": statements.sources.MAX_BYTES // 2**20}}
        )
    if format and format not in dict(statements.formats()):
        raise ValidationError({"format": _("Không có mẫu sao kê “%(f)s”.") % {"f": format}})
    with transaction.atomic():
        imp = StatementImport.objects.create(
            bank_account=bank_account,
            unit=bank_account.unit,
            status=ImportStatus.READING,
            file_name=(filename or "sao-ke")[-255:],
            file_size=len(data),
            file_sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            requested_format=format or "",
            mapping=mapping,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        imp.job = jobs.create(
            actor=actor,
            kind="banking.statement_read",
            label=_("Đọc sao kê %(f)s (tài khoản %(n)s)")
            % {"f": imp.file_name, "n": bank_account.account_number},
            unit=bank_account.unit,
            permission=BANKING_VIEW,
            url=imp.get_absolute_url(),
        )
        imp.save(update_fields=["job"])
        _record(actor, "banking.statement.uploaded", imp, {"file": imp.file_name, "sha256": imp.file_sha256})
        jobs.enqueue(imp.job, statement_read_task, imp.pk)
    return _fresh(imp.pk)


def read_file(imp: StatementImport) -> statements.Statement:
    """Read the kept bytes for the import's account; refuse a file of another bank or account,
    or with errors (a running balance that breaks names its first line)."""
    account = imp.bank_account
    data = bytes(imp.content or b"")
    if hashlib.sha256(data).hexdigest() != imp.file_sha256:
        raise ValidationError(_("Không còn tệp gốc của lần nhập này; hãy tải lên lại."))
    st = statements.read(
        data,
        imp.file_name,
        format=imp.requested_format or None,
        mapping=imp.mapping.spec() if imp.mapping_id else None,
        account=account.account_number,
    )
    statements.check_bank(st, banks.by_bin(account.bank_bin))
    statements.check_account(st, account.account_number)
    if not st.ok:
        errors = [str(p) for p in st.errors]
        text = " ".join(errors[:MAX_ERRORS_SHOWN])
        if len(errors) > MAX_ERRORS_SHOWN:
            text += " " + _("(và %(n)d lỗi khác)") % {"n": len(errors) - MAX_ERRORS_SHOWN}
        raise statements.StatementError(_("Tệp có lỗi, không nhập: %(e)s") % {"e": text})
    return st


# What _fill sets: saved by name, so the kept bytes are never written back.
FIGURES = [
    "format",
    "format_label",
    "printed_account",
    "line_count",
    "credit_count",
    "credit_total",
    "debit_count",
    "debit_total",
    "date_from",
    "date_to",
    "opening_balance",
    "closing_balance",
    "balance_checked",
    "warnings",
]


def _fill(imp: StatementImport, st: statements.Statement) -> None:
    s = st.summary()
    imp.format, imp.format_label = st.format, str(st.format_label)[:120]
    imp.printed_account = (st.account_number or "")[:40]
    imp.line_count, imp.credit_count, imp.credit_total = s.count, s.credit_count, s.credit_total
    imp.debit_count, imp.debit_total = s.debit_count, s.debit_total
    imp.date_from, imp.date_to = s.date_from, s.date_to
    imp.opening_balance, imp.closing_balance = s.opening_balance, s.closing_balance
    imp.balance_checked = st.balance_checked
    imp.warnings = [str(p) for p in st.warnings][:100]


def existing_identities(bank_account_id: int, identities: list[str]) -> set[str]:
    """Which of `identities` the account already has: one query on PostgreSQL (the identities go
    as one array), batches elsewhere."""
    if not identities:
        return set()
    if connection.vendor == "postgresql":
        rows = bulk.fetch_all(
            "SELECT identity FROM banking_statementline WHERE bank_account_id = %s AND identity = ANY(%s)",
            [bank_account_id, identities],
        )
        return {row[0] for row in rows}
    found: set[str] = set()
    for start in range(0, len(identities), 5000):
        found.update(
            StatementLine.objects.filter(
                bank_account_id=bank_account_id, identity__in=identities[start : start + 5000]
            ).values_list("identity", flat=True)
        )
    return found


def _refuse(actor, imp: StatementImport, exc: ValidationError, status=ImportStatus.REFUSED) -> None:
    imp.status = status
    imp.message = " ".join(exc.messages)
    imp.content = imp.parsed = None
    imp.save()
    _record(actor, f"banking.statement.{status}", imp, {"reason": imp.message})


def read_work(job, progress, import_id: int) -> dict:
    """The reading job: the file's figures for a person to check before committing."""
    with jobs.cycle_collector_paused():
        return _read_work(job, progress, import_id)


def _read_work(job, progress, import_id: int) -> dict:
    imp = (
        StatementImport.objects.select_related("bank_account__unit", "mapping", "unit")
        .defer("parsed")
        .get(pk=import_id)
    )
    progress.stage(_("Đọc và kiểm tra tệp"))
    try:
        st = read_file(imp)
        _fill(imp, st)
        lines = parsed.from_statement(st)
        del st
        seen = existing_identities(imp.bank_account_id, [line.identity for line in lines])
        new = [line for line in lines if line.identity not in seen]
        periods.refuse_lines_in_locked_period(imp.bank_account, [line.date for line in new])
    except ValidationError as exc:
        _refuse(job.actor, imp, exc)
        return {"status": imp.status, "message": imp.message}
    # Only the new lines are kept for the commit: a line already imported stays imported (lines
    # are never deleted), so the commit has nothing to do with it; re-importing a whole file
    # keeps and reads back nothing.
    imp.parsed = parsed.pack(new, imp.file_sha256)
    imp.lines_new, imp.lines_duplicate = len(new), len(lines) - len(new)
    imp.status = ImportStatus.CHECKED
    imp.save(update_fields=[*FIGURES, "parsed", "lines_new", "lines_duplicate", "status"])
    return {"status": imp.status, "lines": imp.line_count, "new": imp.lines_new}


def statement_commit(*, actor, statement_import: StatementImport) -> StatementImport:
    """Queue the import of a checked statement (the person has seen its figures)."""
    with transaction.atomic():
        imp = (
            StatementImport.objects.select_for_update()
            .select_related("bank_account", "unit")
            .defer("content", "parsed")
            .get(pk=statement_import.pk)
        )
        access.require(actor, BANKING_IMPORT, imp.unit)
        if actor is not None and not access.has_perm(actor, FUNDS_RECORD, imp.unit):
            raise PermissionDenied(
                _("Nhập sao kê ghi sổ các khoản ủng hộ: cần quyền ghi nhận ủng hộ của đơn vị.")
            )
        if imp.status != ImportStatus.CHECKED:
            raise ValidationError(
                _("Lần nhập này đã được xử lý (%(s)s).") % {"s": imp.get_status_display().lower()}
            )
        imp.status = ImportStatus.IMPORTING
        imp.committed_by = actor if getattr(actor, "is_authenticated", False) else None
        imp.job = jobs.create(
            actor=actor,
            kind="banking.statement_import",
            label=_("Nhập sao kê %(f)s vào tài khoản %(n)s")
            % {"f": imp.file_name, "n": imp.bank_account.account_number},
            unit=imp.unit,
            permission=BANKING_VIEW,
            url=imp.get_absolute_url(),
        )
        imp.save(update_fields=["status", "committed_by", "job"])
        _record(actor, "banking.statement.commit_requested", imp)
        jobs.enqueue(imp.job, statement_import_task, imp.pk)
    return _fresh(imp.pk)


def statement_discard(*, actor, statement_import: StatementImport) -> StatementImport:
    with transaction.atomic():
        imp = (
            StatementImport.objects.select_for_update().defer("content", "parsed").get(pk=statement_import.pk)
        )
        access.require(actor, BANKING_IMPORT, imp.unit)
        if imp.status != ImportStatus.CHECKED:
            raise ValidationError(
                _("Lần nhập này đã được xử lý (%(s)s).") % {"s": imp.get_status_display().lower()}
            )
        imp.status, imp.content, imp.parsed = ImportStatus.DISCARDED, None, None
        imp.save(update_fields=["status", "content", "parsed"])
        _record(actor, "banking.statement.discarded", imp)
    return imp


def _line_row(
    imp: StatementImport, line: parsed.Line, matcher: matching.Matcher, info: memo.MemoInfo
) -> tuple[LineRow, matching.Target | None]:
    description = line.description[:1000]
    cp_name = line.counterparty_name[:200]
    donor = memo.donor_name(counterparty=cp_name, description=description, info=info)[:200]
    key = (normalize(description) + (" " + normalize(cp_name) if cp_name else ""))[:1200]
    target, reason, not_donation, rule_id = None, "", "", None
    if line.amount > 0:
        target, reason = matcher.decide(
            code=info.code or "",
            invalid=", ".join(info.invalid_codes),
            valid_count=len(info.valid_codes),
            search_key=key,
        )
        status = LineStatus.QUEUED
        if target is not None and not target.posts:
            status, not_donation, rule_id = LineStatus.EXCLUDED, target.not_donation, target.rule.pk
            target = None
        elif target is not None:
            reason = matching.PENDING
    else:
        status, reason = LineStatus.QUEUED, _("Chưa khớp khoản chi.")
    return (
        LineRow(
            bank_account_id=imp.bank_account_id,
            statement_import_id=imp.pk,
            identity=line.identity,
            row=line.row,
            booked_on=line.date,
            booked_time=line.time,
            amount=line.amount,
            description=description,
            reference=line.reference[:100],
            counterparty_name=cp_name,
            counterparty_account=line.counterparty_account[:40],
            counterparty_bank=(line.counterparty_bank or info.counterparty_bank_name)[:100],
            balance=line.balance,
            donor_name=donor,
            code=info.code or "",
            invalid_codes=", ".join(info.invalid_codes)[:60],
            search_key=key,
            status=status,
            reason=reason[:300],
            not_donation=not_donation,
            rule_id=rule_id,
        ),
        target,
    )


def write_lines(actor, imp: StatementImport, lines: list[parsed.Line], progress=None) -> dict:
    """Write the statement's new lines in one transaction (all or nothing).  Returns what to post:
    the credits to post with their targets, and the debits' ids."""
    with transaction.atomic():
        account = BankAccount.objects.select_for_update().select_related("unit").get(pk=imp.bank_account_id)
        imp.bank_account = account
        seen = existing_identities(account.pk, [line.identity for line in lines])
        new = [line for line in lines if line.identity not in seen]
        periods.refuse_lines_in_locked_period(account, [line.date for line in new])
        matcher = matching.Matcher(account)
        # The memos first (most of the work, with the progress), then the campaigns and pledges
        # their codes name, looked up once each: the rows are then built while the COPY writes
        # them (core.bulk), and building them needs no query.
        infos = []
        for line in new:
            infos.append(memo.analyse(line.description))
            if progress is not None:
                progress.advance()
        matcher.prefetch({info.code for info in infos if info.code})
        rows, targets = [], []

        def line_rows():
            for line, info in zip(new, infos, strict=True):
                row, target = _line_row(imp, line, matcher, info)
                rows.append(row)
                targets.append(target)
                yield row

        with matcher.without_queries():
            ids = bulk.insert_returning_ids(LineRow, line_rows(), count=len(new))
        # `lines` may be only those the reading found new (parsed.py): count against the file.
        imp.lines_new, imp.lines_duplicate = len(new), imp.line_count - len(new)
        imp.status = ImportStatus.IMPORTED
        imp.committed_at = timezone.now()
        imp.save(update_fields=[*FIGURES, "lines_new", "lines_duplicate", "status", "committed_at"])
        _record(
            actor,
            "banking.statement.imported",
            imp,
            {"lines": imp.line_count, "new": imp.lines_new, "duplicates": imp.lines_duplicate},
        )
    # The lines just written, as posting needs them: no need to read them back.
    to_post, debits = [], []
    for pk, row, target in zip(ids, rows, targets, strict=True):
        if target is not None:
            posting_line = matching.PostingLine(
                pk=pk,
                amount=row.amount,
                booked_on=row.booked_on,
                identity=row.identity,
                counterparty_name=row.counterparty_name,
                counterparty_account=row.counterparty_account,
                description=row.description,
                donor_name=row.donor_name,
            )
            to_post.append((posting_line, target))
        elif row.amount < 0:
            debits.append(pk)
    return {"to_post": to_post, "debits": debits}


def refresh_counts(imp: StatementImport) -> StatementImport:
    """The import's figures from its lines as they are now (a person may have sorted some since)."""
    counts = StatementLine.objects.filter(statement_import=imp).aggregate(
        posted=Count("id", filter=Q(status=LineStatus.POSTED)),
        posted_total=Sum("amount", filter=Q(status=LineStatus.POSTED)),
        queued=Count("id", filter=Q(status=LineStatus.QUEUED)),
        matched=Count("id", filter=Q(status=LineStatus.MATCHED)),
        excluded=Count("id", filter=Q(status=LineStatus.EXCLUDED)),
    )
    imp.posted_count, imp.posted_total = counts["posted"], counts["posted_total"] or 0
    imp.queued_count, imp.matched_count, imp.excluded_count = (
        counts["queued"],
        counts["matched"],
        counts["excluded"],
    )
    imp.save(
        update_fields=["posted_count", "posted_total", "queued_count", "matched_count", "excluded_count"]
    )
    return imp


def import_work(job, progress, import_id: int) -> dict:
    """The import job (see the module docstring)."""
    with jobs.cycle_collector_paused():
        return _import_work(job, progress, import_id)


def _import_work(job, progress, import_id: int) -> dict:
    actor = job.actor
    imp = (
        StatementImport.objects.select_related("bank_account__unit", "mapping", "unit")
        .defer("content")
        .get(pk=import_id)
    )
    if imp.status == ImportStatus.IMPORTED:
        return _resume_posting(actor, progress, imp)
    try:
        lines = parsed.unpack(imp.parsed, imp.file_sha256)
        if lines is None:
            progress.stage(_("Đọc lại tệp"))
            st = read_file(imp)
            _fill(imp, st)
            lines = parsed.from_statement(st)
            del st
        imp.parsed = None  # the lines are in memory now; not saved back
        progress.stage(_("Ghi các dòng sao kê (một lần, tất cả hoặc không dòng nào)"), total=len(lines))
        plan = write_lines(actor, imp, lines, progress)
    except ValidationError as exc:
        imp.refresh_from_db(fields=["status"])
        _refuse(actor, imp, exc, status=ImportStatus.FAILED)
        raise
    del lines
    account = imp.bank_account
    items = plan["to_post"]
    progress.stage(_("Ghi sổ các khoản ủng hộ có mã tham chiếu hoặc theo quy tắc"), total=len(items))
    posted, failures = matching.post_lines(actor=actor, bank_account=account, items=items, progress=progress)
    debit_lines = list(StatementLine.objects.filter(pk__in=plan["debits"]).order_by("booked_on", "id"))
    progress.stage(_("Khớp các dòng tiền ra với khoản chi đã duyệt"), total=len(debit_lines))
    matched = matching.match_debits(actor=actor, bank_account=account, lines=debit_lines, progress=progress)
    imp.content = imp.parsed = None
    imp.save(update_fields=["content", "parsed"])
    refresh_counts(imp)
    return {
        "new": imp.lines_new,
        "duplicates": imp.lines_duplicate,
        "posted": posted,
        "refused": len(failures),
        "queued": imp.queued_count,
        "matched": matched,
        "excluded": imp.excluded_count,
    }


def _resume_posting(actor, progress, imp: StatementImport) -> dict:
    """The job ran before and its worker stopped after the lines were written (one transaction):
    post and match what is still queued of this import, exactly as the first run would have."""
    progress.stage(_("Tiếp tục: đối chiếu các dòng còn chờ của lần nhập này"))
    queued = list(
        StatementLine.objects.filter(statement_import=imp, status=LineStatus.QUEUED).order_by(
            "booked_on", "id"
        )
    )
    outcome = matching.rematch_lines(
        actor=actor, bank_account=imp.bank_account, lines=queued, progress=progress
    )
    imp.content = imp.parsed = None
    imp.save(update_fields=["content", "parsed"])
    refresh_counts(imp)
    return {
        "new": imp.lines_new,
        "duplicates": imp.lines_duplicate,
        "posted": imp.posted_count,
        "refused": outcome["refused"],
        "queued": imp.queued_count,
        "matched": imp.matched_count,
        "excluded": imp.excluded_count,
        "resumed": True,
    }


# The background tasks (django-tasks) live beside the work they run: the services above queue them,
# so a tasks module of their own and these services would import each other.
@task()
def statement_read_task(job_id: int, import_id: int) -> None:
    jobs.run(job_id, lambda job, progress: read_work(job, progress, import_id))


@task()
def statement_import_task(job_id: int, import_id: int) -> None:
    jobs.run(job_id, lambda job, progress: import_work(job, progress, import_id))


def run_now(imp: StatementImport) -> StatementImport:
    """Run the import's pending job here and now (commands, seeding): with the database backend
    the job would otherwise wait for a worker; a worker that picks it up later finds it done."""
    imp = _fresh(imp.pk)
    job = imp.job
    if job is not None and job.status == job.Status.QUEUED:
        work = read_work if job.kind == "banking.statement_read" else import_work
        jobs.run(job.pk, lambda j, progress: work(j, progress, imp.pk))
        imp = _fresh(imp.pk)
    return imp


def _fresh(pk: int) -> StatementImport:
    """The import as stored now, without loading the kept file and lines (megabytes) back."""
    return (
        StatementImport.objects.select_related("bank_account", "unit").defer("content", "parsed").get(pk=pk)
    )
