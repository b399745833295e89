"""Demo people for Hải Phòng: members, volunteers, collaborators, youth and staff.

`small` builds ~2,400 people (seconds); `city` builds Hải Phòng's real size,
~272,000 (the city society's 2022 figure), with bulk inserts.  Names are drawn
from Vietnamese name frequencies; CCCDs agree with birth date and sex (and are
unique); phones are Vietnamese mobile numbers; addresses are in the person's
real commune-level unit.  Deterministic for a given --seed.  Per-row audit
events are not written for demo data (one summary event is).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from nhandao.core import audit, bulk
from nhandao.core.demo_names import VILLAGE_NAMES, person_name, phone, street_address
from nhandao.core.seeding import SeedContext
from nhandao.org.models import Unit

from .choices import ETHNICITIES, Availability, ClubKind, ClubRole, RoleKind, RoleStatus, StaffType, YouthBand
from .lookups import ensure_lookups
from .models import (
    Award,
    Club,
    ClubMember,
    DuesPayment,
    DuesRate,
    Person,
    PersonRole,
    Skill,
    TrainingCourse,
    TrainingParticipant,
    TrainingSession,
    VolunteerHours,
)
from .services import refresh_stats
from .services.activities import _add_months

BATCH = 5000
# Provinces where people living in Hải Phòng were born (CCCD prefixes): mostly Hải Phòng and Hải Dương.
BIRTH_PROVINCES = [("031", 70), ("030", 18), ("034", 3), ("022", 3), ("001", 3), ("036", 2), ("033", 1)]
ETHNIC = [("01", 985), ("04", 6), ("02", 3), ("06", 2), ("07", 2), ("05", 1), ("08", 1)]
OCCUPATIONS = [
    "Hưu trí",
    "Công nhân",
    "Nông dân",
    "Giáo viên",
    "Cán bộ",
    "Kinh doanh",
    "Học sinh",
    "Sinh viên",
    "Y tá",
    "Lái xe",
    "Nội trợ",
    "Ngư dân",
]


def _occupation(rng: random.Random, age: int) -> str:
    if age < 18:
        return "Học sinh"
    if age < 23:
        return rng.choice(["Sinh viên", "Sinh viên", "Công nhân"])
    if age >= 60:
        return rng.choice(["Hưu trí", "Hưu trí", "Nông dân", "Nội trợ"])
    return rng.choice([o for o in OCCUPATIONS if o not in ("Hưu trí", "Học sinh", "Sinh viên")])


def _token(rng: random.Random) -> str:
    return f"{rng.getrandbits(120):030x}"


class _Ids:
    """Unique CCCDs consistent with birth year and sex."""

    def __init__(self, rng):
        self.rng = rng
        self.used: set[str] = set()
        self.codes, self.weights = zip(*BIRTH_PROVINCES, strict=True)

    def cccd(self, year: int, sex: str) -> str:
        century = (year - 1900) // 100
        digit = century * 2 + (1 if sex == "F" else 0)
        prefix = self.rng.choices(self.codes, self.weights)[0] + str(digit) + f"{year % 100:02d}"
        while True:
            number = prefix + f"{self.rng.randrange(1_000_000):06d}"
            if number not in self.used:
                self.used.add(number)
                return number


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("people")
    ensure_lookups()
    today = ctx.today
    communes: dict[str, Unit] = ctx.data["communes"]
    branches_by_commune: dict[int, list[Unit]] = {}
    for branch in ctx.data["branches"]:
        branches_by_commune.setdefault(branch.parent_id, []).append(branch)
    total = ctx.params["people_total"]
    # Bigger communes have more members: weight by number of branches (already proportional).
    weights = [len(branches_by_commune.get(u.pk, [])) + 2 for u in communes.values()]
    commune_list = list(communes.values())
    per_commune = [max(5, round(total * w / sum(weights))) for w in weights]
    # The demo communes A and B always have enough people to try every page.
    for i, unit in enumerate(commune_list):
        if unit.pk in (ctx.data["commune_a"].pk, ctx.data["commune_b"].pk):
            per_commune[i] = max(per_commune[i], 120)

    ids = _Ids(rng)
    skills = list(Skill.objects.all())
    ethnic_codes, ethnic_weights = zip(*ETHNIC, strict=True)
    valid_ethnic = {c for c, _n in ETHNICITIES}
    assert set(ethnic_codes) <= valid_ethnic

    DuesRate.objects.create(
        unit=ctx.data["city"], year=today.year, amount=24000, note="Mức thu chung toàn thành phố"
    )
    DuesRate.objects.create(
        unit=ctx.data["city"], year=today.year - 1, amount=24000, note="Mức thu chung toàn thành phố"
    )

    people_made = roles_made = 0
    pending_people: list[tuple[Person, list[dict]]] = []
    card_counters: dict[int, int] = {}

    def flush():
        nonlocal people_made, roles_made
        if not pending_people:
            return
        objs = [p for p, _r in pending_people]
        bulk.insert_many(Person, objs, batch_size=BATCH)
        roles, dues, hours, person_skills = [], [], [], []
        Through = Person.skills.through
        for person, specs in pending_people:
            for spec in specs:
                role = PersonRole(person=person, status=RoleStatus.ACTIVE, **spec)
                if role.kind == RoleKind.MEMBER:
                    n = card_counters[role.unit.pk] = card_counters.get(role.unit.pk, 0) + 1
                    role.card_number = f"{role.unit.code.replace('.', '-')}-{n:05d}"
                    role.card_token = _token(rng)
                    role.card_issued_on = role.started_on
                    for year in (today.year - 1, today.year):
                        r = rng.random()
                        if r < 0.72:
                            dues.append(
                                DuesPayment(
                                    person=person,
                                    unit=role.unit,
                                    year=year,
                                    amount=24000,
                                    paid_on=min(
                                        today,
                                        dt.date(
                                            year,
                                            rng.randint(1, today.month if year == today.year else 12),
                                            rng.randint(1, 28),
                                        ),
                                    ),
                                )
                            )
                        elif r < 0.76:
                            dues.append(
                                DuesPayment(
                                    person=person,
                                    unit=role.unit,
                                    year=year,
                                    exempt=True,
                                    exempt_reason=rng.choice(
                                        ["Hộ nghèo", "Người cao tuổi neo đơn", "Học sinh"]
                                    ),
                                )
                            )
                if role.kind == RoleKind.VOLUNTEER:
                    for _ in range(rng.choice([0, 0, 1, 2, 3, 4, 6])):
                        day = today - dt.timedelta(days=rng.randint(1, 700))
                        hours.append(
                            VolunteerHours(
                                person=person,
                                unit=role.unit,
                                date=day,
                                hours=Decimal(rng.choice([2, 3, 4, 4, 6, 8])),
                                activity=rng.choice(
                                    [
                                        "Tháng Nhân đạo",
                                        "Hiến máu tình nguyện",
                                        "Tết Nhân ái",
                                        "Cứu trợ bão lụt",
                                        "Sơ cấp cứu tại sự kiện",
                                        "Thăm hộ nghèo",
                                    ]
                                ),
                            )
                        )
                roles.append(role)
            if person.occupation in ("Y tá", "Lái xe") or rng.random() < 0.05:
                for skill in rng.sample(skills, k=rng.randint(1, 2)):
                    person_skills.append(Through(person_id=person.pk, skill_id=skill.pk))
        bulk.insert_many(PersonRole, roles, batch_size=BATCH)
        bulk.insert_many(DuesPayment, dues, batch_size=BATCH)
        bulk.insert_many(VolunteerHours, hours, batch_size=BATCH)
        Through.objects.bulk_create(person_skills, batch_size=BATCH, ignore_conflicts=True)
        people_made += len(objs)
        roles_made += len(roles)
        pending_people.clear()

    for commune, count in zip(commune_list, per_commune, strict=True):
        branches = branches_by_commune.get(commune.pk) or [commune]
        ward = commune.ward
        rural = ward.division_type == "xã"
        for _ in range(count):
            r = rng.random()
            if r < 0.70:
                kind, low, high = RoleKind.MEMBER, 18, 85
            elif r < 0.90:
                kind, low, high = RoleKind.VOLUNTEER, 18, 45
            elif r < 0.94:
                kind, low, high = RoleKind.COLLABORATOR, 22, 60
            elif r < 0.99:
                kind, low, high = RoleKind.YOUTH, 12, 30
            else:
                kind, low, high = RoleKind.STAFF, 25, 60
            sex = "F" if rng.random() < 0.58 else "M"
            age = rng.randint(low, high)
            year = today.year - age
            dob = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            year_only = rng.random() < 0.08 and age > 40
            ident = rng.random()
            unit = rng.choice(branches)
            person = Person(
                full_name=person_name(rng, sex),
                sex=sex,
                date_of_birth=None if year_only else dob,
                birth_year=year,
                cccd=ids.cccd(year, sex) if ident < 0.85 and age >= 14 else None,
                legacy_id_number=f"03{rng.randrange(10**7):07d}" if 0.85 <= ident < 0.88 and age > 30 else "",
                phone=phone(rng) if rng.random() < 0.9 else "",
                ethnicity=rng.choices(ethnic_codes, ethnic_weights)[0],
                ward=ward,
                address_detail=(f"Thôn {rng.choice(VILLAGE_NAMES)}" if rural else street_address(rng)),
                occupation=_occupation(rng, age),
                unit=unit,
            )
            person.refresh_keys()
            started = dt.date(max(year + low, today.year - rng.randint(0, 25)), rng.randint(1, 12), 1)
            started = min(started, today)
            specs = [{"unit": unit, "kind": kind, "started_on": started}]
            if kind == RoleKind.VOLUNTEER:
                specs[0]["availability"] = rng.choice(Availability.values)
            if kind == RoleKind.YOUTH:
                specs[0]["youth_band"] = YouthBand.TEEN if age <= 15 else YouthBand.YOUTH
            if kind == RoleKind.STAFF:
                specs[0]["unit"] = commune
                specs[0]["staff_type"] = rng.choice(
                    [StaffType.FULL_TIME, StaffType.PART_TIME, StaffType.PART_TIME]
                )
                specs[0]["position"] = rng.choice(
                    ["Chủ tịch Hội", "Phó Chủ tịch Hội", "Cán bộ chuyên trách", "Kế toán"]
                )
            if kind == RoleKind.MEMBER and age <= 45 and rng.random() < 0.15:
                specs.append(
                    {
                        "unit": unit,
                        "kind": RoleKind.VOLUNTEER,
                        "started_on": started,
                        "availability": rng.choice(Availability.values),
                    }
                )
            pending_people.append((person, specs))
            if len(pending_people) >= BATCH:
                flush()
        flush()

    _seed_clubs_and_training(ctx, rng, commune_list, branches_by_commune)
    refresh_stats()
    with transaction.atomic():
        audit.record(
            actor=None,
            action="people.seeded",
            unit=ctx.data["city"],
            object_type_label="people.person",
            object_id="",
            object_repr=f"{people_made} người",
            data={"people": people_made, "roles": roles_made, "scale": ctx.scale},
        )
    ctx.log(f"  people: {people_made} người, {roles_made} vai trò")


def _seed_clubs_and_training(ctx, rng, communes, branches_by_commune):
    today = ctx.today
    courses = list(TrainingCourse.objects.all())
    clubs, members, sessions, participants, awards = [], [], [], [], []
    for commune in communes:
        pool = list(
            Person.objects.filter(unit__in=[commune, *branches_by_commune.get(commune.pk, [])])
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        if len(pool) < 10:
            continue
        for kind, name in rng.sample(
            [
                (ClubKind.FIRST_AID, f"Đội sơ cấp cứu {commune.ward.short_name}"),
                (ClubKind.RAPID_RESPONSE, f"Đội xung kích {commune.ward.short_name}"),
                (ClubKind.DISASTER, f"Đội ứng phó thảm họa {commune.ward.short_name}"),
                (ClubKind.CLUB, f"CLB hiến máu tình nguyện {commune.ward.short_name}"),
                (ClubKind.CLUB, f"CLB thanh niên CTĐ {commune.ward.short_name}"),
            ],
            k=2,
        ):
            club = Club(
                unit=commune,
                name=name,
                kind=kind,
                founded_on=dt.date(rng.randint(2010, 2024), rng.randint(1, 12), 1),
            )
            club.search_key = name.lower()
            clubs.append((club, rng.sample(pool, k=min(len(pool), rng.randint(8, 20)))))
        course = rng.choice(courses)
        start = today - dt.timedelta(days=rng.randint(30, 800))
        session = TrainingSession(
            course=course,
            unit=commune,
            title=f"{course.name} — {commune.ward.short_name}",
            starts_on=start,
            ends_on=start + dt.timedelta(days=2),
            location=f"Hội trường {commune.ward.name}",
            trainer="Giảng viên Hội CTĐ thành phố",
        )
        sessions.append((session, rng.sample(pool, k=min(len(pool), rng.randint(15, 30)))))
        for pk in rng.sample(pool, k=2):
            awards.append(
                Award(
                    person_id=pk,
                    unit=commune,
                    title=rng.choice(
                        [
                            "Giấy khen của Hội CTĐ thành phố",
                            "Bằng khen của Trung ương Hội",
                            "Giấy khen của Ủy ban nhân dân",
                        ]
                    ),
                    level=rng.choice(["city", "national", "commune"]),
                    awarded_on=today - dt.timedelta(days=rng.randint(30, 1500)),
                    decision_number=f"{rng.randint(10, 999)}/QĐ-CTĐ",
                )
            )
    for club, _pks in clubs:
        club.save()
    for club, pks in clubs:
        for i, pk in enumerate(pks):
            members.append(
                ClubMember(
                    club=club,
                    person_id=pk,
                    role=ClubRole.LEADER if i == 0 else ClubRole.MEMBER,
                    joined_on=club.founded_on,
                )
            )
    ClubMember.objects.bulk_create(members, batch_size=BATCH)
    TrainingSession.objects.bulk_create([s for s, _p in sessions], batch_size=BATCH)
    for session, pks in sessions:
        months = session.course.validity_months
        for pk in pks:
            passed = rng.random() < 0.9
            issued = session.ends_on if passed else None
            expires = None
            if passed and months:
                expires = _add_months(issued, months)
            participants.append(
                TrainingParticipant(
                    session=session,
                    person_id=pk,
                    passed=passed,
                    certificate_number=f"CN-{session.pk}-{pk}" if passed else "",
                    certificate_issued_on=issued,
                    certificate_expires_on=expires,
                )
            )
    TrainingParticipant.objects.bulk_create(participants, batch_size=BATCH)
    Award.objects.bulk_create(awards, batch_size=BATCH)
    ctx.log(f"  people: {len(clubs)} câu lạc bộ, đội; {len(sessions)} lớp tập huấn")
