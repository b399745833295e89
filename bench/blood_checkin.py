"""Benchmark: the check-in desk's search by code, phone or name with 300,000 donors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/blood_checkin.py [--donors N] [--keep] [--requests N]

Builds a throwaway PostgreSQL database with the city, two communes, `--donors` people who
are blood donors (bulk-inserted through core.bulk, default 300,000) and a drive of 500
registrations, then times real requests to the desk's search (the HTMX fragment a tablet
asks for while the officer types) through Django's test client: by registration code, by
the first digits of a phone number, by full name without diacritics, by the last two words
of a name.  Prints p50/p95 (target p95 < 100 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))
from _db import percentile, throwaway


def measure(client, label, urls, n):
    times = []
    for i in range(n):
        url = urls[i % len(urls)]
        t = time.perf_counter()
        response = client.get(url, HTTP_HX_REQUEST="true")
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(
        f"{label:<46} n={n}  p50 {percentile(times, 0.5):6.1f} ms  p95 {percentile(times, 0.95):6.1f} ms  "
        f"max {max(times):6.1f} ms"
    )
    return percentile(times, 0.95)


def build(donors: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from nhandao.accounts import services as accounts
    from nhandao.blood import services
    from nhandao.blood.models import CollectionCentre, Donor, Registration
    from nhandao.core import bulk, refcodes
    from nhandao.core.access import Role
    from nhandao.core.demo_names import person_name, phone
    from nhandao.geo import loader
    from nhandao.geo.models import Ward
    from nhandao.org import services as org
    from nhandao.org.models import UnitKind
    from nhandao.people.models import Person

    loader.ensure_loaded()
    rng = random.Random(7)
    with transaction.atomic():
        city = org.unit_create(
            actor=None, name="Hội Chữ thập đỏ thành phố Hải Phòng", kind=UnitKind.PROVINCE, code="HP",
            province="31", valid_from=dt.date(2000, 1, 1),
        )  # fmt: skip
        wards = list(Ward.objects.filter(province_id="31").order_by("code")[:2])
        communes = [
            org.unit_create(
                actor=None,
                parent=city,
                name=f"Hội Chữ thập đỏ {w.name}",
                kind=UnitKind.COMMUNE,
                code=f"HP-{i}",
                ward=w,
                valid_from=dt.date(2025, 7, 1),
            )  # fmt: skip
            for i, w in enumerate(wards)
        ]
        user = accounts.user_create(actor=None, username="desk", full_name="Desk", password="x-desk-9173")
        org.role_assign(
            actor=None, user=user, unit=city, role=Role.DATA_ENTRY, valid_from=dt.date(2025, 7, 1)
        )
        t = time.perf_counter()
        people = []
        for _ in range(donors):
            sex = rng.choice("MF")
            p = Person(
                full_name=person_name(rng, sex), sex=sex, phone=phone(rng), unit=rng.choice(communes),
                date_of_birth=dt.date(rng.randint(1966, 2007), rng.randint(1, 12), rng.randint(1, 28)),
            )  # fmt: skip
            p.refresh_keys()
            people.append(p)
        bulk.insert_many(Person, people)
        bulk.insert_many(Donor, [Donor(person=p, unit_id=p.unit_id) for p in people])
        print(f"{donors:,} donors written in {time.perf_counter() - t:.0f} s")
        drive = services.drive_create(
            actor=None, unit=communes[0], name="Chủ nhật Đỏ", venue="Nhà thi đấu", address="Lạch Tray",
            ward=wards[0], date=timezone.localdate(), starts_at=dt.time(7), ends_at=dt.time(17),
            centre=CollectionCentre.objects.first(), capacity_per_hour=50, target_units=500,
        )  # fmt: skip
        # 500 registrations of existing donors, written in bulk (the bench times the search, not
        # the registration service).
        donors = list(Donor.objects.filter(person__in=people[:500]).order_by("pk"))
        codes = set()
        while len(codes) < len(donors):
            codes.add(refcodes.new_code(rng=rng))
        bulk.insert_many(
            Registration,
            [
                Registration(
                    drive=drive, donor=d, code=code, slot=drive.slots()[i % 10], declared_weight=Decimal(60)
                )
                for i, (d, code) in enumerate(zip(donors, sorted(codes), strict=True))
            ],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--donors", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()
    with throwaway("nhandao_bench_blood", keep=args.keep) as existed:
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        if not existed:
            build(args.donors)
        from nhandao.accounts.models import User
        from nhandao.blood.models import Donor, Drive, Registration
        from nhandao.core.text import normalize

        drive = Drive.objects.get()
        print(f"{Donor.objects.count():,} donors, {drive.registrations.count()} registrations")
        client = Client()
        client.force_login(User.objects.get(username="desk"))
        base = f"/hien-mau/quan-ly/{drive.pk}/tiep-don/?part=results&q="
        rng = random.Random(3)
        regs = list(Registration.objects.select_related("donor__person").order_by("?")[:200])
        others = list(Donor.objects.select_related("person").order_by("?")[:200])
        worst = [
            measure(client, "by registration code", [base + r.code for r in regs], args.requests),
            measure(
                client, "by phone, first 7 digits", [base + d.person.phone[:7] for d in others], args.requests
            ),
            measure(
                client,
                "by full name, no diacritics",
                [base + normalize(d.person.full_name).replace(" ", "+") for d in others],
                args.requests,
            ),
            measure(
                client,
                "by the last two words of a name",
                [
                    base + "+".join(normalize(rng.choice(others).person.full_name).split()[-2:])
                    for _ in range(50)
                ],
                args.requests,
            ),
        ]
        print(f"worst p95: {max(worst):.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
