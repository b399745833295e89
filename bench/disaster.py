"""Benchmark: a typhoon at Yagi scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/disaster.py [--keep] [--requests N]

(BENCH_DB names the throwaway database; default nhandao_bench_disaster.)

Builds a throwaway PostgreSQL database with `seed_demo` (small), then brings the Yagi incident to
the issue's scale with bulk inserts: 114 communes, about 2,000 field reports, a warehouse per
commune, 200,000 stock movements over two years, and a distribution list of 5,000 households in
phường Lê Chân (cases cloned from the register: the rendering cost is the same).  Times, through
Django's test client and the selectors:

- the incident's situation page (target < 300 ms),
- a warehouse's balance on a past date, from the stock book (target < 100 ms),
- a commune's printable distribution list of 5,000 households in one page (target < 1 s).

Prints one line each, with "ms".
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))
from _db import percentile, signed_in, throwaway

MOVEMENTS = 200_000
REPORTS = 2_000
HOUSEHOLDS = 5_000


def timed(label, fn, n, target):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    print(f"{label:<58} n={n}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (target < {target} ms)")
    return p95


def grow(rng):
    """The small demo's Yagi, grown to the issue's scale (bulk inserts, no services: setup only)."""
    from django.db.models import Sum

    from nhandao.beneficiaries.models import Case
    from nhandao.org.models import Unit
    from nhandao.relief.models import (
        AffectedCommune,
        DistributionPlan,
        FieldReport,
        Incident,
        Item,
        Lot,
        MovementKind,
        Recipient,
        StockBalance,
        StockMovement,
        Warehouse,
    )

    incident = Incident.objects.get(name="Bão số 3 – Yagi", is_demo=True)
    reports = list(FieldReport.objects.filter(incident=incident))
    extra = []
    while len(reports) + len(extra) < REPORTS:
        r = rng.choice(reports)
        extra.append(
            FieldReport(
                incident=incident,
                commune_id=r.commune_id,
                source=r.source,
                reported_at=r.reported_at + dt.timedelta(days=rng.randint(1, 6), minutes=rng.randint(0, 600)),
                houses_damaged=(r.houses_damaged or 0) + rng.randint(0, 30),
                houses_flooded=r.houses_flooded,
                dead=r.dead,
                evacuated=r.evacuated,
                households_affected=r.households_affected,
            )
        )
    FieldReport.objects.bulk_create(extra, batch_size=2000)

    have = set(Warehouse.objects.values_list("unit_id", flat=True))
    communes = list(
        Unit.objects.filter(pk__in=AffectedCommune.objects.filter(incident=incident).values("commune_id"))
    )
    Warehouse.objects.bulk_create(
        [Warehouse(unit=c, name=f"Kho {c.name}") for c in communes if c.pk not in have]
    )
    warehouses = list(Warehouse.objects.all())
    items = list(Item.objects.all())
    lots = [
        Lot(item=item, code=f"BENCH-{item.code}-{i}", unit_value=item.unit_value)
        for item in items
        for i in range(15)
    ]
    Lot.objects.bulk_create(lots)
    lots = list(Lot.objects.filter(code__startswith="BENCH-"))
    start = dt.date(2024, 6, 1)
    rows = []
    for i in range(MOVEMENTS):
        w, lot = rng.choice(warehouses), rng.choice(lots)
        day = start + dt.timedelta(days=rng.randint(0, 700))
        # Receipts outnumber issues and are larger: every balance stays positive.
        inbound = i % 3 != 0
        q = Decimal(rng.randint(20, 60) if inbound else -rng.randint(1, 10))
        rows.append(
            StockMovement(
                warehouse=w,
                lot=lot,
                item_id=lot.item_id,
                kind=MovementKind.RECEIPT if inbound else MovementKind.ISSUE,
                occurred_on=day,
                quantity=q,
                value=int(q * lot.unit_value),
            )
        )
    StockMovement.objects.bulk_create(rows, batch_size=10_000)
    sums = (
        StockMovement.objects.filter(lot__in=lots)
        .values("warehouse_id", "lot_id", "item_id")
        .annotate(q=Sum("quantity"))
    )
    StockBalance.objects.bulk_create(
        [
            StockBalance(
                warehouse_id=s["warehouse_id"],
                lot_id=s["lot_id"],
                item_id=s["item_id"],
                quantity=max(s["q"], 0),
            )
            for s in sums
        ],
        batch_size=10_000,
    )

    lechan = Unit.objects.get(name="Hội Chữ thập đỏ phường Lê Chân", valid_to__isnull=True)
    plan = DistributionPlan.objects.filter(incident=incident, commune=lechan).first()
    model_cases = list(Case.objects.filter(commune=lechan)[:50])
    clones = []
    for i in range(HOUSEHOLDS - Recipient.objects.filter(plan=plan).count()):
        c = model_cases[i % len(model_cases)]
        c.pk = None
        clones.append(
            Case(
                **{f.attname: getattr(c, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"}
            )
        )
    Case.objects.bulk_create(clones, batch_size=2000)
    Recipient.objects.bulk_create([Recipient(plan=plan, case=c) for c in clones], batch_size=2000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the seeded database")
    args = parser.parse_args()
    with throwaway(os.environ.get("BENCH_DB", "nhandao_bench_disaster"), keep=args.keep) as existed:
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", verbosity=0)
        if not existed:
            t = time.perf_counter()
            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            grow(random.Random(18))
            print(f"seeded and grown in {time.perf_counter() - t:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        from nhandao.relief import selectors
        from nhandao.relief.models import (
            DistributionPlan,
            FieldReport,
            Incident,
            Recipient,
            StockMovement,
            Warehouse,
        )

        incident = Incident.objects.get(name="Bão số 3 – Yagi", is_demo=True)
        plan = max(DistributionPlan.objects.filter(incident=incident), key=lambda p: p.recipients.count())
        busiest = max(Warehouse.objects.all(), key=lambda w: w.movements.count())
        print(
            f"{incident.areas.count()} communes, {FieldReport.objects.count():,} field reports, "
            f"{StockMovement.objects.count():,} stock movements, {Warehouse.objects.count()} warehouses, "
            f"{Recipient.objects.filter(plan=plan).count():,} households on {plan.commune.name}'s list"
        )
        admin, manager = signed_in(Client(), "admin.thanhpho"), signed_in(Client(), "quanly.lechan")
        n = args.requests

        def get(client, url):
            def call():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return call

        timed(
            "situation page, 114 communes × 2 sources (city admin)",
            get(admin, f"/thien-tai/{incident.pk}/"),
            n,
            300,
        )
        days = [dt.date(2024, 6, 1) + dt.timedelta(days=d) for d in range(0, 700, 37)]
        it = iter(days * (n // len(days) + 1))
        timed(
            f"warehouse balance on a date ({busiest.movements.count():,} movements)",
            lambda: selectors.warehouse_balance(busiest, next(it)),
            n,
            100,
        )
        timed(
            "warehouse page with ?ngay= (balance on a date + book page)",
            get(admin, f"/kho-cuu-tro/{busiest.pk}/?ngay=15/09/2024"),
            n,
            300,
        )
        households = Recipient.objects.filter(plan=plan).count()
        timed(
            f"printable distribution list, all {households:,} households in one page",
            get(manager, f"/phat-hang/{plan.pk}/in/"),
            max(5, n // 2),
            1000,
        )
        timed("distribution page (paginated)", get(manager, f"/phat-hang/{plan.pk}/"), n, 300)


if __name__ == "__main__":
    main()
