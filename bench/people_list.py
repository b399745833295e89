"""Benchmark: the people list (filtered) and name search at Hải Phòng's real size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/people_list.py [--keep] [--requests N]

Builds a throwaway PostgreSQL database at city scale (~272,000 people: the small
demo grown with COPY, bench/_city.py, shared with bench/lists_load.py and
bench/beneficiaries_list.py; ~8 minutes the first time; --keep reuses it), then times real
requests through Django's test client: the city administrator's filtered list,
a commune manager's filtered list, and diacritics-insensitive name searches.
Prints p50/p95 over N requests each (target p95 < 150 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _city import DB_NAME, build
from _db import percentile, signed_in, throwaway


def measure(client, label, urls, n):
    times = []
    for i in range(n):
        url = urls[i % len(urls)]
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(
        f"{label:<58} n={n}  p50 {percentile(times, 0.5):6.1f} ms  p95 {percentile(times, 0.95):6.1f} ms  max {max(times):6.1f} ms"
    )
    return percentile(times, 0.95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the seeded database")
    args = parser.parse_args()
    with throwaway(DB_NAME, keep=args.keep) as existed:
        from django.test import Client

        build(existed)
        from nhandao.org.models import Unit
        from nhandao.people.models import Person

        print(f"{Person.objects.count():,} people")
        rng = random.Random(1)
        names = list(Person.objects.order_by("?").values_list("name_key", flat=True)[:300])
        commune = Unit.objects.get(name="Hội Chữ thập đỏ phường Lê Chân", valid_to__isnull=True)
        # Past the second factor where the role needs one.
        admin, manager = signed_in(Client(), "admin.thanhpho"), signed_in(Client(), "quanly.lechan")
        worst = []
        worst.append(
            measure(
                admin,
                "city admin: list, page 1..5",
                [f"/nguoi/?page={p}" for p in range(1, 6)],
                args.requests,
            )
        )
        worst.append(
            measure(
                admin,
                "city admin: volunteers aged 16–30",
                [f"/nguoi/?vai-tro=volunteer&tuoi=16-30&page={p}" for p in range(1, 4)],
                args.requests,
            )
        )
        worst.append(
            measure(
                admin,
                "city admin: members who have not paid this year",
                ["/nguoi/?vai-tro=member&hoi-phi=unpaid"],
                args.requests,
            )
        )
        worst.append(
            measure(
                manager,
                "commune manager: members of Lê Chân, filtered",
                [
                    f"/nguoi/?don-vi={commune.pk}&vai-tro=member&tuoi=31-45",
                    f"/nguoi/?don-vi={commune.pk}&hoi-phi=paid",
                ],
                args.requests,
            )
        )
        worst.append(
            measure(
                admin,
                "city admin: name search (full name, no diacritics)",
                [f"/nguoi/?q={n.replace(' ', '+')}" for n in names],
                args.requests,
            )
        )
        partial = [" ".join(n.split()[-2:]) for n in names]
        worst.append(
            measure(
                admin,
                "city admin: name search (last two words)",
                [f"/nguoi/?q={n.replace(' ', '+')}" for n in partial],
                args.requests,
            )
        )
        worst.append(
            measure(
                manager,
                "commune manager: name search",
                [f"/nguoi/?q={rng.choice(partial).replace(' ', '+')}" for _ in range(50)],
                args.requests,
            )
        )
        print(f"worst p95: {max(worst):.1f} ms (target < 150 ms)")


if __name__ == "__main__":
    main()
