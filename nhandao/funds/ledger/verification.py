"""Verification: recompute every hash and compare (manage.py verify_ledger)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Account,
    ChainHead,
    Entry,
    LedgerDigest,
    Posting,
)
from .canonical import (
    GENESIS,
    POSTING_FIELDS,
    entry_canonical_text,
    posting_canonical_text,
    posting_canonical_v2_text,
    posting_digest,
    quantity_text,
    text_hash,
    utc_iso,
)
from .gifts import gift_mismatches
from .posting import EntryRow


# Verification ---------------------------------------------------------------------
@dataclass
class Report:
    entries: int = 0
    postings: int = 0
    digests: int = 0
    last_number: int = 0
    last_hash: str = GENESIS
    seconds: float = 0.0
    guards: bool = True
    errors: list[str] = field(default_factory=list)
    more_errors: int = 0
    first_break: str = ""  # the first link of the chain that does not hold
    redacted: list[int] = field(default_factory=list)  # v2 postings whose personal texts were shredded

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def first_error(self) -> str:
        return self.first_break or (self.errors[0] if self.errors else "")

    def add(self, message: str, limit: int = 50, *, link: bool = False) -> None:
        if link and not self.first_break:
            self.first_break = message
        if len(self.errors) < limit:
            self.errors.append(message)
        else:
            self.more_errors += 1


def guards_present() -> bool:
    """Whether the database still refuses UPDATE/DELETE on the ledger tables (a table rebuild could drop them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname IN "
                "('funds_entry_append_only','funds_posting_append_only','funds_ledgerdigest_append_only')"
            )
            return cursor.fetchone()[0] == 3
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'funds\\_%\\_append\\_only\\_%' ESCAPE '\\'"
            )
            return cursor.fetchone()[0] == 6
    return False


# PostgreSQL hands dates, times and quantities over already as the canonical text:
# no parsing and reformatting of two million timestamps.
_PG_UTC = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
_PG_ENTRIES = (
    "SELECT number, posting_id, fund_id, account_id, amount, campaign_id, item, COALESCE(quantity::text, ''), "
    f"value_date::text, {_PG_UTC.format('posted_at')}, hash, campaign_hash FROM funds_entry ORDER BY number"
)
_PG_POSTINGS = (
    "SELECT id, kind, unit_id, value_date::text, voucher, description, reason, donation_id, disbursement_id, "
    f"pledge_id, reverses_id, created_by_id, {_PG_UTC.format('created_at')}, digest, canonical_version, "
    "text_salt, description_hash, reason_hash FROM funds_posting ORDER BY id"
)


_POSTING_EXTRA = ("digest", "canonical_version", "text_salt", "description_hash", "reason_hash")


def _posting_digest(row) -> str:
    """The digest a posting row should carry, in the canonical form of its version."""
    if row[14] == 1:
        return posting_digest(posting_canonical_text(*row[:13]))
    if row[14] == 2:
        return posting_digest(posting_canonical_v2_text(*row[:5], row[16], row[17], *row[7:13]))
    return ""


def _server_rows(sql: str, name: str, chunk: int):
    with connection.connection.cursor(name=name) as cursor:
        cursor.itersize = chunk
        cursor.execute(sql)
        yield from cursor


def _entry_rows(chunk: int):
    if connection.vendor == "postgresql":
        yield from _server_rows(_PG_ENTRIES, "nhandao_verify_entries", chunk)
        return
    rows = Entry.objects.order_by("number").values_list(*EntryRow._fields)
    for n, pid, fund, account, amount, cid, item, qty, vdate, posted, h, ch in rows.iterator(
        chunk_size=chunk
    ):
        yield (
            n,
            pid,
            fund,
            account,
            amount,
            cid,
            item,
            quantity_text(qty),
            vdate.isoformat(),
            utc_iso(posted),
            h,
            ch,
        )


def _posting_rows(chunk: int):
    if connection.vendor == "postgresql":
        yield from _server_rows(_PG_POSTINGS, "nhandao_verify_postings", chunk)
        return
    rows = Posting.objects.order_by("id").values_list(*POSTING_FIELDS, *_POSTING_EXTRA)
    for row in rows.iterator(chunk_size=chunk):
        yield (*row[:3], row[3].isoformat(), *row[4:12], utc_iso(row[12]), *row[13:])


def verify(*, progress: Callable[[int], None] | None = None, chunk: int = 20000) -> Report:
    """Recompute the whole chain, every posting's digest and balance, the cached balances and the digests.

    Reads everything in one snapshot (REPEATABLE READ on PostgreSQL), so postings made
    while it runs cannot make a consistent ledger look broken.  Entries and postings are
    streamed side by side in id order (both are allocated in the same order), so the
    database never sorts or joins two million rows.
    """
    started = time.monotonic()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        report = _verify(progress, chunk)
    report.seconds = time.monotonic() - started
    return report


def _verify(progress, chunk: int) -> Report:
    report = Report(guards=guards_present())
    global_digests: dict[int, list] = defaultdict(list)
    campaign_digests: dict[tuple[int, int], list] = defaultdict(list)
    global_days: list[dict] = []
    for d in LedgerDigest.objects.all().values("day", "campaign_id", "last_number", "chain_hash", "entries"):
        report.digests += 1
        if d["campaign_id"] is None:
            global_digests[d["last_number"]].append(d)
            global_days.append(d)
        else:
            campaign_digests[(d["campaign_id"], d["last_number"])].append(d)

    postings = _posting_rows(chunk)
    last_posting_id = 0
    first_posted = last_posted = ""
    posting = None  # the current posting row
    posting_lines = 0
    expected = 1
    previous = GENESIS
    campaign_previous: dict[int, str] = {}
    campaign_counts: dict[int, int] = defaultdict(int)
    sums: dict[int, int] = defaultdict(int)
    group_sum = 0
    sha256 = hashlib.sha256
    add = report.add

    def close_posting():
        if posting is None:
            return
        if posting_lines == 0:
            add(_("Bút toán %(p)s không có dòng nào trong sổ cái.") % {"p": posting[0]})
        elif group_sum != 0:
            add(_("Bút toán %(p)s: tổng các dòng là %(s)s, khác 0.") % {"p": posting[0], "s": group_sum})

    def open_posting(row):
        nonlocal last_posting_id
        report.postings += 1
        last_posting_id = row[0]
        if _posting_digest(row) != row[13]:
            add(_("Bút toán %(p)s: nội dung đã bị sửa (mã tóm tắt không khớp).") % {"p": row[0]})
        elif row[14] == 2:
            if not row[15]:
                # Shredded: the texts were replaced and the salt destroyed; the chain still holds.
                report.redacted.append(row[0])
            elif text_hash(row[15], row[5]) != row[16] or text_hash(row[15], row[6]) != row[17]:
                add(_("Bút toán %(p)s: nội dung đã bị sửa (mã tóm tắt không khớp).") % {"p": row[0]})

    for row in _entry_rows(chunk):
        number, pid, fund_id, account_id, amount, cid, item, qty, vdate, posted, stored, cstored = row
        report.entries += 1
        if progress and report.entries % 100000 == 0:
            progress(report.entries)
        if number != expected:
            add(
                _("Dòng %(n)s: chuỗi bị đứt, thiếu các dòng %(a)s–%(b)s (đã bị xóa?).")
                % {"n": number, "a": expected, "b": number - 1}
                if number > expected
                else _("Dòng %(n)s: số thứ tự không tăng dần.") % {"n": number},
                link=True,
            )
        expected = number + 1
        if posting is None or pid != posting[0]:
            close_posting()
            posting_lines, group_sum = 0, 0
            for candidate in postings:
                if candidate[0] >= pid:
                    posting = candidate
                    break
                posting = candidate
                open_posting(candidate)
                close_posting()  # a posting skipped over has no entries
            else:
                posting = None
            if posting is not None and posting[0] == pid:
                open_posting(posting)
        digest = posting[13] if posting is not None and posting[0] == pid else ""
        if not digest:
            add(
                _("Dòng %(n)s: thuộc bút toán %(p)s không có trong sổ cái.") % {"n": number, "p": pid},
                link=True,
            )
        canonical = entry_canonical_text(
            number, pid, digest, fund_id, account_id, amount, cid, item, qty, vdate, posted
        )
        computed = sha256(f"{previous}\n{canonical}".encode()).hexdigest()
        if computed != stored:
            add(
                _(
                    "Dòng %(n)s: mã băm không khớp (đã lưu %(s)s…, tính lại %(c)s…): nội dung hoặc dòng trước đã bị sửa."
                )
                % {"n": number, "s": stored[:12], "c": computed[:12]},
                link=True,
            )
        previous = stored
        posting_lines += 1
        group_sum += amount
        if cid:
            campaign_counts[cid] += 1
            ccomputed = sha256(f"{campaign_previous.get(cid, GENESIS)}\n{canonical}".encode()).hexdigest()
            if ccomputed != cstored:
                add(
                    _("Dòng %(n)s: mã băm chuỗi cuộc vận động %(c)s không khớp.") % {"n": number, "c": cid},
                    link=True,
                )
            campaign_previous[cid] = cstored
            for d in campaign_digests.pop((cid, number), ()):
                if d["chain_hash"] != cstored or d["entries"] != campaign_counts[cid]:
                    add(
                        _("Tóm tắt ngày %(d)s của cuộc vận động %(c)s không khớp với sổ cái (dòng %(n)s).")
                        % {"d": d["day"].strftime("%d/%m/%Y"), "c": cid, "n": number}
                    )
        elif cstored:
            add(
                _("Dòng %(n)s: có mã băm cuộc vận động nhưng không gắn cuộc vận động.") % {"n": number},
                link=True,
            )
        sums[account_id] += amount
        if number in global_digests:
            for d in global_digests.pop(number):
                if d["chain_hash"] != stored:
                    add(
                        _("Tóm tắt ngày %(d)s (dòng %(n)s) không khớp với sổ cái: lịch sử đã bị viết lại.")
                        % {"d": d["day"].strftime("%d/%m/%Y"), "n": number}
                    )
        report.last_number, report.last_hash = number, stored
        first_posted = first_posted or posted
        last_posted = posted
    close_posting()
    for rest in postings:  # postings after the last entry have no entries
        open_posting(rest)
        add(_("Bút toán %(p)s không có dòng nào trong sổ cái.") % {"p": rest[0]})

    for number, rows in sorted(global_digests.items()):
        for d in rows:
            add(
                _("Tóm tắt ngày %(d)s nhắc tới dòng %(n)s không còn trong sổ cái.")
                % {"d": d["day"].strftime("%d/%m/%Y"), "n": number}
            )
    for (cid, number), rows in sorted(campaign_digests.items()):
        for d in rows:
            add(
                _("Tóm tắt ngày %(d)s của cuộc vận động %(c)s nhắc tới dòng %(n)s không có trong chuỗi.")
                % {"d": d["day"].strftime("%d/%m/%Y"), "c": cid, "n": number}
            )
    for account_id, cached in Account.objects.values_list("pk", "balance"):
        if sums.get(account_id, 0) != cached:
            add(
                _("Tài khoản %(a)s: số dư lưu sẵn %(c)s khác tổng các dòng %(s)s.")
                % {"a": account_id, "c": cached, "s": sums.get(account_id, 0)}
            )
    head = ChainHead.objects.filter(pk=1).first()
    head_number, head_hash = (head.last_number, head.last_hash) if head else (0, GENESIS)
    if (head_number, head_hash) != (report.last_number, report.last_hash):
        add(
            _("Đầu chuỗi ghi dòng %(h)s nhưng sổ cái kết thúc ở dòng %(n)s.")
            % {"h": head_number, "n": report.last_number}
        )
    elif head is not None and (
        head.last_posting_id != last_posting_id
        or (utc_iso(head.last_posted_at) if head.last_posted_at else "") != last_posted
    ):
        add(_("Đầu chuỗi không khớp với bút toán cuối cùng của sổ cái (số bút toán hoặc thời điểm ghi sổ)."))
    _verify_anchor(report, head, sorted(global_days, key=lambda d: d["day"]), first_posted)
    if not report.guards:
        add(_("Cơ sở dữ liệu không còn trigger chặn sửa, xóa sổ cái."))
    _verify_gifts(report)
    return report


def _local_day(utc_text: str) -> dt.date:
    moment = dt.datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    return timezone.localtime(moment).date()


def _verify_anchor(report: Report, head, days: list[dict], first_posted: str) -> None:
    """The whole-ledger digests form an unbroken run of days that ends with the head's anchor (the
    latest digest stored), the head never lies before that anchor, and every day before the last
    posting's day is digested.  Cutting digests from the end, or cutting the last postings and
    rewinding the head before a published digest, is caught here even with the triggers off."""
    add = report.add
    for before, after in zip(days, days[1:], strict=False):
        if after["day"] - before["day"] != dt.timedelta(days=1):
            add(
                _("Thiếu tóm tắt sổ cái từ ngày %(a)s đến ngày %(b)s: tóm tắt đã công bố bị xóa.")
                % {
                    "a": (before["day"] + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
                    "b": (after["day"] - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
                }
            )
    latest = days[-1] if days else None
    anchor = (head.digest_day, head.digest_number, head.digest_hash) if head else (None, 0, "")
    if anchor[0] is not None:
        if latest is None or (latest["day"], latest["last_number"], latest["chain_hash"]) != anchor:
            add(
                _(
                    "Tóm tắt mới nhất đã lưu (ngày %(d)s, dòng %(n)s) không còn là tóm tắt cuối của bảng "
                    "tóm tắt: các tóm tắt cuối đã bị xóa hoặc sửa."
                )
                % {"d": anchor[0].strftime("%d/%m/%Y"), "n": anchor[1]}
            )
        if min(head.last_number, report.last_number) < anchor[1]:
            add(
                _(
                    "Sổ cái kết thúc ở dòng %(h)s, trước dòng %(n)s mà tóm tắt ngày %(d)s đã công bố: "
                    "các bút toán cuối đã bị xóa và đầu chuỗi bị lùi lại."
                )
                % {
                    "h": min(head.last_number, report.last_number),
                    "n": anchor[1],
                    "d": anchor[0].strftime("%d/%m/%Y"),
                }
            )
    elif latest is not None:
        add(_("Đầu chuỗi không gắn với tóm tắt nào dù bảng tóm tắt có dữ liệu."))
    if head is None or head.last_posted_at is None or not first_posted:
        return
    # The first posting of a day digests every day before it (posting.post): those days must be there.
    must_reach = timezone.localtime(head.last_posted_at).date() - dt.timedelta(days=1)
    if _local_day(first_posted) <= must_reach and (latest is None or latest["day"] < must_reach):
        add(
            _("Thiếu tóm tắt sổ cái đến hết ngày %(d)s (ngày trước lần ghi sổ cuối): tóm tắt đã bị xóa.")
            % {"d": must_reach.strftime("%d/%m/%Y")}
        )


def _verify_gifts(report: Report) -> None:
    """What the portal publishes of each gift (amount, date, fund, campaign) must be what its
    chained posting holds: a gift row changed directly in the database is caught here."""
    differing, unposted, total = gift_mismatches()
    for gift in differing:
        report.add(
            _(
                "Khoản ủng hộ #%(d)s: bản ghi ghi %(a)s đ ngày %(r)s nhưng bút toán trong sổ cái ghi %(b)s đ "
                "ngày %(v)s: số liệu công khai đã bị sửa ngoài sổ cái."
            )
            % {
                "d": gift.donation_id,
                "a": gift.row_amount,
                "r": gift.row_date.strftime("%d/%m/%Y"),
                "b": gift.amount,
                "v": gift.value_date.strftime("%d/%m/%Y"),
            }
        )
    for pk in unposted:
        report.add(_("Khoản ủng hộ #%(d)s không có bút toán nào trong sổ cái.") % {"d": pk})
    report.more_errors += max(0, total - len(differing) - len(unposted))
