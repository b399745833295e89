"""Reads of the banking app that depend on who asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from nhandao.campaigns.models import Campaign, CampaignStatus
from nhandao.core.access import BANKING_RECONCILE, BANKING_VIEW, FUNDS_VIEW, roles_with
from nhandao.core.collation import vi
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money
from nhandao.core.text import normalize
from nhandao.funds import selectors as fund_selectors
from nhandao.funds.models import BankAccount, DisbursementStatus, Entry, Pledge, PledgeStatus, RecordStatus
from nhandao.org import access
from nhandao.org.models import PATH_SEGMENT, RoleAssignment

from .models import (
    AssignmentRule,
    ImportStatus,
    LineStatus,
    ProblemStatus,
    QRReference,
    ReconciledPeriod,
    StatementColumnMapping,
    StatementImport,
    StatementLine,
    StatementProblemLine,
)
from .privacy import mask_account


def column_mappings(user, perm: str = BANKING_VIEW) -> QuerySet[StatementColumnMapping]:
    qs = StatementColumnMapping.objects.select_related("unit")
    return access.scope(user, perm).filter(qs, field="unit").order_by("unit__path", vi("name"))


def column_mappings_usable(user, perm: str) -> QuerySet[StatementColumnMapping]:
    """Mappings a user may read a statement with: those of the units in scope and of their ancestors
    (a mapping saved by the city serves every commune)."""
    s = access.scope(user, perm)
    qs = StatementColumnMapping.objects.select_related("unit").order_by(vi("name"))
    if s.everything:
        return qs
    ancestors = {root[:end] for root in s.paths for end in range(PATH_SEGMENT, len(root) + 1, PATH_SEGMENT)}
    return qs.filter(Q(unit__path__in=ancestors) | s.q("unit__path"))


def column_mapping_get(user, pk, perm: str = BANKING_VIEW) -> StatementColumnMapping:
    """Only a mapping of the user's own units is opened (those of units above are listed, not edited)."""
    return access.get_in_scope(user, perm, StatementColumnMapping.objects.select_related("unit"), pk)


# Statements, lines, rules, reconciliation -------------------------------------------------
def queue_counts(accounts: list[BankAccount]) -> dict[int, int]:
    rows = (
        StatementLine.objects.filter(bank_account__in=accounts, status=LineStatus.QUEUED)
        .values("bank_account_id")
        .annotate(n=Count("id"))
    )
    return {r["bank_account_id"]: r["n"] for r in rows}


def imports_of(bank_account: BankAccount) -> QuerySet[StatementImport]:
    return (
        StatementImport.objects.filter(bank_account=bank_account)
        .select_related("job", "created_by")
        .defer("content", "parsed")
        .order_by("-created_at", "-id")
    )


def import_get(user, pk, perm: str = BANKING_VIEW) -> StatementImport:
    qs = StatementImport.objects.select_related("bank_account__unit", "unit", "job", "mapping").defer(
        "content", "parsed"
    )
    return access.get_in_scope(user, perm, qs, pk)


LINE_RELATED = ("donation__campaign", "donation__fund", "disbursement", "rule")


def lines_of_import(imp: StatementImport, status: str = "") -> QuerySet[StatementLine]:
    qs = StatementLine.objects.filter(statement_import=imp).select_related(*LINE_RELATED)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("row", "id")


@dataclass
class LineFilter:
    query: str = ""
    status: str = LineStatus.QUEUED
    direction: str = ""  # "credit" / "debit" / ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def lines(bank_account: BankAccount, f: LineFilter | None = None) -> QuerySet[StatementLine]:
    """Lines of an account (the caller got the account through a scoped selector)."""
    f = f or LineFilter()
    qs = StatementLine.objects.filter(bank_account=bank_account)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.direction == "credit":
        qs = qs.filter(amount__gt=0)
    elif f.direction == "debit":
        qs = qs.filter(amount__lt=0)
    if f.date_from:
        qs = qs.filter(booked_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(booked_on__lte=f.date_to)
    key = normalize(f.query)[:200]
    if key:
        qs = qs.filter(search_key__contains=key)
    return qs.select_related(*LINE_RELATED).order_by("booked_on", "booked_time", "id")


def queue_reasons(qs: QuerySet[StatementLine], limit: int = 20) -> list[dict]:
    """Why the queued lines of a list wait: one row per reason with its count and total (the
    queue page shows each reason once instead of under every line)."""
    return list(
        qs.filter(status=LineStatus.QUEUED)
        .order_by()
        .values("reason")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("-count", "reason")[:limit]
    )


def line_get(user, pk, perm: str = BANKING_VIEW) -> StatementLine:
    qs = StatementLine.objects.select_related(
        "bank_account__unit",
        "statement_import",
        "donation__campaign",
        "donation__fund",
        "disbursement",
        "rule",
    )
    return access.get_in_scope(user, perm, qs, pk, field="bank_account__unit")


def reference_get(user, reference: str) -> QRReference:
    """A transfer reference printed on a QR code, if its account lies in the user's fund scope."""
    qs = QRReference.objects.select_related("bank_account__unit", "campaign", "pledge")
    return access.get_in_scope(
        user, FUNDS_VIEW, qs, (reference or "")[:12].upper(), field="bank_account__unit", by="reference"
    )


def rules_of(bank_account: BankAccount) -> QuerySet[AssignmentRule]:
    return (
        AssignmentRule.objects.filter(bank_account=bank_account)
        .select_related("campaign", "pledge", "created_by")
        .order_by("-is_active", "-created_at", "-id")
    )


def rule_get(user, pk, perm: str = BANKING_VIEW) -> AssignmentRule:
    qs = AssignmentRule.objects.select_related("bank_account", "unit", "campaign", "pledge")
    return access.get_in_scope(user, perm, qs, pk)


def campaigns_for(user, bank_account: BankAccount):
    """Open campaigns money arriving in this account may go to (the account's unit collects for them)."""
    path = bank_account.unit.path
    ancestors = [path[:end] for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]
    return Campaign.objects.filter(status=CampaignStatus.OPEN, unit__path__in=ancestors).order_by(vi("name"))


def closed_campaigns_for(bank_account: BankAccount):
    """Campaigns of the account's unit (or above) that have closed: a late transfer may still be
    booked to one of them, with a reason (services/late.py)."""
    path = bank_account.unit.path
    ancestors = [path[:end] for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]
    return Campaign.objects.filter(status=CampaignStatus.CLOSED, unit__path__in=ancestors).order_by(
        "-closed_at", vi("name")
    )


def pledges_for(bank_account: BankAccount):
    return (
        Pledge.objects.filter(fund__unit=bank_account.unit, status=PledgeStatus.OPEN)
        .select_related("campaign")
        .order_by("-pledged_on", "-id")
    )


def disbursement_candidates(line: StatementLine):
    return fund_selectors.disbursements_for_bank_match(
        line.bank_account, amount=-line.amount, date_to=line.booked_on
    )[:20]


def periods_of(bank_account: BankAccount) -> QuerySet[ReconciledPeriod]:
    return (
        ReconciledPeriod.objects.filter(bank_account=bank_account)
        .select_related("locked_by")
        .order_by("-date_to")
    )


# Reconciliation ---------------------------------------------------------------------------
_NOT_IN_BOOKS = (
    Q(status__in=[LineStatus.QUEUED, LineStatus.EXCLUDED])
    | Q(donation__status=RecordStatus.REVERSED)
    | Q(disbursement__status=DisbursementStatus.REVERSED)
)


@dataclass
class Reconciliation:
    """A bank account at the end of a period: the statement's balance against the books', and why
    they differ, item by item.

    statement balance (end of day D) = base + sum of the imported lines up to D, where base is
    the balance before the first imported line (from the first printed running balance, else
    the first statement's printed opening balance, else 0);
    books (end of D) = sum of the ledger's entries on the account up to D.
    Their difference is explained by: base (money there before the books began), statement
    lines not in the books (waiting, "not a donation", or whose posting was reversed), and
    entries in the books without a statement line (gifts by transfer recorded by hand,
    payments not yet seen on a statement).  `unexplained` is what remains: 0 when reconciled.
    """

    bank_account: BankAccount
    date_from: dt.date
    date_to: dt.date
    base: int
    base_source: str
    statement_opening: int
    statement_closing: int
    ledger_opening: int
    ledger_closing: int
    lines_before: int  # sum of statement lines not in the books, dated before the period
    entries_before: int  # sum of entries without a line, dated before the period
    lines_in_period: int
    entries_in_period: int
    unmatched_lines: QuerySet = field(repr=False)
    unmatched_entries: QuerySet = field(repr=False)
    warnings: list[str] = field(default_factory=list)
    # Problem lines still to correct (their best amount): part of the statement, not yet lines.
    problems_before: int = 0
    problems_in_period: int = 0
    problem_count: int = 0
    locked: ReconciledPeriod | None = None

    @property
    def difference(self) -> int:
        return self.statement_closing - self.ledger_closing

    @property
    def explained(self) -> int:
        return (
            self.base
            + self.lines_before
            + self.lines_in_period
            + self.problems_before
            + self.problems_in_period
            - self.entries_before
            - self.entries_in_period
        )

    @property
    def unexplained(self) -> int:
        return self.difference - self.explained

    @property
    def reconciled(self) -> bool:
        return self.unexplained == 0

    def summary(self) -> dict:
        return {
            "statement_closing": self.statement_closing,
            "ledger_closing": self.ledger_closing,
            "base": self.base,
            "lines_not_in_books": self.lines_before + self.lines_in_period,
            "entries_without_line": self.entries_before + self.entries_in_period,
            "problem_lines": self.problems_before + self.problems_in_period,
            "unexplained": self.unexplained,
        }


def _base(bank_account: BankAccount) -> tuple[int, str]:
    anchor = (
        StatementLine.objects.filter(bank_account=bank_account, balance__isnull=False)
        .order_by("booked_on", "booked_time", "id")
        .first()
    )
    if anchor is not None:
        before = (
            StatementLine.objects.filter(bank_account=bank_account)
            .filter(Q(booked_on__lt=anchor.booked_on) | Q(booked_on=anchor.booked_on, id__lte=anchor.pk))
            .aggregate(s=Sum("amount"))["s"]
            or 0
        )
        # Problem lines to correct before the anchor are in its printed balance too.
        before += (
            StatementProblemLine.objects.filter(bank_account=bank_account, status=ProblemStatus.OPEN)
            .filter(
                Q(booked_on__lt=anchor.booked_on)
                | Q(
                    booked_on=anchor.booked_on,
                    statement_import_id=anchor.statement_import_id,
                    row__lt=anchor.row,
                )
            )
            .aggregate(s=Sum(Coalesce("implied_amount", "amount_read", Value(0))))["s"]
            or 0
        )
        return anchor.balance - before, _("số dư in sau dòng ngày %(d)s") % {"d": fmt_date(anchor.booked_on)}
    first = (
        StatementImport.objects.filter(
            bank_account=bank_account, status=ImportStatus.IMPORTED, opening_balance__isnull=False
        )
        .order_by("date_from", "id")
        .first()
    )
    if first is not None:
        before = (
            StatementLine.objects.filter(bank_account=bank_account, booked_on__lt=first.date_from).aggregate(
                s=Sum("amount")
            )["s"]
            or 0
        )
        return first.opening_balance - before, _("số dư đầu kỳ in trên sao kê từ ngày %(d)s") % {
            "d": fmt_date(first.date_from)
        }
    return 0, _("sao kê không in số dư: tính từ 0 trước dòng đầu tiên đã nhập")


def _entries_without_line(bank_account: BankAccount):
    linked_donations = StatementLine.objects.filter(bank_account=bank_account, donation__isnull=False).values(
        "donation_id"
    )
    linked_disbursements = StatementLine.objects.filter(
        bank_account=bank_account, disbursement__isnull=False
    ).values("disbursement_id")
    return (
        Entry.objects.filter(account__bank_account=bank_account)
        .exclude(posting__donation_id__in=linked_donations)
        .exclude(posting__disbursement_id__in=linked_disbursements)
    )


def _sum(qs, field_name: str) -> int:
    return qs.aggregate(s=Sum(field_name))["s"] or 0


def open_problems_in(bank_account: BankAccount, date_from: dt.date, date_to: dt.date) -> QuerySet:
    """Problem lines still to correct (services/problems.py) that may fall in the period: those
    dated in it, and the undated ones of statements covering it."""
    return StatementProblemLine.objects.filter(bank_account=bank_account, status=ProblemStatus.OPEN).filter(
        Q(booked_on__gte=date_from, booked_on__lte=date_to)
        | Q(
            booked_on__isnull=True,
            statement_import__date_from__lte=date_to,
            statement_import__date_to__gte=date_from,
        )
    )


def problems_of_import(imp: StatementImport) -> QuerySet:
    return (
        StatementProblemLine.objects.filter(statement_import=imp).select_related("line").order_by("row", "id")
    )


def problem_get(user, pk) -> StatementProblemLine:
    return access.get_in_scope(
        user,
        BANKING_VIEW,
        StatementProblemLine.objects.select_related("bank_account__unit", "statement_import", "line"),
        pk,
        field="bank_account__unit",
    )


def reconciliation(bank_account: BankAccount, date_from: dt.date, date_to: dt.date) -> Reconciliation:
    base, source = _base(bank_account)
    all_lines = StatementLine.objects.filter(bank_account=bank_account)
    statement_opening = base + _sum(all_lines.filter(booked_on__lt=date_from), "amount")
    statement_closing = base + _sum(all_lines.filter(booked_on__lte=date_to), "amount")
    ledger_opening = fund_selectors.bank_account_balance(bank_account, on=date_from - dt.timedelta(days=1))
    ledger_closing = fund_selectors.bank_account_balance(bank_account, on=date_to)
    not_in_books = all_lines.filter(_NOT_IN_BOOKS)
    entries = _entries_without_line(bank_account)
    unmatched_lines = (
        not_in_books.filter(booked_on__gte=date_from, booked_on__lte=date_to)
        .select_related(*LINE_RELATED)
        .order_by("booked_on", "booked_time", "id")
    )
    unmatched_entries = (
        entries.filter(value_date__gte=date_from, value_date__lte=date_to)
        .select_related("posting", "fund")
        .order_by("value_date", "number")
    )
    # Problem lines to correct count with their best amount (the balance's, else the one read):
    # the statement holds them, so the statement total stays explained until they are corrected.
    best = Coalesce("implied_amount", "amount_read", Value(0))
    problems = StatementProblemLine.objects.filter(bank_account=bank_account, status=ProblemStatus.OPEN)
    problems_before = _sum(problems.filter(booked_on__lt=date_from).annotate(best=best), "best")
    in_period = open_problems_in(bank_account, date_from, date_to).annotate(best=best)
    problems_in_period = _sum(in_period, "best")
    statement_opening += problems_before
    statement_closing += problems_before + problems_in_period
    rec = Reconciliation(
        problems_before=problems_before,
        problems_in_period=problems_in_period,
        problem_count=in_period.count(),
        bank_account=bank_account,
        date_from=date_from,
        date_to=date_to,
        base=base,
        base_source=source,
        statement_opening=statement_opening,
        statement_closing=statement_closing,
        ledger_opening=ledger_opening,
        ledger_closing=ledger_closing,
        lines_before=_sum(not_in_books.filter(booked_on__lt=date_from), "amount"),
        entries_before=_sum(entries.filter(value_date__lt=date_from), "amount"),
        lines_in_period=_sum(unmatched_lines, "amount"),
        entries_in_period=_sum(unmatched_entries, "amount"),
        unmatched_lines=unmatched_lines,
        unmatched_entries=unmatched_entries,
        locked=ReconciledPeriod.objects.filter(
            bank_account=bank_account, date_from=date_from, date_to=date_to
        )
        .select_related("locked_by")
        .first(),
    )
    # Statements that print a closing balance must agree with the lines imported so far.
    for imp in StatementImport.objects.filter(
        bank_account=bank_account,
        status=ImportStatus.IMPORTED,
        closing_balance__isnull=False,
        date_to__lte=date_to,
        date_to__gte=date_from,
    ).order_by("date_to")[:20]:
        computed = base + _sum(all_lines.filter(booked_on__lte=imp.date_to), "amount")
        if computed != imp.closing_balance:
            rec.warnings.append(
                _(
                    "Sao kê “%(f)s” in số dư cuối ngày %(d)s là %(p)s, nhưng các dòng đã nhập cho %(c)s: "
                    "có thể thiếu sao kê của một khoảng ngày."
                )
                % {
                    "f": imp.file_name,
                    "d": fmt_date(imp.date_to),
                    "p": money(imp.closing_balance),
                    "c": money(computed),
                }
            )
    return rec


# Public (the transparency portal) ----------------------------------------------------------
def public_statement_lines(campaign, *, query: str = "") -> list[dict]:
    """Transfers posted to a campaign as the public may see them: the sender's account masked
    (never in full), the name as the donor chose to appear."""
    qs = StatementLine.objects.filter(
        donation__campaign=campaign, donation__status=RecordStatus.POSTED, status=LineStatus.POSTED
    )
    key = normalize(query)[:200]
    if key:
        qs = qs.filter(search_key__contains=key)
    rows = qs.order_by("-booked_on", "-id").values(
        "booked_on", "amount", "donation__public_name", "counterparty_account"
    )
    return [
        {
            "booked_on": r["booked_on"],
            "amount": r["amount"],
            "name": r["donation__public_name"],
            "account": mask_account(r["counterparty_account"]),
        }
        for r in rows[:1000]
    ]


def last_statement_period(bank_account: BankAccount) -> tuple[dt.date, dt.date] | None:
    """The period of the last statement imported for the account (the reconciliation page opens on it)."""
    found = (
        StatementImport.objects.filter(
            bank_account=bank_account,
            status=ImportStatus.IMPORTED,
            date_from__isnull=False,
            date_to__isnull=False,
        )
        .order_by("-date_to", "-id")
        .values_list("date_from", "date_to")
        .first()
    )
    return tuple(found) if found else None


def who_may_lock(bank_account: BankAccount) -> list[str]:
    """The people who may lock the account's periods: holders of a role with BANKING_RECONCILE on
    the account's unit or above it (names only; the page is shown to the unit's own staff)."""

    unit = bank_account.unit
    rows = (
        RoleAssignment.objects.active()
        .filter(role__in=roles_with(BANKING_RECONCILE), unit_id__in=[*unit.ancestor_ids(), unit.pk])
        .select_related("user", "unit")
        .order_by("-unit__depth", "role", "user__full_name")[:6]
    )
    return [f"{r.user.get_full_name()} ({r.get_role_display().lower()}, {r.unit.name})" for r in rows]
