"""What a statement line is, and posting it through the fund services.

A credit line is posted automatically only when its memo holds exactly one
valid reference code (no mistyped one beside it) naming a campaign that the
account's unit collects for, or an open pledge of that unit; otherwise a
remembered rule of the account ("memo contains 'ung ho bao yagi' → Typhoon
Yagi appeal") may decide; otherwise it waits in the queue with the reason.  A
code with a wrong check character is never matched to anything: the line is
queued for a person.

Postings go through `funds.services.donations_record_batch` in chunks, each
chunk with the lines it posts in one transaction, so a line is POSTED exactly
when its donation exists.  A chunk the fund services refuse is split in halves
until the refused lines are found; those stay queued with the fund's message.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money
from nhandao.funds import public as fund_public
from nhandao.funds import selectors as fund_selectors
from nhandao.funds import services as fund_services
from nhandao.funds.models import BankAccount, Channel, Pledge, PledgeStatus

from .. import memo
from ..models import AssignmentRule, LineStatus, RuleTarget, StatementLine
from . import periods

CHUNK = 10_000
PENDING = "Chờ ghi sổ tự động"  # queued lines the running import is about to post


@dataclass
class Target:
    kind: str  # RuleTarget
    campaign: object = None
    pledge: Pledge | None = None
    not_donation: str = ""
    rule: AssignmentRule | None = None
    late_reason: str = ""  # a closed campaign takes a late transfer with a reason (services/late.py)

    @property
    def posts(self) -> bool:
        return self.kind != RuleTarget.NOT_DONATION


def target_problem(target: Target, bank_account: BankAccount) -> str:
    """Why money arriving in `bank_account` cannot go to `target` ('' when it can)."""
    unit = bank_account.unit
    if target.kind == RuleTarget.CAMPAIGN:
        c = target.campaign
        if c is None:
            return _("Hãy chọn cuộc vận động.")
        if not c.accepts_from(unit):
            return _("Cuộc vận động “%(c)s” (%(code)s) không nhận ủng hộ qua tài khoản của “%(unit)s”.") % {
                "c": c.name,
                "code": c.code,
                "unit": unit.name,
            }
        if c.status != "open" and not (c.status == "closed" and target.late_reason):
            return _("Cuộc vận động “%(c)s” (%(code)s) không trong thời gian tiếp nhận (%(s)s).") % {
                "c": c.name,
                "code": c.code,
                "s": c.get_status_display().lower(),
            }
    elif target.kind == RuleTarget.PLEDGE:
        p = target.pledge
        if p is None:
            return _("Hãy chọn cam kết ủng hộ.")
        if p.fund.unit_id != unit.pk:
            return _("Cam kết %(code)s thuộc quỹ của đơn vị khác, không nhận qua tài khoản này.") % {
                "code": p.code
            }
        if p.status != PledgeStatus.OPEN:
            return _("Cam kết %(code)s không còn phần chưa thực hiện (%(s)s).") % {
                "code": p.code,
                "s": p.get_status_display().lower(),
            }
    elif target.kind == RuleTarget.NOT_DONATION:
        if not target.not_donation:
            return _("Hãy chọn loại giao dịch.")
    elif target.kind != RuleTarget.GENERAL:
        return _("Hãy chọn nơi ghi các dòng này.")
    return ""


class Matcher:
    """Decides the target of the credit lines of one bank account (codes, then remembered rules)."""

    def __init__(self, bank_account: BankAccount):
        self.account = bank_account
        rules = AssignmentRule.objects.filter(bank_account=bank_account, is_active=True).select_related(
            "campaign__unit", "pledge__fund"
        )
        # The most specific words first; among equals, the oldest rule.
        self.rules = sorted(rules, key=lambda r: (-len(r.query_key), r.pk))
        self._refs: dict[str, object] = {}
        self._queries_allowed = True

    def prefetch(self, codes) -> None:
        """Look up the targets of these codes now (decide() then needs no query for them)."""
        for code in sorted(codes):
            self.resolve(code)

    @contextmanager
    def without_queries(self):
        """While rows are streamed to the database (a COPY), no other query may run on the
        connection: a code not prefetched is then a programming error, reported as such."""
        self._queries_allowed = False
        try:
            yield
        finally:
            self._queries_allowed = True

    def resolve(self, code: str):
        if code not in self._refs:
            if not self._queries_allowed:
                raise RuntimeError(f"reference code {code!r} was not prefetched")
            obj = fund_public.resolve_reference(code)
            if isinstance(obj, Pledge):
                obj = Pledge.objects.select_related("fund", "campaign").get(pk=obj.pk)
            elif obj is not None:
                obj = type(obj).objects.select_related("unit").get(pk=obj.pk)
            self._refs[code] = obj
        return self._refs[code]

    def decide(
        self, *, code: str, invalid: str, valid_count: int, search_key: str
    ) -> tuple[Target | None, str]:
        if invalid:
            return None, _(
                "Mã tham chiếu %(codes)s sai ký tự kiểm tra (gõ nhầm?): không ghi tự động, cần người kiểm tra."
            ) % {"codes": invalid}
        if valid_count > 1:
            return None, _("Nội dung có nhiều mã tham chiếu khác nhau: cần người chọn.")
        if code:
            obj = self.resolve(code)
            if obj is None:
                return None, _("Mã %(code)s không phải của cuộc vận động hay cam kết nào.") % {"code": code}
            target = (
                Target(RuleTarget.PLEDGE, pledge=obj)
                if isinstance(obj, Pledge)
                else Target(RuleTarget.CAMPAIGN, campaign=obj)
            )
            problem = target_problem(target, self.account)
            return (None, problem) if problem else (target, "")
        for rule in self.rules:
            if rule.query_key in search_key:
                target = Target(
                    rule.target,
                    campaign=rule.campaign,
                    pledge=rule.pledge,
                    not_donation=rule.not_donation,
                    rule=rule,
                )
                problem = target_problem(target, self.account)
                if problem:
                    return None, _("Quy tắc “%(q)s”: %(p)s") % {"q": rule.query, "p": problem}
                return target, ""
        return None, _("Không có mã tham chiếu trong nội dung chuyển khoản.")

    def decide_line(self, line: StatementLine) -> tuple[Target | None, str]:
        info = memo.analyse(line.description)
        return self.decide(
            code=info.code or "",
            invalid=", ".join(info.invalid_codes),
            valid_count=len(info.valid_codes),
            search_key=line.search_key,
        )


class PostingLine(NamedTuple):
    """What posting needs of a statement line just written (a StatementLine serves as well)."""

    pk: int
    amount: int
    booked_on: dt.date
    identity: str
    counterparty_name: str
    counterparty_account: str
    description: str
    donor_name: str


def donation_input(line: StatementLine | PostingLine, target: Target, bank_account: BankAccount):
    return fund_services.DonationInput(
        channel=Channel.BANK,
        amount=line.amount,
        received_on=line.booked_on,
        bank_account=bank_account,
        unit=None if target.kind == RuleTarget.PLEDGE else bank_account.unit,
        campaign=target.campaign if target.kind == RuleTarget.CAMPAIGN else None,
        pledge=target.pledge if target.kind == RuleTarget.PLEDGE else None,
        external_ref=line.identity,
        counterparty_name=line.counterparty_name,
        counterparty_account=line.counterparty_account,
        memo=line.description[:500],
        donor_name=line.donor_name,
        late_reason=target.late_reason,
    )


def _mark_posted(pairs: list[tuple[int, int, int | None]], actor_id: int | None, now: dt.datetime) -> None:
    """(line id, donation id, rule id): status POSTED.  One UPDATE on PostgreSQL (three arrays)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE banking_statementline AS l SET status = %s, reason = '', donation_id = v.d, "
                "rule_id = v.r, decided_by_id = %s, decided_at = %s "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS v(id, d, r) WHERE l.id = v.id",
                [
                    LineStatus.POSTED,
                    actor_id,
                    now,
                    [pk for pk, _d, _r in pairs],
                    [d for _pk, d, _r in pairs],
                    [r for _pk, _d, r in pairs],
                ],
            )
        return
    lines = [
        StatementLine(
            pk=pk,
            status=LineStatus.POSTED,
            reason="",
            donation_id=d,
            rule_id=r,
            decided_by_id=actor_id,
            decided_at=now,
        )
        for pk, d, r in pairs
    ]
    StatementLine.objects.bulk_update(
        lines, ["status", "reason", "donation_id", "rule_id", "decided_by_id", "decided_at"], batch_size=500
    )


def post_items(actor, bank_account, items, failures: list) -> list[int | None]:
    """Post (line, target) items as donations inside the caller's transaction: the donation id of
    each item, None for an item the fund services refused (then in `failures` with the message).

    The items are tried together (one savepoint); a refused batch is split in halves until the
    refused lines are found, so a refusal costs only its own line.  `line` needs the fields
    `donation_input` reads: a StatementLine, a PostingLine, or a statement line's row not yet
    written (imports.LineRow)."""
    if not items:
        return []
    try:
        with transaction.atomic():
            return list(
                fund_services.donations_record_batch(
                    actor=actor,
                    rows=[donation_input(line, target, bank_account) for line, target in items],
                    return_objects=False,
                )
            )
    except (ValidationError, PermissionDenied) as exc:
        if len(items) == 1:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            failures.append((items[0][0], text or _("Bạn không có quyền ghi nhận ủng hộ tại đơn vị này.")))
            return [None]
        mid = len(items) // 2
        return post_items(actor, bank_account, items[:mid], failures) + post_items(
            actor, bank_account, items[mid:], failures
        )


def _post_chunk(actor, bank_account, items, failures: list) -> int:
    """Post (line, target) items of lines already written, and mark those lines posted, in one
    transaction; refused lines stay queued (their reasons in `failures`)."""
    if not items:
        return 0
    with transaction.atomic():
        ids = post_items(actor, bank_account, items, failures)
        pairs = [
            (line.pk, donation_id, target.rule.pk if target.rule is not None else None)
            for (line, target), donation_id in zip(items, ids, strict=True)
            if donation_id is not None
        ]
        if pairs:
            _mark_posted(
                pairs, actor.pk if getattr(actor, "is_authenticated", False) else None, timezone.now()
            )
    return len(pairs)


def post_lines(*, actor, bank_account, items, progress=None, chunk: int = CHUNK) -> tuple[int, list]:
    """Post credit lines as donations; returns (posted count, [(line, message)] refused).

    Each chunk commits on its own (the caller must not hold a transaction open when
    progress should be seen by others); refused lines keep status QUEUED with the reason.
    """
    posted, failures = 0, []
    for start in range(0, len(items), chunk):
        part = items[start : start + chunk]
        posted += _post_chunk(actor, bank_account, part, failures)
        if progress is not None:
            progress.advance(len(part))
    for line, message in failures:
        StatementLine.objects.filter(pk=line.pk, status=LineStatus.QUEUED).update(reason=message[:300])
    _count_rules([target for _line, target in items], {line.pk for line, _m in failures}, items)
    return posted, failures


def _count_rules(targets, failed_ids, items) -> None:
    counts: dict[int, int] = {}
    for line, target in items:
        if target.rule is not None and line.pk not in failed_ids:
            counts[target.rule.pk] = counts.get(target.rule.pk, 0) + 1

    for pk, n in counts.items():
        AssignmentRule.objects.filter(pk=pk).update(times_applied=F("times_applied") + n)


# Debits ----------------------------------------------------------------------
MATCH_DAYS_BEFORE = 31  # a payment approved up to a month before the bank booked it


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def disbursement_for(line: StatementLine, bank_account: BankAccount, taken: set[int]):
    """The approved payment a debit line pays: same amount, approved in the month before; when
    several qualify, the one whose payee account number appears in the line."""
    candidates = [
        d
        for d in fund_selectors.disbursements_for_bank_match(
            bank_account,
            amount=-line.amount,
            date_from=line.booked_on - dt.timedelta(days=MATCH_DAYS_BEFORE),
            date_to=line.booked_on,
        )[:50]
        if d.pk not in taken
    ]
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, _("Không có khoản chi đã duyệt nào cùng số tiền trong tháng trước ngày giao dịch.")
    text = _digits(line.description) + " " + _digits(line.counterparty_account)
    named = [d for d in candidates if _digits(d.payee_account) and _digits(d.payee_account) in text]
    if len(named) == 1:
        return named[0], ""
    return None, _("Có %(n)d khoản chi đã duyệt cùng số tiền: hãy chọn khoản chi của dòng này.") % {
        "n": len(candidates)
    }


def match_debits(*, actor, bank_account, lines, progress=None) -> int:
    matched, taken = 0, set()
    for line in lines:
        disbursement, reason = disbursement_for(line, bank_account, taken)
        if disbursement is None:
            StatementLine.objects.filter(pk=line.pk).update(reason=reason[:300])
        else:
            try:
                match_debit(actor=actor, line=line, disbursement=disbursement)
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                StatementLine.objects.filter(pk=line.pk).update(reason=text[:300])
            else:
                taken.add(disbursement.pk)
                matched += 1
        if progress is not None:
            progress.advance()
    return matched


def match_debit(*, actor, line: StatementLine, disbursement) -> StatementLine:
    """Tie a debit line to an approved payment out of the account (funds records the bank reference)."""
    if line.amount >= 0:
        raise ValidationError(_("Chỉ dòng ghi nợ (tiền ra) mới khớp được với khoản chi."))
    if disbursement.amount != -line.amount:
        raise ValidationError(
            _("Khoản chi %(v)s là %(a)s, khác số tiền của dòng sao kê.")
            % {"v": disbursement.voucher_label, "a": fmt_money(disbursement.amount)}
        )
    with transaction.atomic():
        line = StatementLine.objects.select_for_update().get(pk=line.pk)
        if line.status != LineStatus.QUEUED:
            raise ValidationError(
                _("Dòng sao kê này đã được xử lý (%(s)s).") % {"s": line.get_status_display()}
            )
        fund_services.disbursement_match_bank_line(
            actor=actor,
            disbursement=disbursement,
            bank_reference=(line.reference or line.identity)[:100],
            matched_on=line.booked_on,
        )
        line.status, line.reason, line.disbursement = LineStatus.MATCHED, "", disbursement
        line.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        line.decided_at = timezone.now()
        line.save(update_fields=["status", "reason", "disbursement", "decided_by", "decided_at"])
    return line


def fmt_money(value: int) -> str:
    return money(value)


def day_label(day: dt.date) -> str:
    return fmt_date(day)


# Matching again ----------------------------------------------------------------
def rematch_lines(*, actor, bank_account, lines, progress=None) -> dict:
    """Decide queued lines again (codes, rules, approved payments) and post what now has a target.

    Used by the queue's "Đối chiếu lại" and by an import resumed after its worker stopped: every
    step is idempotent (a line is posted exactly when it leaves the queue, in one transaction
    with its donation), so running it twice posts nothing twice.  Returns the counts; the
    caller records the audit event and refreshes the imports' figures.
    """
    matcher = Matcher(bank_account)
    items, excluded, debits, refused = [], [], [], []
    reasons: list[tuple[int, str]] = []
    for line in lines:
        if line.status != LineStatus.QUEUED:
            continue
        if line.amount < 0:
            debits.append(line)
            continue
        target, reason = matcher.decide_line(line)
        if target is None:
            if reason != line.reason:
                reasons.append((line.pk, reason[:300]))
        elif not target.posts:
            excluded.append((line, target))
        else:
            items.append((line, target))
    with transaction.atomic():
        for pk, reason in reasons:
            StatementLine.objects.filter(pk=pk, status=LineStatus.QUEUED).update(reason=reason)
        now = timezone.now()
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        excluded_count = 0
        for line, target in excluded:
            try:
                periods.refuse_lines_in_locked_period(bank_account, [line.booked_on])
            except ValidationError as exc:
                refused.append((line, " ".join(exc.messages)))
                continue
            excluded_count += StatementLine.objects.filter(pk=line.pk, status=LineStatus.QUEUED).update(
                status=LineStatus.EXCLUDED,
                not_donation=target.not_donation,
                rule=target.rule,
                reason="",
                decided_by_id=actor_id,
                decided_at=now,
            )
    if progress is not None:
        progress.stage(_("Ghi sổ các khoản ủng hộ có mã tham chiếu hoặc theo quy tắc"), total=len(items))
    posted, failures = post_lines(actor=actor, bank_account=bank_account, items=items, progress=progress)
    if progress is not None:
        progress.stage(_("Khớp các dòng tiền ra với khoản chi đã duyệt"), total=len(debits))
    matched = match_debits(actor=actor, bank_account=bank_account, lines=debits, progress=progress)
    return {
        "posted": posted,
        "excluded": excluded_count,
        "matched": matched,
        "refused": len(failures) + len(refused),
    }
