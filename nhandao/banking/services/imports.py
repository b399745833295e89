"""Importing a statement file into a fund's bank account: upload → read → commit.

1. `statement_upload` keeps the file and queues a job that reads it
   (`read_work`): the layout is detected, the bank and the account number printed
   in the file must be the account's, the running balance must add up, and the
   figures (count, dates, credits, debits, balances, lines already imported) are
   stored for a person to check.  A bad file is refused with the reason, nothing kept.
2. `statement_commit` queues the import (`import_work`), which takes the lines the
   reading kept (parsed.py; it reads the bytes again only when they are missing) and then:
   a. decides each new line (memo analysis, codes, remembered rules); a line already
      imported (same identity, statements.identity) is skipped, so the same file or an
      overlapping statement adds nothing twice; a new line dated in a reconciled, locked
      period refuses the whole file before anything is written;
   b. writes the lines in committed chunks with progress (`write_lines`): in each chunk's
      transaction the credits that carry a valid code (or that a remembered rule assigns)
      are posted through the fund services first (matching.py), then the chunk's lines are
      written as they end, POSTED with their donation or queued with the reason.  A chunk
      that fails leaves nothing of itself; the import is IMPORTED once every chunk is written,
      and a run that stopped is taken up again where it stopped (the lines it wrote are its own);
   c. matches the debits to approved payments out of the account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from contextlib import closing

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from nhandao.core import ahead, audit, bulk, jobs
from nhandao.core.access import BANKING_IMPORT, BANKING_VIEW, FUNDS_APPROVE, FUNDS_RECORD
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money, number
from nhandao.core.money import MAX_AMOUNT
from nhandao.core.text import normalize
from nhandao.funds.models import BankAccount
from nhandao.org import access

from .. import banks, memo, statements
from ..models import (
    AssignmentRule,
    ImportStatus,
    LineStatus,
    StatementImport,
    StatementLine,
    StatementProblemLine,
)
from . import matching, parsed, periods

logger = logging.getLogger(__name__)

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
        "donation_id",
        "decided_by_id",
        "decided_at",
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
    refusal = None
    if not bank_account.is_active:
        refusal = ValidationError(
            {"bank_account": _("Tài khoản %(n)s đã ngừng sử dụng.") % {"n": bank_account.account_number}}
        )
    elif not data:
        refusal = ValidationError({"file": _("Tệp rỗng.")})
    elif len(data) > statements.sources.MAX_BYTES:
        refusal = ValidationError(
            {"file": _("Tệp quá lớn (tối đa %(n)d MB).") % {"n": statements.sources.MAX_BYTES // 2**20}}
        )
    elif format and format not in dict(statements.formats()):
        refusal = ValidationError({"format": _("Không có mẫu sao kê “%(f)s”.") % {"f": format}})
    if refusal is not None:
        # Refused before anything is kept: the refusal is still on the record.
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="banking.statement.upload_refused",
                obj=bank_account,
                unit=bank_account.unit,
                data={
                    "file": (filename or "")[-255:],
                    "size": len(data or b""),
                    "reason": " ".join(refusal.messages),
                },
            )
        raise refusal
    sha256 = hashlib.sha256(data).hexdigest()
    # The second upload of a file already imported whole here is recognised by its SHA-256 alone
    # (`_already_imported_here`, the reading's first step): its bytes (24 MB for 200,000 lines) are
    # then not stored, the reading never needs them.
    known = _same_file_imported(bank_account.pk, sha256, format or "", mapping) is not None
    with transaction.atomic():
        imp = StatementImport.objects.create(
            bank_account=bank_account,
            unit=bank_account.unit,
            status=ImportStatus.READING,
            file_name=(filename or "sao-ke")[-255:],
            file_size=len(data),
            file_sha256=sha256,
            content=None if known else data,
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
    """Read the kept bytes for the import's account; refuse a file of another bank or account.
    Lines that cannot be read for sure do not refuse the file: see `examine`."""
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
    examine(st, account.account_number)
    return st


def _in_range(value: int | None) -> bool:
    return value is None or abs(value) <= MAX_AMOUNT


def _problem_from_line(line: statements.StatementLine, reason: str) -> statements.ProblemLine:
    amount_ok = _in_range(line.amount)
    raw = " | ".join(
        part
        for part in (
            fmt_date(line.date) + (f" {line.time:%H:%M:%S}" if line.time else ""),
            str(line.amount),
            line.description,
            line.reference,
            "" if line.balance is None else str(line.balance),
        )
        if part
    )
    return statements.ProblemLine(
        origin=line.origin,
        raw=raw,
        reason=reason,
        date=line.date,
        time=line.time,
        amount_read=line.amount if amount_ok else None,
        balance=line.balance if _in_range(line.balance) else None,
        description=line.description,
        reference=line.reference,
        counterparty_name=line.counterparty_name,
        counterparty_account=line.counterparty_account,
    )


def examine(st: statements.Statement, account_number: str) -> None:
    """Keep the file whole whatever its lines: a line an error names (a running balance that
    breaks there, a cell that does not read), an amount beyond what the books hold, or a date
    in the future moves from `st.lines` to `st.problem_lines`, to be corrected by hand.  The file
    is refused only when nothing in it can be read for sure, or when an error names no line
    while no line is kept for correction (something would be lost unseen)."""
    today = timezone.localdate()
    limit = money(MAX_AMOUNT)
    by_row: dict[int, list[str]] = {}
    general = []
    for problem in st.errors:
        if problem.origin is not None:
            by_row.setdefault(problem.origin.row, []).append(problem.message)
        else:
            general.append(problem.message)
    kept_rows = {p.origin.row for p in st.problem_lines}
    good = []
    for line in st.lines:
        reasons = by_row.pop(line.origin.row, [])
        if not _in_range(line.amount) or not _in_range(line.balance):
            reasons.append(
                _("số tiền hoặc số dư vượt quá mức hệ thống xử lý được (tối đa %(m)s)") % {"m": limit}
            )
        if line.date > today:
            reasons.append(_("ngày %(d)s ở tương lai") % {"d": fmt_date(line.date)})
        if reasons:
            st.problem_lines.append(_problem_from_line(line, "; ".join(reasons)))
        else:
            good.append(line)
    st.lines = good
    # Errors naming a row that was neither a line nor a problem line: kept as problem lines too.
    for row, messages in sorted(by_row.items()):
        if row not in kept_rows:
            st.problem_lines.append(
                statements.ProblemLine(origin=statements.Origin(row), raw="", reason="; ".join(messages))
            )
    for p in st.problem_lines:
        for name in ("amount_read", "implied_amount", "balance"):
            if not _in_range(getattr(p, name)):
                setattr(p, name, None)
        if p.date is not None and p.date > today:
            p.date = None
    for name in ("opening_balance", "closing_balance", "printed_credit_total", "printed_debit_total"):
        if not _in_range(getattr(st, name)):
            setattr(st, name, None)
    st.problem_lines.sort(key=lambda p: p.origin.row)
    st.problems = [p for p in st.problems if p.level != statements.ERROR]
    if not st.lines and st.problem_lines:
        raise statements.StatementError(
            _(
                "Không dòng nào của tệp đọc được chắc chắn: cả %(n)s dòng giao dịch đều cần sửa (dòng đầu: "
                "%(first)s). Có thể tệp không theo mẫu đã chọn: hãy chọn mẫu khác hoặc lưu một mẫu cột."
            )
            % {"n": number(len(st.problem_lines)), "first": _problem_text(st.problem_lines[0])}
        )
    if general and not st.problem_lines:
        text = " ".join(general[:MAX_ERRORS_SHOWN])
        if len(general) > MAX_ERRORS_SHOWN:
            text += " " + _("(và %(n)d lỗi khác)") % {"n": len(general) - MAX_ERRORS_SHOWN}
        raise statements.StatementError(_("Tệp có lỗi, không nhập: %(e)s") % {"e": text})
    for message in general:
        st.warn(message)


def _problem_text(p: statements.ProblemLine) -> str:
    return f"{p.origin.label()}: {p.reason}"


def problem_rows(st: statements.Statement, account_number: str) -> list[dict]:
    """The statement's problem lines as the import keeps them (JSON), each with its identity:
    the same row of the same file read again gives the same identity, so it is kept once."""
    seen: Counter = Counter()
    rows = []
    for p in st.problem_lines:
        text = normalize(p.raw) or f"{p.origin.row}:{normalize(p.reason)}"
        seen[text] += 1
        key = "\x1f".join((account_number.upper(), text, str(seen[text])))
        rows.append(
            {
                "identity": "pb:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40],
                "row": p.origin.row,
                "page": p.origin.page,
                "label": p.origin.label(),
                "raw": p.raw[:2000],
                "reason": str(p.reason)[:500],
                "date": p.date.isoformat() if p.date else None,
                "time": p.time.isoformat() if p.time else None,
                "amount_read": p.amount_read,
                "implied_amount": p.implied_amount,
                "best_amount": p.best_amount,
                "balance": p.balance,
                "description": p.description[:1000],
                "reference": p.reference[:100],
                "counterparty_name": p.counterparty_name[:200],
                "counterparty_account": p.counterparty_account[:40],
            }
        )
    return rows


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
    "balance_confirmed",
    "warnings",
    "problem_rows",
    "problem_count",
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
    imp.balance_confirmed = st.balance_confirmed or 0
    imp.warnings = [str(p) for p in st.warnings][:100]
    imp.problem_rows = problem_rows(st, imp.bank_account.account_number)
    imp.problem_count = len(imp.problem_rows)


def existing_identities(bank_account_id: int, identities: list[str]) -> set[str]:
    """Which of `identities` the account already has: one query on PostgreSQL (the identities go
    as one array), batches elsewhere."""
    if not identities:
        return set()
    if connection.vendor == "postgresql":
        array, values = bulk.text_array(identities)
        rows = bulk.fetch_all(
            f"SELECT identity FROM banking_statementline WHERE bank_account_id = %s AND identity = ANY({array})",
            [bank_account_id, values],
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


def identity_owners(bank_account_id: int, identities: list[str]) -> dict[str, int]:
    """identity -> the import that wrote it, for those of `identities` the account already has."""
    if not identities:
        return {}
    if connection.vendor == "postgresql":
        array, values = bulk.text_array(identities)
        rows = bulk.fetch_all(
            "SELECT identity, statement_import_id FROM banking_statementline "
            f"WHERE bank_account_id = %s AND identity = ANY({array})",
            [bank_account_id, values],
        )
        return dict(rows)
    found: dict[str, int] = {}
    for start in range(0, len(identities), 5000):
        found.update(
            StatementLine.objects.filter(
                bank_account_id=bank_account_id, identity__in=identities[start : start + 5000]
            ).values_list("identity", "statement_import_id")
        )
    return found


def _refuse(actor, imp: StatementImport, exc: ValidationError, status=ImportStatus.REFUSED) -> None:
    imp.status = status
    imp.message = " ".join(exc.messages)
    imp.content = imp.parsed = None
    with transaction.atomic():
        # Only what the refusal changes: figures read halfway are not written.
        imp.save(update_fields=["status", "message", "content", "parsed"])
        _record(actor, f"banking.statement.{status}", imp, {"reason": imp.message})


SAMPLE_FOR_OTHER_ACCOUNTS = 500


def imported_elsewhere(bank_account_id: int, sha256: str, lines: list[parsed.Line]) -> str:
    """Why this file belongs to another account ('' when it does not): the same file (SHA-256)
    read or imported into another account, or lines already imported there (identity).

    Lines identified by the bank's reference are looked up as they are; fingerprinted lines
    carry their account number, so they are fingerprinted again for each account that has
    lines in the statement's dates (a sample of them: a statement shares all its lines or none).
    """
    other = (
        StatementImport.objects.filter(
            file_sha256=sha256,
            status__in=[ImportStatus.CHECKED, ImportStatus.IMPORTING, ImportStatus.IMPORTED],
        )
        .exclude(bank_account_id=bank_account_id)
        .select_related("bank_account")
        .defer("content", "parsed", "problem_rows")
        .order_by("-committed_at", "-created_at")
        .first()
    )
    if other is not None:
        return _(
            "Tệp này đã được tải lên tài khoản %(acct)s (%(bank)s) ngày %(d)s: một tệp sao kê chỉ nhập vào "
            "một tài khoản."
        ) % {
            "acct": other.bank_account.account_number,
            "bank": other.bank_account.bank_name,
            "d": fmt_date(timezone.localtime(other.committed_at or other.created_at)),
        }
    if not lines:
        return ""
    refs = [line.identity for line in lines if line.identity.startswith("ref:")][:SAMPLE_FOR_OTHER_ACCOUNTS]
    found = None
    if refs:
        found = (
            StatementLine.objects.filter(identity__in=refs)
            .exclude(bank_account_id=bank_account_id)
            .select_related("bank_account", "statement_import")
            .only("bank_account__account_number", "bank_account__bank_name", "statement_import__committed_at")
            .first()
        )
    if found is None:
        days = [line.date for line in lines]
        accounts = (
            BankAccount.objects.filter(
                statement_lines__booked_on__gte=min(days), statement_lines__booked_on__lte=max(days)
            )
            .exclude(pk=bank_account_id)
            .values_list("pk", "account_number")
            .distinct()[:20]
        )
        sample = _fingerprint_sample(lines)
        for pk, account_number in accounts:
            keys = [
                statements.identity.fingerprint(line, account=account_number, occurrence=n, description_key=k)
                for line, n, k in sample
            ]
            found = (
                StatementLine.objects.filter(bank_account_id=pk, identity__in=keys)
                .select_related("bank_account", "statement_import")
                .first()
            )
            if found is not None:
                break
    if found is None:
        return ""
    return _(
        "Các dòng của tệp này đã được nhập vào tài khoản %(acct)s (%(bank)s) ngày %(d)s: một tệp sao kê chỉ "
        "nhập vào một tài khoản."
    ) % {
        "acct": found.bank_account.account_number,
        "bank": found.bank_account.bank_name,
        "d": fmt_date(timezone.localtime(found.statement_import.committed_at))
        if found.statement_import.committed_at
        else "—",
    }


def _fingerprint_sample(lines: list[parsed.Line]) -> list[tuple]:
    """(line, occurrence, description key) of the first fingerprinted lines, as identity.assign
    counts them (identical lines of a file are numbered in file order)."""
    seen: Counter = Counter()
    sample = []
    for line in lines:
        if line.identity.startswith("ref:"):
            continue
        text = normalize(line.description)
        key = (line.date, line.time, line.amount, text)
        seen[key] += 1
        sample.append((line, seen[key], text))
        if len(sample) >= SAMPLE_FOR_OTHER_ACCOUNTS:
            break
    return sample


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
    if _already_imported_here(job.actor, imp):
        return {"status": imp.status, "lines": imp.line_count, "new": 0}
    try:
        st = read_file(imp)
        _fill(imp, st)
        lines = parsed.from_statement(st)
        del st
        seen = existing_identities(imp.bank_account_id, [line.identity for line in lines])
        new = [line for line in lines if line.identity not in seen]
        periods.refuse_lines_in_locked_period(
            imp.bank_account, [line.date for line in new] + _problem_dates(imp.problem_rows)
        )
        elsewhere = (
            ""
            if imp.other_account_reason
            else imported_elsewhere(imp.bank_account_id, imp.file_sha256, lines)
        )
    except ValidationError as exc:
        _refuse(job.actor, imp, exc)
        return {"status": imp.status, "message": imp.message}
    except Exception as exc:
        logger.exception("statement import %s: reading failed", imp.pk)
        _refuse(
            job.actor,
            imp,
            ValidationError(
                _("Không đọc được tệp (%(e)s). Tệp có thể hỏng hoặc không phải sao kê; không có gì được ghi.")
                % {"e": type(exc).__name__}
            ),
        )
        return {"status": imp.status, "message": imp.message}
    # Only the new lines are kept for the commit: a line already imported stays imported (lines
    # are never deleted), so the commit has nothing to do with it; re-importing a whole file
    # keeps and reads back nothing.
    imp.parsed = parsed.pack(new, imp.file_sha256)
    imp.lines_new, imp.lines_duplicate = len(new), len(lines) - len(new)
    imp.status = ImportStatus.CHECKED
    imp.message = ""
    with transaction.atomic():
        if elsewhere:
            # Kept whole (the file and the lines read) until a finance approver confirms or someone discards.
            imp.status, imp.message = ImportStatus.HELD, elsewhere
            _record(job.actor, "banking.statement.held", imp, {"reason": elsewhere})
        imp.save(update_fields=[*FIGURES, "parsed", "lines_new", "lines_duplicate", "status", "message"])
    return {"status": imp.status, "lines": imp.line_count, "new": imp.lines_new}


def _same_file_imported(
    bank_account_id: int, sha256: str, requested_format: str, mapping, exclude: int | None = None
) -> StatementImport | None:
    """The latest import of this very file (SHA-256), read the same way (format, mapping), imported
    whole into this account; None when there is none."""
    return (
        StatementImport.objects.filter(
            bank_account_id=bank_account_id,
            file_sha256=sha256,
            status=ImportStatus.IMPORTED,
            problem_count=0,
            requested_format=requested_format,
            mapping_id=getattr(mapping, "pk", mapping),
        )
        .exclude(pk=exclude)
        .defer("content", "parsed", "problem_rows")
        .order_by("-committed_at", "-id")
        .first()
    )


def _already_imported_here(actor, imp: StatementImport) -> bool:
    """The very same file (SHA-256), read the same way, already imported whole into this account:
    its lines are all there (lines are never deleted) and nothing needs reading again.  The figures
    are those of that import; the commit then adds nothing.  A file that left problem lines is
    read again (a person may have corrected them since)."""
    same = _same_file_imported(
        imp.bank_account_id, imp.file_sha256, imp.requested_format, imp.mapping_id, exclude=imp.pk
    )
    if same is None:
        return False
    for name in FIGURES:
        if name != "problem_rows":  # none (problem_count=0), and deferred
            setattr(imp, name, getattr(same, name))
    imp.problem_rows, imp.problem_count = [], 0
    imp.warnings = [
        _("Tệp này đã được nhập vào tài khoản này ngày %(d)s: không có dòng mới.")
        % {"d": fmt_date(timezone.localtime(same.committed_at)) if same.committed_at else "—"},
        *same.warnings,
    ][:100]
    imp.parsed = parsed.pack([], imp.file_sha256)
    imp.lines_new, imp.lines_duplicate = 0, same.line_count
    imp.status, imp.message = ImportStatus.CHECKED, ""
    with transaction.atomic():
        imp.save(update_fields=[*FIGURES, "parsed", "lines_new", "lines_duplicate", "status", "message"])
        _record(actor, "banking.statement.read", imp, {"same_file_as": same.pk, "new": 0})
    return True


def _problem_dates(rows: list[dict]) -> list:
    return [dt.date.fromisoformat(row["date"]) for row in rows if row.get("date")]


def statement_confirm_other_account(
    *, actor, statement_import: StatementImport, reason: str
) -> StatementImport:
    """A finance approver confirms that a file already imported into another account belongs in
    this one too (audited with the reason); the import then waits for its commit as usual."""
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        imp = (
            StatementImport.objects.select_for_update()
            .select_related("bank_account", "unit")
            .defer("content", "parsed")
            .get(pk=statement_import.pk)
        )
        access.require(
            actor,
            FUNDS_APPROVE,
            imp.unit,
            message=_(
                "Chỉ người duyệt chi của đơn vị mới xác nhận được việc nhập tệp này vào tài khoản khác."
            ),
        )
        if imp.status != ImportStatus.HELD:
            raise ValidationError(
                _("Lần nhập này không chờ duyệt (%(s)s).") % {"s": imp.get_status_display().lower()}
            )
        if len(reason) < 10:
            raise ValidationError({"reason": _("Hãy ghi rõ lý do (ít nhất 10 ký tự).")})
        held = imp.message
        imp.status = ImportStatus.CHECKED
        imp.other_account_reason = reason[:300]
        imp.other_account_by = actor if getattr(actor, "is_authenticated", False) else None
        imp.message = ""
        imp.save(update_fields=["status", "other_account_reason", "other_account_by", "message"])
        _record(
            actor,
            "banking.statement.other_account_confirmed",
            imp,
            {"reason": imp.other_account_reason, "held": held},
        )
    return _fresh(imp.pk)


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
        if imp.status not in (ImportStatus.CHECKED, ImportStatus.HELD):
            raise ValidationError(
                _("Lần nhập này đã được xử lý (%(s)s).") % {"s": imp.get_status_display().lower()}
            )
        imp.status, imp.content, imp.parsed = ImportStatus.DISCARDED, None, None
        imp.save(update_fields=["status", "content", "parsed"])
        _record(actor, "banking.statement.discarded", imp)
    return imp


def _line_row(
    imp: StatementImport, line: parsed.Line, matcher: matching.Matcher, facts: memo.LineFacts
) -> tuple[LineRow, matching.Target | None]:
    target, reason, not_donation, rule_id = None, "", "", None
    if line.amount > 0:
        target, reason = matcher.decide(
            code=facts.code,
            invalid=facts.invalid_codes,
            valid_count=facts.valid_count,
            search_key=facts.search_key,
        )
        status = LineStatus.QUEUED
        if target is not None and not target.posts:
            status, not_donation, rule_id = LineStatus.EXCLUDED, target.not_donation, target.rule.pk
            target = None
        elif target is not None:
            reason = matching.PENDING  # replaced when the line is written with its donation
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
            description=line.description[:1000],
            reference=line.reference[:100],
            counterparty_name=line.counterparty_name[:200],
            counterparty_account=line.counterparty_account[:40],
            counterparty_bank=(line.counterparty_bank or facts.bank_name)[:100],
            balance=line.balance,
            donor_name=facts.donor,
            code=facts.code,
            invalid_codes=facts.invalid_codes[:60],
            search_key=facts.search_key,
            status=status,
            reason=reason[:300],
            not_donation=not_donation,
            rule_id=rule_id,
            donation_id=None,
            decided_by_id=None,
            decided_at=None,
        ),
        target,
    )


def write_lines(actor, imp: StatementImport, lines: list[parsed.Line], progress=None) -> dict:
    """Write the statement's new lines with the donations they post, in committed chunks.

    Each chunk is one transaction: its credits that carry a valid code (or that a remembered
    rule assigns) are posted first (fund services), then its lines are written as they end, the
    posted ones already POSTED with their donation.  So a line is POSTED exactly when its
    donation exists, and no line is written twice (written "queued", then updated: that UPDATE
    of every posted line cost as much as writing the lines).  A chunk that fails leaves nothing
    of itself.  The import becomes IMPORTED once every chunk is written; until then a run that
    stopped (a killed worker, an error) is taken up again by the job: the lines this import
    already wrote are skipped, the rest written and posted.  Returns the counts posted and refused.
    """
    with transaction.atomic():
        account = BankAccount.objects.select_for_update().select_related("unit").get(pk=imp.bank_account_id)
        imp.bank_account = account
        owners = identity_owners(account.pk, [line.identity for line in lines])
        # Lines this import wrote before it stopped are its own: new, not duplicates, and done.
        new = [line for line in lines if owners.get(line.identity, imp.pk) == imp.pk]
        todo = [line for line in new if line.identity not in owners]
        problems = _new_problems(account, imp.problem_rows)
        periods.refuse_lines_in_locked_period(
            account, [line.date for line in todo] + _problem_dates(problems)
        )
    if progress is not None:
        progress.advance(len(lines) - len(todo))  # duplicates, and lines written by an earlier run
    matcher = matching.Matcher(account)
    if progress is not None:
        progress.stage(
            _("Ghi các dòng sao kê và ghi sổ các khoản ủng hộ có mã tham chiếu hoặc theo quy tắc"),
            total=len(todo),
        )
    size = max(1, matching.CHUNK)
    parts = [todo[start : start + size] for start in range(0, len(todo), size)] or ([[]] if problems else [])
    posted, refused = 0, 0
    # Chunk after chunk: its memos read, the campaigns and pledges its codes name looked up once
    # each, its lines decided (no query then: a code not prefetched is a bug, reported as such),
    # then written with their donations.  The memos of the next chunks are read by a child
    # process meanwhile (core.ahead: a second thread measured no faster, the GIL letting little
    # of that work overlap this one's).
    with closing(ahead.mapped(memo.line_facts, [_memo_input(part) for part in parts])) as memos:
        for index, (part, facts) in enumerate(zip(parts, memos, strict=True)):
            matcher.prefetch({f.code for f in facts if f.code})
            with matcher.without_queries():
                planned = [_line_row(imp, line, matcher, f) for line, f in zip(part, facts, strict=True)]
            del facts
            done, failed = write_chunk(actor, imp, account, planned, problems if index == 0 else [])
            posted, refused = posted + done, refused + failed
            if progress is not None:
                progress.advance(len(part))
    with transaction.atomic():
        # Counted as written: a concurrent import into the account may have taken a few lines.
        imp.lines_new = StatementLine.objects.filter(statement_import=imp).count()
        imp.lines_duplicate = imp.line_count - imp.lines_new
        imp.status, imp.message = ImportStatus.IMPORTED, ""  # a retried import forgets its interruption
        imp.committed_at = timezone.now()
        imp.save(
            update_fields=[*FIGURES, "lines_new", "lines_duplicate", "status", "message", "committed_at"]
        )
        _record(
            actor,
            "banking.statement.imported",
            imp,
            {
                "lines": imp.line_count,
                "new": imp.lines_new,
                "duplicates": imp.lines_duplicate,
                "problem_lines": len(problems),
            },
        )
    return {"posted": posted, "refused": refused}


def _memo_input(lines: list[parsed.Line]) -> list[tuple[str, str]]:
    return [(line.description, line.counterparty_name) for line in lines]


def write_chunk(
    actor,
    imp: StatementImport,
    account: BankAccount,
    part: list[tuple[tuple, matching.Target | None]],
    problems: list[dict],
) -> tuple[int, int]:
    """One committed chunk of `write_lines`: post the credits that have a target, then write every
    line of the chunk as it ends (POSTED with its donation, or queued with the reason the fund
    services gave).  Returns (posted, refused)."""
    with transaction.atomic():
        # The account's lock orders this chunk with other imports into the account and with a
        # period being locked (periods.period_lock): the checks below hold until the commit.
        BankAccount.objects.select_for_update().filter(pk=account.pk).values_list("pk", flat=True).get()
        taken = set(identity_owners(account.pk, [row.identity for row, _target in part]))
        if taken:  # written meanwhile by another import of an overlapping statement
            part = [(row, target) for row, target in part if row.identity not in taken]
        periods.refuse_lines_in_locked_period(
            account, [row.booked_on for row, _target in part] + _problem_dates(problems)
        )
        items = [(row, target) for row, target in part if target is not None]
        failures: list = []
        ids = iter(matching.post_items(actor, account, items, failures))
        reasons = {row.identity: message for row, message in failures}
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        now = timezone.now()
        rows, rules = [], Counter()
        for row, target in part:
            if target is not None:
                donation_id = next(ids)
                if donation_id is None:
                    row = row._replace(reason=reasons[row.identity][:300])
                else:
                    rule_id = target.rule.pk if target.rule is not None else None
                    row = row._replace(
                        status=LineStatus.POSTED,
                        reason="",
                        donation_id=donation_id,
                        rule_id=rule_id,
                        decided_by_id=actor_id,
                        decided_at=now,
                    )
                    if rule_id is not None:
                        rules[rule_id] += 1
            rows.append(row)
        bulk.insert_returning_ids(LineRow, rows)
        for rule_id, n in sorted(rules.items()):
            AssignmentRule.objects.filter(pk=rule_id).update(times_applied=F("times_applied") + n)
        if problems:
            _write_problems(imp, problems)
    return len(items) - len(failures), len(failures)


def _new_problems(account: BankAccount, rows: list[dict]) -> list[dict]:
    """The problem rows the account does not keep yet (a re-uploaded file keeps each once)."""
    if not rows:
        return []
    have = set(
        StatementProblemLine.objects.filter(
            bank_account=account, identity__in=[row["identity"] for row in rows]
        ).values_list("identity", flat=True)
    )
    return [row for row in rows if row["identity"] not in have]


def _write_problems(imp: StatementImport, rows: list[dict]) -> None:
    StatementProblemLine.objects.bulk_create(
        [
            StatementProblemLine(
                bank_account_id=imp.bank_account_id,
                statement_import=imp,
                identity=row["identity"],
                row=row["row"],
                page=row.get("page"),
                raw=row["raw"],
                reason=row["reason"],
                booked_on=dt.date.fromisoformat(row["date"]) if row.get("date") else None,
                booked_time=dt.time.fromisoformat(row["time"]) if row.get("time") else None,
                amount_read=row.get("amount_read"),
                implied_amount=row.get("implied_amount"),
                balance=row.get("balance"),
                description=row.get("description", ""),
                reference=row.get("reference", ""),
                counterparty_name=row.get("counterparty_name", ""),
                counterparty_account=row.get("counterparty_account", ""),
            )
            for row in rows
        ],
        batch_size=1000,
    )


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
        imp.parsed = None  # the lines are in memory now; not saved back (kept in the row, to resume)
        progress.stage(_("Tìm các dòng đã nhập trước đây"), total=len(lines))
        outcome = write_lines(actor, imp, lines, progress)
    except ValidationError as exc:
        imp.refresh_from_db(fields=["status"])
        if _written(imp):
            # Chunks are written: the file is kept, so that retrying imports the rest.
            _interrupted(actor, imp, exc, reason=" ".join(exc.messages))
        else:
            _refuse(actor, imp, exc, status=ImportStatus.FAILED)
        raise
    except Exception as exc:
        # The chunk being written rolled back: nothing of it is written (nothing of the file when
        # it was the first).  The import says so instead of staying "importing", and keeps its
        # file so that retrying the job (its page offers it) imports the rest exactly once; the
        # job records the technical cause.
        _interrupted(actor, imp, exc)
        raise
    del lines
    account = imp.bank_account
    # The debits of this import still waiting (also those an interrupted run wrote).
    debit_lines = list(
        StatementLine.objects.filter(statement_import=imp, status=LineStatus.QUEUED, amount__lt=0).order_by(
            "booked_on", "id"
        )
    )
    progress.stage(_("Khớp các dòng tiền ra với khoản chi đã duyệt"), total=len(debit_lines))
    matched = matching.match_debits(actor=actor, bank_account=account, lines=debit_lines, progress=progress)
    imp.content = imp.parsed = None
    imp.save(update_fields=["content", "parsed"])
    refresh_counts(imp)
    return {
        "new": imp.lines_new,
        "duplicates": imp.lines_duplicate,
        "posted": outcome["posted"],
        "refused": outcome["refused"],
        "queued": imp.queued_count,
        "matched": matched,
        "excluded": imp.excluded_count,
    }


def _written(imp: StatementImport) -> int:
    """How many lines of the import are written (the committed chunks of an interrupted run)."""
    return StatementLine.objects.filter(statement_import_id=imp.pk).count()


def _interrupted(actor, imp: StatementImport, exc: Exception, reason: str = "") -> None:
    imp.status = ImportStatus.FAILED
    written = _written(imp)
    if not written:
        imp.message = _(
            'Việc nhập bị gián đoạn do lỗi hệ thống; không dòng nào của tệp được ghi. Bấm "Thử lại" '
            "để nhập lại cả tệp; nếu lỗi lặp lại, hãy báo cho quản trị hệ thống."
        )
    else:
        imp.message = _(
            "Việc nhập bị gián đoạn sau khi đã ghi %(n)s dòng, mỗi dòng cùng khoản ủng hộ của nó. "
            'Bấm "Thử lại" để nhập tiếp các dòng còn lại (không dòng nào được ghi hai lần); nếu lỗi '
            "lặp lại, hãy báo cho quản trị hệ thống."
        ) % {"n": number(written)}
        if reason:
            imp.message = f"{reason} {imp.message}"
    with transaction.atomic():
        imp.save(update_fields=["status", "message"])
        _record(actor, "banking.statement.failed", imp, {"reason": imp.message, "error": type(exc).__name__})


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
