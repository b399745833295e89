"""A city-sized database for the list benchmarks, in minutes instead of `seed_demo --scale city`'s hour.

`build()` loads `seed_demo --scale small` (every commune, its users, funds, categories…), then
grows the three big lists to Hải Phòng's real volumes with COPY (core.bulk): ~272,000 people
(with their current roles and this year's dues, cloned from the small city's people, new
names), ~30,000 beneficiary households (heads among the new people, with their categories) and
~200,000 donations over two years.  The clones keep their source's unit, commune and ward, so
every commune's lists grow in proportion.  Setup only: no services, no audit, as the other
benchmarks' builders.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time

DB_NAME = "nhandao_bench_lists"  # the lists' benchmarks share it (--keep)
PEOPLE = 272_000
CASES = 30_000
DONATIONS = 200_000


def build(existed: bool, people: int = PEOPLE, cases: int = CASES, donations: int = DONATIONS) -> None:
    """Migrate, and on a new database seed the small city and grow it (prints the time taken)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if not existed:
        t = time.perf_counter()
        call_command("seed_demo", "--scale", "small", verbosity=0, stdout=io.StringIO())
        print(f"seeded the small city in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        grow(random.Random(10), people, cases, donations)
        print(f"grown to city scale in {time.perf_counter() - t:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if not existed else "ANALYZE")
    print(counts())


def counts() -> str:
    from nhandao.beneficiaries.models import Case
    from nhandao.funds.models import Donation
    from nhandao.people.models import Person

    return (
        f"{Person.objects.count():,} people, {Case.objects.count():,} beneficiary households, "
        f"{Donation.objects.count():,} donations"
    )


def _clone(obj, **changes):
    """A new unsaved instance with `obj`'s column values, `changes` applied, no id."""
    model = type(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    values.pop(model._meta.pk.attname)
    values.update(changes)
    return model(**values)


def grow(rng: random.Random, people: int, cases: int, donations: int) -> None:
    from django.db import transaction

    with transaction.atomic():
        new_people = _grow_people(rng, people)
        _grow_cases(rng, cases, new_people)
        _grow_donations(rng, donations)


def _grow_people(rng, target):
    from django.utils import timezone

    from nhandao.core import bulk
    from nhandao.core.demo_names import person_name
    from nhandao.people.models import DuesPayment, Person, PersonRole

    sources = list(Person.objects.filter(merged_into__isnull=True).order_by("id"))
    roles: dict[int, list] = {}
    for role in PersonRole.objects.current().filter(person__in=sources).order_by("id"):
        roles.setdefault(role.person_id, []).append(role)
    year = timezone.localdate().year
    dues: dict[int, list] = {}
    for payment in DuesPayment.objects.filter(year=year):
        dues.setdefault(payment.person_id, []).append(payment)
    made = []
    for i in range(max(0, target - Person.objects.count())):
        src = sources[i % len(sources)]
        sex = src.sex if src.sex in ("M", "F") else rng.choice("MF")
        person = _clone(src, cccd=None, full_name=person_name(rng, sex))
        person.refresh_keys()
        made.append(person)
    bulk.insert_many(Person, made)
    new_roles, new_dues = [], []
    for i, person in enumerate(made):
        src = sources[i % len(sources)]
        new_roles += [
            _clone(r, person_id=person.pk, card_number=None, card_token=None) for r in roles.get(src.pk, ())
        ]
        new_dues += [_clone(d, person_id=person.pk) for d in dues.get(src.pk, ())]
    bulk.insert_many(PersonRole, new_roles)
    bulk.insert_many(DuesPayment, new_dues)
    return made


def _grow_cases(rng, target, people):
    from nhandao.beneficiaries.models import Case, CaseCategory
    from nhandao.beneficiaries.services.cases import case_keys
    from nhandao.core import bulk

    sources = list(Case.objects.filter(merged_into__isnull=True).order_by("id"))
    categories: dict[int, list] = {}
    for cc in CaseCategory.objects.filter(case__in=sources).order_by("id"):
        categories.setdefault(cc.case_id, []).append(cc)
    heads = iter(rng.sample(people, min(len(people), target)))
    made = []
    for i in range(max(0, target - Case.objects.count())):
        src = sources[i % len(sources)]
        head = next(heads)
        case = _clone(src, head_id=head.pk)
        case_keys(case, head)
        made.append(case)
    bulk.insert_many(Case, made)
    new_categories = []
    for i, case in enumerate(made):
        src = sources[i % len(sources)]
        new_categories += [_clone(cc, case_id=case.pk, person_id=None) for cc in categories.get(src.pk, ())]
    bulk.insert_many(CaseCategory, new_categories)


def _grow_donations(rng, target):
    from django.utils import timezone

    from nhandao.core import bulk
    from nhandao.funds.models import Donation

    sources = list(Donation.objects.order_by("id"))
    today = timezone.localdate()
    made = []
    for i in range(max(0, target - Donation.objects.count())):
        src = sources[i % len(sources)]
        day = today - dt.timedelta(days=rng.randint(0, 730))
        made.append(
            _clone(
                src,
                received_on=day,
                receipt_year=day.year,
                receipt_number=1_000_000 + i,
                verify_code=f"BENCH{i:011d}",
                external_ref=f"BENCH{i}" if src.external_ref else "",
                recorded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))),
            )
        )
    bulk.insert_many(Donation, made)
