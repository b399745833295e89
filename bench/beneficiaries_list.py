"""Benchmark: who still needs help, at Hải Phòng's real size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/beneficiaries_list.py [--keep] [--requests N]

Builds a throwaway PostgreSQL database at city scale (~30,000 households on top
of the 272,000 people of the registry: the small demo grown with COPY,
bench/_city.py, shared with bench/lists_load.py and bench/people_list.py; ~8
minutes the first time; --keep reuses it; the help records, humanitarian
addresses and sponsors stay at the small demo's volumes), then times real requests through Django's test client: the
case list filtered by category, status, "not helped since", kind of help,
sponsor and case kind, diacritics-insensitive name searches, the help list and
the late humanitarian addresses, for the city administrator and a commune
manager.  Prints p50/p95 over N requests each (target p95 < 150 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
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
        f"{label:<62} n={n}  p50 {percentile(times, 0.5):6.1f} ms  p95 {percentile(times, 0.95):6.1f} ms  "
        f"max {max(times):6.1f} ms"
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
        from django.utils import timezone

        from nhandao.beneficiaries.models import Case, Commitment, HelpRecord, Sponsor
        from nhandao.org.models import Unit

        print(
            f"{Case.objects.count():,} cases, {Commitment.objects.count():,} humanitarian addresses, "
            f"{HelpRecord.objects.count():,} help records, {Sponsor.objects.count():,} sponsors"
        )
        rng = random.Random(1)
        shared_names = list(
            Case.objects.filter(share_consent=True).order_by("?").values_list("head_key", flat=True)[:300]
        )
        commune = Unit.objects.get(name="Hội Chữ thập đỏ phường Lê Chân", valid_to__isnull=True)
        local_names = list(Case.objects.filter(commune=commune).values_list("head_key", flat=True)[:100])
        busy = list(
            Sponsor.objects.filter(commitments__status="active")
            .values_list("pk", flat=True)
            .distinct()
            .order_by("pk")[:50]
        )
        year_start = dt.date(timezone.localdate().year, 1, 1).strftime("%d/%m/%Y")
        # Past the second factor where the role needs one.
        admin, manager = signed_in(Client(), "admin.thanhpho"), signed_in(Client(), "quanly.lechan")
        n = args.requests
        worst = [
            measure(
                admin, "city admin: open cases, page 1..5", [f"/doi-tuong/?page={p}" for p in range(1, 6)], n
            ),
            measure(
                admin,
                "city admin: category (hộ nghèo / cận nghèo) + confirmed",
                [
                    f"/doi-tuong/?dien={c}&trang-thai=helpable&page={p}"
                    for c in ("ho-ngheo", "ho-can-ngheo", "nguoi-co-cong")
                    for p in (1, 2)
                ],
                n,
            ),
            measure(
                admin,
                "city admin: not helped for 12 months",
                [
                    "/doi-tuong/?trang-thai=helpable&chua-tro-giup=12",
                    "/doi-tuong/?chua-tro-giup=6&loai=individual",
                ],
                n,
            ),
            measure(
                admin,
                "city admin: no Tết gift (kind) since 1 January",
                [f"/doi-tuong/?trang-thai=helpable&hinh-thuc=gift&chua-tro-giup-tu={year_start}"],
                n,
            ),
            measure(
                admin, "city admin: adopted by a sponsor", [f"/doi-tuong/?nha-tai-tro={pk}" for pk in busy], n
            ),
            measure(
                admin,
                "city admin: name search (full name, no diacritics)",
                [f"/doi-tuong/?q={name.replace(' ', '+')}" for name in shared_names],
                n,
            ),
            measure(
                admin,
                "city admin: name search (last two words)",
                [f"/doi-tuong/?q={'+'.join(name.split()[-2:])}" for name in shared_names],
                n,
            ),
            measure(
                manager,
                "commune manager: Lê Chân, filtered",
                [
                    f"/doi-tuong/?don-vi={commune.pk}&dien=ho-ngheo",
                    f"/doi-tuong/?don-vi={commune.pk}&trang-thai=helpable&chua-tro-giup=12",
                    f"/doi-tuong/?don-vi={commune.pk}&hinh-thuc=gift&chua-tro-giup-tu={year_start}",
                ],
                n,
            ),
            measure(
                manager,
                "commune manager: name search",
                [f"/doi-tuong/?q={rng.choice(local_names).split()[-1]}" for _ in range(50)],
                n,
            ),
            measure(
                admin,
                "city admin: help records (kind, date range, page 1..3)",
                [
                    f"/tro-giup/?hinh-thuc={k}&tu-ngay={year_start}&page={p}"
                    for k in ("gift", "cash", "goods")
                    for p in (1, 2, 3)
                ],
                n,
            ),
            measure(
                admin,
                "city admin: humanitarian addresses (running, late)",
                [
                    "/dia-chi-nhan-dao/",
                    "/dia-chi-nhan-dao/?tinh-trang=late",
                    "/dia-chi-nhan-dao/?tinh-trang=ending",
                ],
                n,
            ),
        ]
        print(f"worst p95: {max(worst):.1f} ms (target < 150 ms)")
        measure(admin, "(report) city statistics page", ["/so-lieu-tro-giup/"], max(20, n // 10))
        measure(admin, "(dashboard) city counters", ["/"], max(20, n // 10))


if __name__ == "__main__":
    main()
