"""Statement import with matching (issue 6): python bench/statement_import.py [--lines 200000] [--keep]

Builds a statement of N credit lines (default 200,000, the size of the Vietnam
Fatherland Front's first Typhoon Yagi statement) from the lines of the two real
extracts in nhandao/banking/tests/data, in the BIDV extract's layout, spread over
01-10/09/2024.  Most donors typed the appeal's reference code (it is appended to
6 lines in 10), one line in 10 says "ung ho mien bac", which a remembered rule
sends to the appeal, and the rest carry no code and wait in the queue.

In a throwaway PostgreSQL database (next to DATABASE_URL) it opens the city, the
appeal and the BIDV account, then times:
  * parsing: statements.read of the file (detection, parsing, checks, identities);
  * upload and check: the job that reads the file once, keeps the lines it read and
    counts the duplicates;
  * import and posting: the job that writes the kept new lines with the donations they post,
    in committed chunks (imports.write_lines); "posting" is the share spent in the donations
    (funds.services.donations_record_batch, through matching.post_items), "import" the rest
    (memo analysis, matching, writing the lines); the memos of the chunks after the first are
    read by a child process meanwhile (core.ahead), whose CPU is in the machine's figure only;
  * re-import of the same file, which must add nothing.
Targets: import + posting of 200,000 lines < 25 s; re-import < 3 s.  --profile prints cProfile's
top functions for both; --trace where the database's time goes (each kind of statement, each
COPY, each commit).  The database server's CPU (its backend process, when it runs on this
machine), the whole machine's busy CPU and this process's peak memory are printed beside the
wall times: the machine is shared, and its speed varies (a pure-Python reference loop is timed
first, to compare runs on different machines).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _db import throwaway  # noqa: E402

DATA = ROOT / "nhandao" / "banking" / "tests" / "data"
HEADER = "STT  (No) |Ngày giao dịch  (Trans.Date) |Phát sinh có (Credit amount)|Diễn giải (Txn. Description)"


def real_lines() -> list[tuple[str, str]]:
    result = []
    for name, amount_field, desc_field in (
        ("bidv-1261122666-2024-09-01_12.psv", 2, 3),
        ("vietinbank-ct1111-2024-09-18.psv", 3, 2),
    ):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            fields = line.split("|")
            if fields[0].strip()[:1].isdigit():
                result.append((fields[amount_field].strip(), fields[desc_field].strip()))
    return result


def build(n: int, code: str) -> tuple[bytes, int, int]:
    """The file, its credit total and how many lines carry the code."""
    source = real_lines()
    start = dt.datetime(2024, 9, 1)
    step = dt.timedelta(days=10) / n
    rows, total, coded = [HEADER], 0, 0
    for i in range(n):
        amount, description = source[i % len(source)]
        description = description.replace("(CT1111)", "").strip()
        if i % 10 < 6:
            description = f"{description} {code}"
            coded += 1
        elif i % 10 == 6:
            description = f"{description} ung ho mien bac"
        total += int(amount.replace(".", ""))
        when = start + step * i
        rows.append(f"{i + 1} |{when:%d/%m/%Y %H:%M:%S} |{amount}|{description}")
    return ("\n".join(rows) + "\n").encode("utf-8"), total, coded


def _reference_loop() -> float:
    """Seconds for 20 million additions in a Python loop: this machine's speed, for comparing runs."""
    t = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - t


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (None when not local)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float | None:
    """CPU seconds all processes of this machine have used so far (the import's child process
    reading memos ahead, core.ahead, and the database server included)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Trace:
    """Wall time of the database's work by kind: each SQL statement (by its first words), each
    COPY (by table), each commit.  The commit is where deferred constraint checks run."""

    def __init__(self):
        self.times: dict[str, list] = {}

    def add(self, key: str, seconds: float) -> None:
        entry = self.times.setdefault(key, [0, 0.0])
        entry[0] += 1
        entry[1] += seconds

    @contextmanager
    def installed(self, enabled: bool):
        if not enabled:
            yield
            return
        import re

        from django.db import connection

        from nhandao.core import bulk

        def wrapper(execute, sql, params, many, context):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                words = re.sub(r"\s+", " ", sql.strip())[:70]
                self.add("SQL " + re.sub(r"\d+", "N", words), time.perf_counter() - t0)

        real_copy, real_commit = bulk._copy, connection.commit

        def copy(conn, model, fields, rows, *args, **kwargs):
            rows = list(rows)  # built before timing: only the database's part is measured
            t0 = time.perf_counter()
            try:
                return real_copy(conn, model, fields, rows, *args, **kwargs)
            finally:
                self.add(f"COPY {model._meta.db_table}", time.perf_counter() - t0)

        def commit():
            t0 = time.perf_counter()
            try:
                return real_commit()
            finally:
                self.add("COMMIT", time.perf_counter() - t0)

        bulk._copy, connection.commit = copy, commit
        try:
            with connection.execute_wrapper(wrapper):
                yield
        finally:
            bulk._copy = real_copy
            del connection.commit

    def report(self, label: str) -> None:
        if not self.times:
            return
        print(f"--- database time: {label} (calls, seconds; the 15 longest) ---")
        for key, (n, seconds) in sorted(self.times.items(), key=lambda kv: -kv[1][1])[:15]:
            print(f"  {seconds:7.2f} s {n:7d}  {key}")
        self.times.clear()


@contextmanager
def profiled(enabled: bool, label: str):
    if not enabled:
        yield
        return
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        print(f"--- profile: {label} (top 25, cumulative) ---")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        print(f"--- profile: {label} (top 25, own time) ---")
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the import + posting and the re-import (top functions)",
    )
    parser.add_argument("--trace", action="store_true", help="where the database's time goes")
    args = parser.parse_args()
    with throwaway(os.environ.get("BENCH_DB", "nhandao_bench_statement_import"), keep=args.keep):
        run(args)


def run(args) -> None:
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.management import call_command
    from django.db.models import Sum

    from nhandao.banking import statements
    from nhandao.banking.models import ImportStatus, LineStatus, StatementLine
    from nhandao.banking.services import imports, matching, queue
    from nhandao.campaigns import services as campaign_services
    from nhandao.core.formatting import money, number
    from nhandao.funds import services as fund_services
    from nhandao.funds.models import Donation
    from nhandao.org import services as org_services
    from nhandao.org.models import UnitKind

    call_command("migrate", verbosity=0)
    city = org_services.unit_create(
        actor=None,
        name="Hội Chữ thập đỏ thành phố Hải Phòng",
        kind=UnitKind.PROVINCE,
        code="HP",
        valid_from=dt.date(2000, 1, 1),
    )
    appeal = campaign_services.campaign_create(
        actor=None,
        unit=city,
        name="Ủng hộ đồng bào bị thiệt hại do bão số 3 (Yagi)",
        kind="programme",
        starts_on=dt.date(2024, 9, 1),
        restricted=True,
    )
    appeal = campaign_services.campaign_open(actor=None, campaign=appeal)
    account = fund_services.bank_account_create(
        actor=None,
        unit=city,
        bank_name="BIDV",
        bank_bin="970418",
        account_number="1261122666",
        holder="HOI CHU THAP DO THANH PHO HAI PHONG",
        campaign=appeal,
    )
    queue.rule_create(
        actor=None,
        bank_account=account,
        query="ung ho mien bac",
        target=matching.Target("campaign", campaign=appeal),
    )

    print(f"reference loop (20 million additions in Python): {_reference_loop():.2f} s")
    data, credit_total, coded = build(args.lines, appeal.code)
    print(f"statement: {number(args.lines)} credit lines, {money(credit_total)}, {len(data) / 2**20:.1f} MB")

    t = time.perf_counter()
    st = statements.read(data, "yagi.psv")
    parse = time.perf_counter() - t
    assert st.ok and st.summary().credit_total == credit_total
    print(f"parsing: {parse:.1f} s, {args.lines / parse:,.0f} lines/s")
    # The running-balance check is part of the reading: its cost alone, on the lines just read.
    t = time.perf_counter()
    statements.checks.running_balance(st)
    statements.checks.printed_totals(st)
    print(f"  of which the balance check: {time.perf_counter() - t:.2f} s")
    del st

    timings: dict[str, float] = {}
    real_post = matching.post_items
    depth = [0]

    def timed_post(*args, **kwargs):
        # post_items splits a refused batch by calling itself: only the outer call is timed.
        depth[0] += 1
        t0 = time.perf_counter()
        try:
            return real_post(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                timings["posting"] = timings.get("posting", 0) + time.perf_counter() - t0

    matching.post_items = timed_post

    t = time.perf_counter()
    imp = imports.run_now(
        imports.statement_upload(actor=None, bank_account=account, data=data, filename="yagi.psv")
    )
    read = time.perf_counter() - t
    assert imp.status == ImportStatus.CHECKED, imp.message
    trace = Trace()
    backend, busy = _backend_cpu(), _machine_busy()
    t, cpu = time.perf_counter(), time.process_time()
    with profiled(args.profile, "import + posting"), trace.installed(args.trace):
        imp = imports.run_now(imports.statement_commit(actor=None, statement_import=imp))
    total = time.perf_counter() - t
    cpu = time.process_time() - cpu
    backend = None if backend is None else _backend_cpu() - backend
    busy = None if busy is None else _machine_busy() - busy
    trace.report("import + posting")
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTED, imp.message or imp.job.message
    posting = timings["posting"]
    lines_time = total - posting
    stored = StatementLine.objects.filter(bank_account=account)
    assert stored.count() == args.lines
    assert stored.aggregate(s=Sum("amount"))["s"] == credit_total
    posted = stored.filter(status=LineStatus.POSTED).count()
    print(f"upload and check (read, duplicates): {read:.1f} s")
    print(
        f"import ({number(imp.lines_new)} kept lines: memos, matching, writing): {lines_time:.1f} s, "
        f"{args.lines / lines_time:,.0f} lines/s"
    )
    print(
        f"posting: {number(posted)} donations ({number(coded)} by code, the rest by rule) in {posting:.1f} s, "
        f"{posted / posting:,.0f} lines/s"
    )
    print(f"queued: {number(imp.queued_count)} lines")
    print(f"import + posting: {total:.1f} s (target < 25 s); with the upload's reading: {read + total:.1f} s")
    # On a busy machine the wall time says little: this process's own CPU time and the rest (the
    # database server's work, and waiting for a core) are printed apart.
    print(f"  this process's CPU: {cpu:.1f} s; the database and waiting: {total - cpu:.1f} s; load {_load()}")
    if backend is not None:
        print(f"  the database backend's CPU: {backend:.1f} s")
    if busy is not None:
        print(
            f"  the whole machine's CPU (this process, its child reading memos ahead, the database): "
            f"{busy:.1f} s of the {total * (os.cpu_count() or 1):.1f} s its {os.cpu_count()} cores had"
        )
    print(f"  this process's peak memory so far: {_peak_mb():,.0f} MB")
    donations = Donation.objects.filter(bank_account=account).aggregate(s=Sum("amount"))["s"]
    print(f"donations posted: {money(donations)}")

    t = time.perf_counter()
    with profiled(args.profile, "re-import"), trace.installed(args.trace):
        again = imports.run_now(
            imports.statement_upload(actor=None, bank_account=account, data=data, filename="yagi.psv")
        )
        again = imports.run_now(imports.statement_commit(actor=None, statement_import=again))
    reimport = time.perf_counter() - t
    trace.report("re-import")
    again.refresh_from_db()
    assert again.lines_new == 0 and stored.count() == args.lines
    print(f"re-import of the same file: {reimport:.1f} s, {again.lines_new} new lines (target < 3 s)")


if __name__ == "__main__":
    main()
