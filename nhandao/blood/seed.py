"""Demo blood donation: five years of drives and donations with realistic repeat patterns, the
coming drives with their registrations, a drive under way today, and a medical-staff login.

Scale (core.seeding.SCALES): `blood_donors` people who gave at least once and
`blood_units_per_year` units (city: ~120,000 donors, ~31,000 units a year, as Hải Phòng
collects).  About 40% of the units come from the city's big drives (Lễ hội Xuân hồng, Chủ
nhật Đỏ, Hành trình Đỏ: 400–500 a day), the rest from commune drives.  Each unit goes to a
returning donor eligible again (12 weeks after whole blood) with a probability that grows
as the pool of first-timers empties; 3% of donors are "regulars" who return whenever they
may, and a few platelet donors give every 2–4 weeks at the centre, so the honours lists reach
the high bands.  History is written in bulk (core.bulk); today's work through the services.
"""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from nhandao.accounts import services as account_services
from nhandao.core import bulk
from nhandao.core.access import Role
from nhandao.core.demo_names import person_name, phone
from nhandao.core.seeding import DEMO_PASSWORD, DemoLogin, SeedContext
from nhandao.messaging.models import ConsentSource
from nhandao.messaging.services import consent_record
from nhandao.org import services as org_services
from nhandao.org.models import BranchType, Unit
from nhandao.people.choices import AwardLevel
from nhandao.people.models import Person

from . import messages, services
from .choices import BloodGroup, DonationKind, DriveStatus
from .models import CollectionCentre, Deferral, Donation, Donor, Drive, Target
from .selectors import HONOUR_BANDS

# Blood group mix of the Kinh population (O ~42%, B ~30%, A ~21%, AB ~6%; Rh− ~0.1%; the demo
# raises Rh− to 1% so the on-call list is not empty).
GROUPS = [
    (BloodGroup.O_POS, 41.5),
    (BloodGroup.B_POS, 29.7),
    (BloodGroup.A_POS, 21.0),
    (BloodGroup.AB_POS, 5.8),
    (BloodGroup.O_NEG, 0.5),
    (BloodGroup.B_NEG, 0.25),
    (BloodGroup.A_NEG, 0.2),
    (BloodGroup.AB_NEG, 0.05),
]
BIG_DRIVES = ["Lễ hội Xuân hồng", "Chủ nhật Đỏ", "Hành trình Đỏ", "Giọt hồng tri ân", "Hiến máu mùa hè"]
DEFERRAL_REASONS = [
    ("Huyết sắc tố thấp", 90),
    ("Huyết áp cao", 30),
    ("Cân nặng chưa đủ", 60),
    ("Đang dùng kháng sinh", 14),
    ("Mới khỏi cảm cúm", 7),
]


def _centres() -> list[CollectionCentre]:
    """The collection centres, which a data migration adds; a test that empties the database (a
    transactional test's flush) removes them, so the demo puts them back from the same list."""
    if not CollectionCentre.objects.exists():
        data = importlib.import_module("nhandao.blood.migrations.0002_collection_centres")
        for name, address, phone_number in data.CENTRES:
            CollectionCentre.objects.get_or_create(
                name=name, defaults={"address": address, "phone": phone_number}
            )
    return list(CollectionCentre.objects.order_by("pk"))


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("blood")
    params = ctx.params
    today = ctx.today
    city: Unit = ctx.data["city"]
    communes = sorted(ctx.data["communes"].values(), key=lambda u: u.code)
    commune_a, commune_b = ctx.data["commune_a"], ctx.data["commune_b"]
    centres = _centres()
    viet_tiep = centres[0]
    donors_total = params["blood_donors"]
    per_year = params["blood_units_per_year"]
    years = params.get("blood_years", 5)
    big_size, small_size = (450, 60) if ctx.scale == "city" else (60, 15)
    # How often a unit goes to a first-timer while there are some: the city's ~155,000 units of five
    # years come from ~120,000 donors (most give once, a fifth return); the small demo repeats more,
    # so that its honours lists are not empty.
    first_timers = 0.5 if ctx.scale == "city" else 0.35

    medic = account_services.user_create(
        actor=None,
        username="yte.thanhpho",
        full_name="Bác sĩ Trần Minh Đức",
        password=DEMO_PASSWORD,
        email="yte.thanhpho@example.org",
    )
    org_services.role_assign(
        actor=None,
        user=medic,
        unit=city,
        role=Role.MEDICAL_STAFF,
        title="Bác sĩ, Bệnh viện Hữu nghị Việt Tiệp",
        valid_from=dt.date(2025, 7, 1),
    )
    ctx.logins.append(DemoLogin("yte.thanhpho", Role(Role.MEDICAL_STAFF).label, city.name))

    # Donors: who they are (index-based until written).  A few are people of the registry.
    home = [rng.choice(communes) for _ in range(donors_total)]
    for i in range(0, min(40, donors_total), 2):
        home[i], home[i + 1] = commune_a, commune_b
    groups, weights = zip(*GROUPS, strict=True)
    group = rng.choices(groups, weights=weights, k=donors_total)
    regular = [rng.random() < 0.03 for _ in range(donors_total)]

    # The drives of the past `years` years, and who gave at each.
    start = dt.date(today.year - years, today.month, 1)
    drive_rows: list[Drive] = []
    donations: list[tuple[int, int, dt.date, str, int | None]] = []  # donor, drive idx, day, kind, ml
    last: dict[int, dt.date] = {}
    fresh = list(range(donors_total))
    rng.shuffle(fresh)
    returning_regulars = [i for i in range(donors_total) if regular[i]]
    day = start
    big_every = max(1, round(365 * big_size / (per_year * 0.4)))
    small_every = 365 * small_size / (per_year * 0.6)  # days, fractional: counted from `start`
    next_big, next_small = start, 0.0
    while day < today - dt.timedelta(days=1):
        planned: list[tuple[Unit, str, int]] = []
        if day >= next_big:
            planned.append((city, f"{rng.choice(BIG_DRIVES)} {day.year}", big_size))
            next_big = day + dt.timedelta(days=big_every)
        # A date plus a fractional timedelta drops the fraction (a drive every day instead of every
        # 1.18 days at city scale, 18% too many units): the schedule runs on a float day count.
        while next_small <= (day - start).days:
            unit = rng.choice(communes)
            planned.append(
                (unit, f"Hiến máu tình nguyện {unit.name.removeprefix('Hội Chữ thập đỏ ')}", small_size)
            )
            next_small += small_every
        for unit, name, size in planned:
            idx = len(drive_rows)
            drive_rows.append(
                Drive(
                    unit=unit,
                    name=name,
                    venue="Nhà văn hóa" if unit is not city else "Cung Văn hóa Thể thao Thanh niên",
                    address=unit.name if unit is not city else "Số 15 Trần Phú",
                    ward_id=(unit.ward_id or commune_a.ward_id),
                    date=day,
                    starts_at=dt.time(7, 0),
                    ends_at=dt.time(11, 30) if unit is not city else dt.time(16, 0),
                    centre=viet_tiep if rng.random() < 0.8 else rng.choice(centres),
                    capacity_per_hour=max(10, size // 4),
                    target_units=size,
                    status=DriveStatus.DONE,
                    is_public=True,
                )
            )
            units = max(1, round(size * rng.uniform(0.8, 1.15)))
            gap = dt.timedelta(days=84)
            for _ in range(units):
                donor = None
                share_new = len(fresh) / donors_total
                if not fresh or rng.random() > first_timers + 0.6 * share_new:
                    pool = returning_regulars if rng.random() < 0.5 else None
                    for _try in range(6):
                        cand = rng.choice(pool) if pool else rng.randrange(donors_total)
                        if cand in last and day - last[cand] >= gap:
                            donor = cand
                            break
                if donor is None and fresh:
                    donor = fresh.pop()
                if donor is None:
                    continue
                last[donor] = day
                ml = rng.choices([250, 350, 450], weights=[25, 55, 20])[0]
                donations.append((donor, idx, day, DonationKind.WHOLE, ml))
        day += dt.timedelta(days=1)
    # Platelet donors at the centre (no drive): every 2–4 weeks, about 17 a year each.  One donor
    # in 4,000 (30 in the city: ~500 units a year, under 2% of the total; one in 400 made 5,000).
    for _platelet_donor in range(max(2, donors_total // 4000)):
        donor = fresh.pop() if fresh else rng.randrange(donors_total)
        when = start + dt.timedelta(days=rng.randint(0, 60))
        while when < today - dt.timedelta(days=1):
            donations.append((donor, -1, when, DonationKind.PLATELETS, None))
            last[donor] = max(last.get(donor, when), when)
            when += dt.timedelta(days=rng.randint(14, 28))

    # Write: people, donors, drives, donations.
    used = sorted({d for d, *_rest in donations} | set(range(min(40, donors_total))))
    registry = list(Person.objects.order_by("pk").values_list("pk", flat=True)[: max(1, len(used) // 20)])
    reuse = dict(zip(rng.sample(used, k=min(len(registry), len(used) // 20)), registry, strict=False))
    people: list[Person] = []
    person_of: dict[int, int] = {}
    for i in used:
        if i in reuse:
            continue
        sex = "M" if rng.random() < 0.6 else "F"
        age = rng.randint(18, 58)
        born = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        p = Person(
            full_name=person_name(rng, sex), sex=sex, date_of_birth=born, phone=phone(rng), unit=home[i]
        )
        p.refresh_keys()
        people.append(p)
    bulk.insert_many(Person, people)
    it = iter(people)
    for i in used:
        person_of[i] = reuse[i] if i in reuse else next(it).pk
    stats: dict[int, list] = {}
    for donor, _idx, when, kind, _ml in donations:
        s = stats.setdefault(donor, [0, None, ""])
        s[0] += 1
        if s[1] is None or when >= s[1]:
            s[1], s[2] = when, kind
    reused_units = dict(Person.objects.filter(pk__in=list(reuse.values())).values_list("pk", "unit_id"))
    donor_objs = []
    for i in used:
        count, when, kind = stats.get(i, [0, None, ""])
        unit_id = reused_units.get(person_of[i]) or home[i].pk
        donor_objs.append(
            Donor(
                person_id=person_of[i],
                unit_id=unit_id,
                blood_group=group[i] if count else "",
                emergency_consent=bool(count) and rng.random() < 0.4,
                donation_count=count,
                last_donation_on=when,
                last_kind=kind,
            )
        )
    bulk.insert_many(Donor, donor_objs)
    donor_pk = {i: d.pk for i, d in zip(used, donor_objs, strict=True)}
    bulk.insert_many(Drive, drive_rows)
    Row = bulk.row_type(
        Donation,
        (
            "donor_id",
            "unit_id",
            "drive_id",
            "donated_on",
            "kind",
            "volume_ml",
            "bag_number",
            "adverse_event",
            "created_at",
        ),
    )
    now = dt.datetime.now(dt.UTC)
    seq = 0

    def rows():
        nonlocal seq
        for donor, idx, when, kind, ml in donations:
            seq += 1
            drive = drive_rows[idx] if idx >= 0 else None
            yield Row(
                donor_id=donor_pk[donor],
                unit_id=drive.unit_id if drive else city.pk,
                drive_id=drive.pk if drive else None,
                donated_on=when,
                kind=kind,
                volume_ml=ml,
                bag_number=f"VT{when:%y}{seq:08d}",
                adverse_event="Choáng nhẹ, đã hồi phục" if rng.random() < 0.004 else "",
                created_at=now,
            )

    bulk.insert(Row, rows())
    # Deferrals found at screening: about one visit in ten.
    deferrals = []
    for donor, idx, when, _kind, _ml in rng.sample(donations, k=len(donations) // 10):
        reason, days = rng.choice(DEFERRAL_REASONS)
        unit = drive_rows[idx].unit if idx >= 0 else city
        day_before = when - dt.timedelta(days=rng.randint(20, 60))
        deferrals.append(
            Deferral(
                donor_id=donor_pk[donor],
                unit=unit,
                on=day_before,
                until=day_before + dt.timedelta(days=days),
                reason=reason,
            )
        )
    bulk.insert_many(Deferral, deferrals)

    # The steering committee's targets for this year and the last: the city, and each commune.
    targets = []
    for year in (today.year - 1, today.year):
        targets.append(Target(unit=city, year=year, units=per_year))
        share = max(5, round(per_year * 0.6 / len(communes) / 5) * 5)
        targets += [Target(unit=u, year=year, units=share) for u in communes]
    bulk.insert_many(Target, targets)
    _upcoming(ctx, rng, city, commune_a, commune_b, viet_tiep, medic)
    _partner_targets(ctx, rng, city, today, per_year)
    _honours_awarded(ctx, today)
    _reminders(ctx, rng, commune_a)
    ctx.log(
        f"    blood: {len(donor_objs)} donors, {len(drive_rows)} past drives, {len(donations)} donations, "
        f"{len(deferrals)} deferrals"
    )


def _upcoming(ctx, rng, city, commune_a, commune_b, centre, medic) -> None:
    """The coming drives with registrations, and a drive under way today in Lê Chân and Ngô Quyền."""
    users = ctx.data["users"]
    today = timezone.localdate()  # the services' clock: a drive today must not be "in the past"
    organisers = {commune_a.pk: users["quanly.lechan"], commune_b.pk: users["quanly.ngoquyen"], city.pk: None}
    plans = [
        (commune_a, "Chủ nhật Đỏ phường Lê Chân", 0, 60),
        (commune_b, "Hiến máu tình nguyện phường Ngô Quyền", 0, 40),
        (commune_a, "Hiến máu tình nguyện Trường THPT Lê Chân", 9, 80),
        (commune_b, "Giọt hồng Ngô Quyền", 16, 60),
        (city, "Hành trình Đỏ Hải Phòng", 23, 500),
    ]
    for n, (unit, name, days, target) in enumerate(plans):
        drive = services.drive_create(
            actor=organisers[unit.pk],
            unit=unit,
            name=name,
            venue="Nhà văn hóa" if unit is not city else "Nhà thi đấu Lạch Tray",
            address="Số 12 Lạch Tray" if unit is not city else "Số 15 Lạch Tray",
            ward=unit.ward or commune_a.ward,
            date=today + dt.timedelta(days=days),
            starts_at=dt.time(7, 0),
            ends_at=dt.time(11, 0) if unit is not city else dt.time(16, 0),
            centre=centre,
            capacity_per_hour=max(10, target // 4),
            target_units=target,
        )
        for k in range(12 if unit is not city else 20):
            sex = "M" if rng.random() < 0.55 else "F"
            born = dt.date(today.year - rng.randint(19, 55), rng.randint(1, 12), rng.randint(1, 28))
            try:
                reg, _created = services.registration_create(
                    drive=drive,
                    full_name=person_name(rng, sex),
                    date_of_birth=born,
                    sex=sex,
                    phone=phone(rng),
                    slot=drive.slots()[k % len(drive.slots())],
                    weight=Decimal(rng.randint(48, 80)),
                    blood_group=rng.choice(["", "O+", "B+", "A+"]),
                )
            except ValidationError:
                continue
            if days == 0 and k < 6:
                visit = services.checkin(actor=organisers[unit.pk], drive=drive, registration=reg)
                accepted = k != 3
                services.screening_record(
                    actor=medic,
                    visit=visit,
                    weight=Decimal(rng.randint(50, 75)),
                    haemoglobin=rng.randint(125, 150) if accepted else 105,
                    bp_systolic=rng.randint(105, 135),
                    bp_diastolic=rng.randint(65, 85),
                    result="accepted" if accepted else "deferred",
                    deferral_reason="" if accepted else "Huyết sắc tố thấp",
                    deferred_until=None if accepted else today + dt.timedelta(days=90),
                )
                if accepted and k < 5:
                    services.donation_record(
                        actor=organisers[unit.pk],
                        visit=visit,
                        kind="whole",
                        volume_ml=350,
                        bag_number=f"VT{today:%y}D{n}{k:03d}",
                    )


def _partner_targets(ctx, rng, city, today, per_year) -> None:
    """Targets for partner schools and agencies too (their chi hội are units of the tree)."""

    partners = list(
        Unit.objects.filter(
            path__startswith=city.path, branch_type__in=[BranchType.SCHOOL, BranchType.AGENCY]
        ).order_by("code")[:12]
    )
    share = max(5, round(per_year * 0.01 / 5) * 5)
    bulk.insert_many(
        Target,
        [Target(unit=u, year=y, units=share) for u in partners for y in (today.year - 1, today.year)],
    )


def _honours_awarded(ctx, today) -> None:
    """Last year's ceremony: the honours written to the awards register (the high bands at city
    scale, to keep the seed quick; every band from 5 on otherwise)."""

    admin = ctx.data["users"]["admin.thanhpho"]
    bands = [b for b in HONOUR_BANDS if b >= (15 if ctx.scale == "city" else 5)]
    n = services.honours_award(
        actor=admin,
        year=today.year - 1,
        awarded_on=min(timezone.localdate(), dt.date(today.year, 1, 15)),
        level=AwardLevel.CITY,
        decision_number=f"05/QĐ-BCĐ {today.year}",
        issuer="Ban Chỉ đạo vận động hiến máu tình nguyện thành phố Hải Phòng",
        bands=bands,
    )
    ctx.log(f"    blood: {n} honours written to the awards register")


def _reminders(ctx, rng, commune_a) -> None:
    """Lê Chân donors who said yes to reminders on the public form, and today's reminders queued
    for the drives of the coming two weeks near them (the demo's outbox shows them)."""

    people = list(
        Donor.objects.filter(unit__path__startswith=commune_a.path)
        .select_related("person")
        .order_by("id")
        .values_list("person", flat=True)[:400]
    )
    for pk in rng.sample(people, k=min(len(people), 150)):
        consent_record(
            actor=None,
            channel=messages.CHANNEL,
            purpose=messages.REMINDER.code,
            granted=True,
            source=ConsentSource.FORM,
            person=Person.objects.get(pk=pk),
        )
    ctx.log(f"    blood: {messages.reminders_queue(timezone.localdate())} reminders queued")
