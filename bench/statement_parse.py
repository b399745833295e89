"""Parsing speed of bank statements (issue 6): python bench/statement_parse.py [--lines 200000].

Builds a statement of N credit lines (default 200,000, the size of the Vietnam
Fatherland Front's first Typhoon Yagi statement) from the lines of the two
real extracts in nhandao/banking/tests/data, spread over 01-10/09/2024 with
increasing times, in the BIDV extract's pipe-separated layout, then reads it
with nhandao.banking.statements.read (detection, parsing, checks, line
identities) and prints lines per second.  `--balance` adds a running balance
column and prints the cost of the running-balance check alone; `--shifted`
writes a header that still names a debit column the rows do not have (every
row is then lined up by the kinds of its cells, see statements/align.py).  It also times the memo analysis
(reference codes, sender's name and account) that matching will run on each
credit line.  No database is used; the import and posting figures belong to
bench/statement_import.py, which arrives with the fund ledger.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhandao.settings")

import django  # noqa: E402

django.setup()

from nhandao.banking import memo, statements  # noqa: E402
from nhandao.banking.statements import checks  # noqa: E402

DATA = ROOT / "nhandao" / "banking" / "tests" / "data"
HEADER = "STT  (No) |Ngày giao dịch  (Trans.Date) |Phát sinh có (Credit amount)|Diễn giải (Txn. Description)"


def real_lines() -> list[tuple[str, str]]:
    """(amount as printed, description) of every transaction line of both real files."""
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


def build(n: int, *, balance: bool = False, shifted: bool = False) -> tuple[bytes, int]:
    source = real_lines()
    start = dt.datetime(2024, 9, 1)
    step = dt.timedelta(days=10) / n
    header = HEADER
    if balance:
        header = "STT |Ngày giao dịch |Phát sinh có |Số dư |Diễn giải"
    if shifted:
        header = header.replace("|Phát sinh có", "|Phát sinh nợ |Phát sinh có")
    rows, total, running = [header], 0, 1_000_000
    for i in range(n):
        amount, description = source[i % len(source)]
        value = int(amount.replace(".", ""))
        total += value
        running += value
        when = start + step * i
        shown = f"{running:,}".replace(",", ".")
        cells = [
            f"{i + 1} ",
            f"{when:%d/%m/%Y %H:%M:%S} ",
            amount,
            *([shown] if balance else []),
            description,
        ]
        rows.append("|".join(cells))
    if balance:
        rows.insert(1, "Số dư đầu kỳ |||1.000.000 |" if not shifted else "Số dư đầu kỳ ||||1.000.000 |")
    return ("\n".join(rows) + "\n").encode("utf-8"), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--balance", action="store_true", help="with a running balance column")
    parser.add_argument("--shifted", action="store_true", help="a header with a debit column the rows lack")
    parser.add_argument("--no-memo", action="store_true", help="skip the memo analysis")
    args = parser.parse_args()

    data, total = build(args.lines, balance=args.balance, shifted=args.shifted)
    print(f"statement: {args.lines:,} credit lines, {len(data) / 1e6:.1f} MB, total {total:,} VND")

    started = time.perf_counter()
    st = statements.read(data, "bench.psv", account="1261122666")
    parse = time.perf_counter() - started
    summary = st.summary()
    assert summary.credit_count == args.lines and summary.credit_total == total, summary
    assert st.ok and len({line.identity for line in st.lines}) == args.lines
    print(f"parse (detect, read, check, identities): {parse:.2f} s, {args.lines / parse:,.0f} lines/s")
    if args.balance:
        assert st.balance_checked and st.balance_confirmed == args.lines, st.balance_confirmed
        started = time.perf_counter()
        checks.running_balance(st)
        cost = time.perf_counter() - started
        print(f"of which the running-balance check: {cost:.2f} s ({st.balance_confirmed:,} lines confirmed)")
    if args.no_memo:
        return

    started = time.perf_counter()
    infos = [memo.analyse(line.description) for line in st.lines]
    analyse = time.perf_counter() - started
    named = sum(1 for info in infos if info.counterparty_name)
    print(
        f"memo analysis (codes, sender): {analyse:.2f} s, {args.lines / analyse:,.0f} lines/s "
        f"({named:,} senders named)"
    )


if __name__ == "__main__":
    main()
