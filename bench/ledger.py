"""Ledger throughput (issue 5): python bench/ledger.py [--events 1000000] [--batch 5000] [--keep]

Creates a throwaway PostgreSQL database next to the one in DATABASE_URL, opens
a city fund with a bank account and an open, restricted appeal, then posts N
donation events (default 1,000,000: bank transfers with references, sender
names and memos, as a statement import would) through
`funds.services.donations_record_batch` in batches.  Every event keeps every
invariant: a balanced posting on the global and the campaign hash chains, a
numbered receipt, an audit event.  Prints events per second, then times
`verify_ledger` (the whole chain, every posting digest and balance) over them.
Targets: at least 2,000 events/s; verification of 1,000,000 events in under 60 s.
The database is dropped at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = [
    "NGUYEN THI MAI",
    "TRAN VAN BINH",
    "LE THI HOA",
    "PHAM QUANG HUY",
    "HOANG MINH TUAN",
    "VU THI LAN",
    "DO VAN HUNG",
    "BUI THI THU",
    "NGO DUC THANG",
    "DANG THI YEN",
    "CONG TY TNHH HAI AN",
    "DINH QUANG HUY",
]
AMOUNTS = [10_000, 20_000, 50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000, 5_000_000]


def _admin_url(url: str, dbname: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{dbname}"))


def _create_database(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(_admin_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _admin_url(url, name)


def _drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="keep the database for inspection")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("Đặt DATABASE_URL=postgres://… (máy chủ PostgreSQL dùng để tạo cơ sở dữ liệu tạm).")
    name = f"nhandao_bench_ledger_{os.getpid()}"
    os.environ["DATABASE_URL"] = _create_database(base, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhandao.settings")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(base, name)
        else:
            print(f"Giữ lại cơ sở dữ liệu {name}")


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from nhandao.campaigns import services as campaign_services
    from nhandao.core import audit
    from nhandao.core.formatting import number
    from nhandao.funds import ledger, services
    from nhandao.funds.services import DonationInput
    from nhandao.org import services as org_services
    from nhandao.org.models import UnitKind

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
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
        name="Ủng hộ đồng bào bị thiệt hại do bão số 3",
        kind="appeal",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=30),
    )
    appeal = campaign_services.campaign_open(actor=None, campaign=appeal)
    bank = services.bank_account_create(
        actor=None,
        unit=city,
        bank_name="BIDV",
        bank_bin="970418",
        account_number="21510001234567",
        holder="HOI CHU THAP DO THANH PHO HAI PHONG",
        campaign=appeal,
    )
    fund = services.fund_for(actor=None, unit=city, campaign=appeal)

    def rows(start: int, count: int):
        for i in range(start, start + count):
            name = NAMES[i % len(NAMES)]
            yield DonationInput(
                channel="bank",
                amount=AMOUNTS[(i * 7) % len(AMOUNTS)],
                received_on=today,
                fund=fund,
                bank_account=bank,
                external_ref=f"FT24{i:012d}",
                counterparty_name=name,
                counterparty_account=f"{1903000000 + i}",
                memo=f"MBVCB.{i}.{name} ung ho bao so 3 {appeal.code}",
                donor_name=name,
                display=("full", "initials", "anonymous")[i % 3],
            )

    print(f"Ghi {number(args.events)} khoản ủng hộ vào PostgreSQL, mỗi lô {number(args.batch)} …")
    started = time.perf_counter()
    done = 0
    with audit.via("bench"):
        while done < args.events:
            count = min(args.batch, args.events - done)
            services.donations_record_batch(actor=None, rows=list(rows(done, count)), return_objects=False)
            done += count
            if done % (args.batch * 20) == 0 or done == args.events:
                elapsed = time.perf_counter() - started
                print(f"  {number(done):>11} khoản · {elapsed:7.1f} s · {done / elapsed:,.0f} khoản/s")
    post_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM funds_entry")
        entries = cursor.fetchone()[0]
    print(
        f"Ghi sổ: {number(args.events)} khoản ({number(entries)} dòng sổ cái) trong {post_seconds:.1f} s"
        f" = {args.events / post_seconds:,.0f} khoản/s (mục tiêu ≥ 2.000/s)"
    )

    started = time.perf_counter()
    report = ledger.verify()
    verify_seconds = time.perf_counter() - started
    print(
        f"verify_ledger: {number(report.entries)} dòng, {number(report.postings)} bút toán trong "
        f"{verify_seconds:.1f} s (mục tiêu < 60 s) · {'toàn vẹn' if report.ok else 'LỖI: ' + report.first_error}"
    )
    if not report.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
