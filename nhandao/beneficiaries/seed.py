"""Demo beneficiaries for Hải Phòng: households and individuals in hardship, their sponsors
(humanitarian addresses) and five years of help given.

`small` builds a few hundred cases in a second or two; `city` builds Hải Phòng's
size for the benchmarks: ~30,000 households, 5,000 humanitarian addresses and
200,000 help records over five years, with bulk inserts.  Household members
are new Person records (one identity), except that some heads are elderly
members already in the people registry.  Categories carry evidence (poor-
household certificates per year); most cases agreed to share, some did not;
a few help records are cancelled or were recorded as double help with a
reason.  Deterministic for a given --seed; per-row audit events are not
written for demo data (one summary event is).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from nhandao.core import audit
from nhandao.core.bulk import insert_many, update_many
from nhandao.core.choices import ContentArea
from nhandao.core.demo_names import VILLAGE_NAMES, person_name, phone, street_address
from nhandao.core.seeding import SeedContext
from nhandao.core.text import search_key
from nhandao.org.models import Unit
from nhandao.people.models import Person, PersonRole

from .choices import (
    COMMITMENT_HELP_KIND,
    PERIOD_DAYS,
    CaseKind,
    CaseStatus,
    CloseReason,
    CommitmentKind,
    CommitmentStatus,
    ConsentPurpose,
    HelpStatus,
    Period,
    Relationship,
    SourceType,
    SponsorKind,
)
from .lookups import ensure_lookups
from .models import (
    Case,
    CaseCategory,
    CaseStep,
    Category,
    Commitment,
    Consent,
    HelpRecord,
    HelpVolunteer,
    Member,
    Sponsor,
)
from .seed_data import CAMPAIGNS, EVERYDAY, SPONSOR_ORGS, TET, YAGI
from .services.cases import case_keys
from .services.help import next_due
from .services.stats import refresh_stats

BATCH = 5000


class _Ids:
    """Unique CCCDs (against the people registry's) consistent with birth year and sex."""

    def __init__(self, rng, used: set[str]):
        self.rng = rng
        self.used = used

    def cccd(self, year: int, sex: str) -> str:
        digit = ((year - 1900) // 100) * 2 + (1 if sex == "F" else 0)
        prefix = self.rng.choice(["031", "031", "031", "030"]) + str(digit) + f"{year % 100:02d}"
        while True:
            number = prefix + f"{self.rng.randrange(1_000_000):06d}"
            if number not in self.used:
                self.used.add(number)
                return number


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("beneficiaries")
    ensure_lookups()
    seeder = _Seeder(ctx, rng)
    seeder.run()


class _Seeder:
    def __init__(self, ctx: SeedContext, rng: random.Random):
        self.ctx = ctx
        self.rng = rng
        self.today = ctx.today
        self.params = ctx.params
        self.categories = {c.code: c for c in Category.objects.all()}
        self.ids = _Ids(rng, set(Person.objects.exclude(cccd=None).values_list("cccd", flat=True)))
        self.communes: list[Unit] = list(ctx.data["communes"].values())
        self.branches: dict[int, list[Unit]] = defaultdict(list)
        for branch in ctx.data["branches"]:
            self.branches[branch.parent_id].append(branch)

    # Households -------------------------------------------------------------------------------
    def _counts(self) -> list[int]:
        total = self.params["beneficiary_households"]
        weights = [len(self.branches.get(u.pk, [])) + 2 for u in self.communes]
        counts = [max(2, round(total * w / sum(weights))) for w in weights]
        for i, unit in enumerate(self.communes):
            if unit.pk in (self.ctx.data["commune_a"].pk, self.ctx.data["commune_b"].pk):
                counts[i] = max(counts[i], 60)
        return counts

    def _person(self, unit, ward, detail, sex, age) -> Person:
        rng = self.rng
        year = self.today.year - age
        dob = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        person = Person(
            full_name=person_name(rng, sex),
            sex=sex,
            date_of_birth=None if (age > 60 and rng.random() < 0.3) else dob,
            birth_year=year,
            cccd=self.ids.cccd(year, sex) if age >= 14 and rng.random() < 0.85 else None,
            phone=phone(rng) if age >= 18 and rng.random() < 0.6 else "",
            ward=ward,
            address_detail=detail,
            occupation=(
                "Học sinh"
                if age < 18
                else rng.choice(
                    ["Lao động tự do", "Nông dân", "Hưu trí", "Nội trợ", "Ngư dân", "Không có việc làm"]
                )
            ),
            unit=unit,
        )
        person.refresh_keys()
        return person

    def run(self) -> None:
        ctx = self.ctx
        elders = self._elderly_members()
        people: list[Person] = []
        cases: list[Case] = []
        plans: list[dict] = []
        for commune, count in zip(self.communes, self._counts(), strict=True):
            ward = commune.ward
            rural = ward.division_type == "xã"
            branches = [b for b in self.branches.get(commune.pk, []) if b.branch_type == "residential"]
            pool = elders.get(commune.pk, [])
            for _ in range(count):
                plan = self._plan_case(commune, ward, rural, branches, pool)
                people.extend(p for p in plan["people"] if p.pk is None)
                cases.append(plan["case"])
                plans.append(plan)
        insert_many(Person, people, batch_size=BATCH)
        for plan in plans:
            plan["case"].head = plan["people"][0]
        insert_many(Case, cases, batch_size=BATCH)
        self._seed_rows(plans)
        sponsors = self._seed_sponsors()
        commitments = self._seed_commitments(plans, sponsors)
        help_count = self._seed_help(plans, commitments)
        # Derived columns.
        for plan in plans:
            case = plan["case"]
            case_keys(case, plan["people"][0], plan["people"][1:])
            case.member_count = len(plan["people"])
            case.last_help_on = plan.get("last_help")
        update_many(
            Case,
            cases,
            [
                "head_key",
                "sort_key",
                "address_key",
                "search_key",
                "member_count",
                "last_help_on",
                "share_consent",
            ],
            batch_size=2000,
        )
        update_many(
            Commitment,
            commitments,
            ["delivered_count", "delivered_value", "last_delivery_on", "next_due_on"],
            batch_size=2000,
        )
        refresh_stats()
        with transaction.atomic():
            audit.record(
                actor=None,
                action="beneficiaries.seeded",
                unit=ctx.data["city"],
                object_type_label="beneficiaries.case",
                object_id="",
                object_repr=f"{len(cases)} hồ sơ",
                data={
                    "cases": len(cases),
                    "people": len(people),
                    "sponsors": len(sponsors),
                    "commitments": len(commitments),
                    "help_records": help_count,
                    "scale": ctx.scale,
                },
            )
        ctx.log(
            f"  beneficiaries: {len(cases)} hồ sơ, {len(people)} người mới, {len(commitments)} địa chỉ nhân đạo, "
            f"{help_count} lần trợ giúp"
        )

    def _elderly_members(self) -> dict[int, list[Person]]:
        """Members of the registry aged 60+, per commune: some of them are beneficiaries too."""
        result: dict[int, list[Person]] = defaultdict(list)
        commune_of = {b.pk: b.parent_id for bs in self.branches.values() for b in bs}
        commune_of.update({c.pk: c.pk for c in self.communes})
        year = self.today.year - 60
        seen = set()
        for person in (
            Person.objects.filter(birth_year__lte=year, roles__kind="member", cccd__isnull=False)
            .order_by("pk")
            .only(
                "pk",
                "full_name",
                "name_key",
                "sort_key",
                "phone",
                "unit_id",
                "birth_year",
                "sex",
                "ward_id",
                "address_detail",
            )[: max(50, self.params["beneficiary_households"] // 20)]
        ):
            if person.pk in seen:
                continue
            seen.add(person.pk)
            commune = commune_of.get(person.unit_id)
            if commune is not None:
                result[commune].append(person)
        return result

    def _plan_case(self, commune, ward, rural, branches, pool) -> dict:
        rng, today = self.rng, self.today
        unit = rng.choice(branches) if branches and rng.random() < 0.3 else commune
        detail = f"Thôn {rng.choice(VILLAGE_NAMES)}" if rural else street_address(rng)
        individual = rng.random() < 0.2
        r = rng.random()
        if r < 0.10:
            status = CaseStatus.PROPOSED
        elif r < 0.17:
            status = CaseStatus.REVIEWED
        elif r < 0.30:
            status = CaseStatus.CONFIRMED
        elif r < 0.88:
            status = CaseStatus.ACTIVE
        else:
            status = CaseStatus.CLOSED
        opened = today - dt.timedelta(days=rng.randint(30, 5 * 365))
        people: list[Person] = []
        relationships: list[str] = []
        codes: list[tuple[str, int]] = []  # (category code, index of the person it concerns or -1)
        if individual:
            kind = rng.random()
            if kind < 0.45:
                age, codes = rng.randint(70, 95), [("cao-tuoi-co-don", 0)]
            elif kind < 0.7:
                age, codes = rng.randint(20, 70), [("khuyet-tat", 0)]
            elif kind < 0.85:
                age, codes = rng.randint(6, 16), [("tre-mo-coi", 0)]
            else:
                age, codes = (
                    rng.randint(30, 75),
                    [(rng.choice(["benh-hiem-ngheo", "rui-ro", "chat-doc-da-cam"]), 0)],
                )
            sex = "F" if rng.random() < 0.55 else "M"
            if pool and age >= 60 and rng.random() < 0.3:
                people.append(pool.pop())
            else:
                people.append(self._person(unit, ward, detail, sex, age))
            relationships.append(Relationship.SELF)
        else:
            head_age = rng.randint(30, 85)
            sex = "M" if rng.random() < 0.6 else "F"
            if pool and head_age >= 60 and rng.random() < 0.1:
                people.append(pool.pop())
            else:
                people.append(self._person(unit, ward, detail, sex, head_age))
            relationships.append(Relationship.HEAD)
            size = rng.choices([1, 2, 3, 4, 5], [2, 3, 3, 2, 1])[0]
            for i in range(size):
                if i == 0 and head_age < 75:
                    rel, age, msex = (
                        Relationship.SPOUSE,
                        max(20, head_age + rng.randint(-6, 4)),
                        "F" if sex == "M" else "M",
                    )
                elif head_age >= 60:
                    rel, age, msex = Relationship.GRANDCHILD, rng.randint(3, 17), rng.choice("MF")
                else:
                    rel, age, msex = (
                        Relationship.CHILD,
                        rng.randint(1, max(1, head_age - 20)),
                        rng.choice("MF"),
                    )
                people.append(self._person(unit, ward, detail, msex, age))
                relationships.append(rel)
            poverty = rng.random()
            if poverty < 0.45:
                codes.append(("ho-ngheo", -1))
            elif poverty < 0.85:
                codes.append(("ho-can-ngheo", -1))
            extra = rng.random()
            if extra < 0.12:
                codes.append(("nguoi-co-cong", -1))
            elif extra < 0.22:
                codes.append(("bao-tro-xa-hoi", 0))
            elif extra < 0.30:
                codes.append(("khuyet-tat", rng.randrange(len(people))))
            elif extra < 0.33:
                codes.append(("chat-doc-da-cam", 0))
            elif extra < 0.38 and opened <= YAGI:
                codes.append(("thien-tai", -1))
            if not codes:
                codes.append(("rui-ro", -1))
        case = Case(
            kind=CaseKind.INDIVIDUAL if individual else CaseKind.HOUSEHOLD,
            status=status,
            unit=unit,
            commune=commune,
            ward=ward,
            address_detail=detail,
            phone=people[0].phone or (phone(rng) if rng.random() < 0.5 else ""),
            circumstances=rng.choice(
                [
                    "Chủ hộ ốm đau thường xuyên, không có thu nhập ổn định.",
                    "Hộ không có đất sản xuất, lao động chính làm thuê theo mùa.",
                    "Nhà ở xuống cấp, dột nát sau bão số 3 (Yagi).",
                    "Có người khuyết tật cần người chăm sóc thường xuyên.",
                    "Người cao tuổi sống một mình, con cái ở xa.",
                    "Chồng mất sớm, một mình nuôi con nhỏ.",
                    "",
                ]
            ),
            household_size=None if individual else len(people) + (1 if rng.random() < 0.2 else 0),
            share_consent=rng.random() < 0.8,
        )
        return {
            "case": case,
            "people": people,
            "relationships": relationships,
            "codes": codes,
            "opened": opened,
            "status": status,
        }

    def _seed_rows(self, plans) -> None:
        """Members, categories, consents and workflow steps of every case."""
        rng, today = self.rng, self.today
        members, items, consents, steps = [], [], [], []
        for plan in plans:
            case, opened, status = plan["case"], plan["opened"], plan["status"]
            for person, rel in zip(plan["people"], plan["relationships"], strict=True):
                members.append(Member(case=case, person=person, relationship=rel, joined_on=opened))
            for code, who in plan["codes"]:
                category = self.categories[code]
                person = plan["people"][who] if who >= 0 else None
                if category.yearly:
                    for year in range(max(opened.year, today.year - 4), today.year + 1):
                        items.append(
                            CaseCategory(
                                case=case,
                                category=category,
                                evidence_number=f"{rng.randint(1, 400)}/GCN-UBND",
                                evidence_year=year,
                                evidence_issuer=f"UBND {case.ward.name}",
                                valid_from=dt.date(year, 1, 1),
                                valid_to=dt.date(year, 12, 31),
                            )
                        )
                else:
                    items.append(
                        CaseCategory(
                            case=case,
                            category=category,
                            person=person,
                            evidence_number=f"{rng.randint(10, 999)}/QĐ-UBND"
                            if category.requires_evidence
                            else "",
                            valid_from=opened,
                        )
                    )
            head = plan["people"][0]
            collector = "Cán bộ Hội CTĐ " + case.ward.short_name
            consents.append(
                Consent(
                    case=case,
                    person=head,
                    purpose=ConsentPurpose.PROCESS,
                    given_on=opened,
                    form_version="PĐY-01/2025",
                    collected_by=collector,
                )
            )
            if case.share_consent:
                consents.append(
                    Consent(
                        case=case,
                        person=head,
                        purpose=ConsentPurpose.SHARE,
                        given_on=opened,
                        form_version="PĐY-01/2025",
                        collected_by=collector,
                    )
                )
            day = opened
            steps.append(
                CaseStep(case=case, status=CaseStatus.PROPOSED, on=day, actor_label="Cán bộ nhập liệu")
            )
            order = [CaseStatus.REVIEWED, CaseStatus.CONFIRMED, CaseStatus.ACTIVE]
            reached = {
                CaseStatus.PROPOSED: 0,
                CaseStatus.REVIEWED: 1,
                CaseStatus.CONFIRMED: 2,
                CaseStatus.ACTIVE: 3,
                CaseStatus.CLOSED: 3,
            }[status]
            for step in order[:reached]:
                day = min(today, day + dt.timedelta(days=rng.randint(5, 25)))
                reference = ""
                if step == CaseStatus.REVIEWED:
                    case.reviewed_on = day
                    case.review_minutes = reference = f"Biên bản họp thôn, tổ ngày {day:%d/%m/%Y}"
                elif step == CaseStatus.CONFIRMED:
                    case.confirmed_on = day
                    case.confirmation_ref = reference = f"{rng.randint(10, 300)}/XN-UBND"
                else:
                    case.activated_on = day
                steps.append(
                    CaseStep(
                        case=case, status=step, on=day, actor_label="Hội Chữ thập đỏ", reference=reference
                    )
                )
            plan["helpable_from"] = day if reached >= 2 else None
            if status == CaseStatus.CLOSED:
                closed = min(today, day + dt.timedelta(days=rng.randint(120, 900)))
                case.closed_on = closed
                case.close_reason = rng.choice(
                    [CloseReason.IMPROVED, CloseReason.IMPROVED, CloseReason.MOVED, CloseReason.DECEASED]
                )
                plan["helpable_to"] = closed
                steps.append(
                    CaseStep(case=case, status=CaseStatus.CLOSED, on=closed, actor_label="Hội Chữ thập đỏ")
                )
            else:
                plan["helpable_to"] = today
        insert_many(Member, members, batch_size=BATCH)
        insert_many(CaseCategory, items, batch_size=BATCH)
        insert_many(Consent, consents, batch_size=BATCH)
        insert_many(CaseStep, steps, batch_size=BATCH)
        update_many(
            Case,
            [p["case"] for p in plans],
            [
                "reviewed_on",
                "review_minutes",
                "confirmed_on",
                "confirmation_ref",
                "activated_on",
                "closed_on",
                "close_reason",
            ],
            batch_size=2000,
        )

    # Sponsors and commitments ---------------------------------------------------------------------
    def _seed_sponsors(self) -> list[Sponsor]:
        rng = self.rng
        count = max(20, self.params["humanitarian_addresses"] // 3)
        city = self.ctx.data["city"]
        sponsors = []
        for i in range(count):
            r = rng.random()
            commune = rng.choice(self.communes)
            if r < 0.45:
                name = SPONSOR_ORGS[i % len(SPONSOR_ORGS)]
                if i >= len(SPONSOR_ORGS):
                    name = f"{name} ({commune.ward.short_name})"
                sponsor = Sponsor(
                    kind=SponsorKind.ORGANISATION,
                    name=name,
                    contact_person=person_name(rng, rng.choice("MF")),
                )
                sponsor.unit = city if i < len(SPONSOR_ORGS) else commune
            elif r < 0.85:
                sex = rng.choice("MF")
                sponsor = Sponsor(kind=SponsorKind.PERSON, name=person_name(rng, sex), unit=commune)
            else:
                branch = rng.choice(self.branches.get(commune.pk) or [commune])
                sponsor = Sponsor(kind=SponsorKind.UNIT, name=branch.name, sponsor_unit=branch, unit=commune)
            sponsor.phone = phone(rng)
            sponsor.search_key = search_key(sponsor.name, sponsor.contact_person, sponsor.phone)[:300]
            sponsors.append(sponsor)
        insert_many(Sponsor, sponsors, batch_size=BATCH)
        return sponsors

    def _seed_commitments(self, plans, sponsors) -> list[Commitment]:
        rng, today = self.rng, self.today
        eligible = [p for p in plans if p.get("helpable_from")]
        rng.shuffle(eligible)
        local = defaultdict(list)
        shared = []
        for s in sponsors:
            (shared if s.unit_id == self.ctx.data["city"].pk else local[s.unit_id]).append(s)
        commitments = []
        for plan in eligible[: self.params["humanitarian_addresses"]]:
            case = plan["case"]
            sponsor = rng.choice(local.get(case.commune_id) or shared or sponsors)
            if sponsor.unit_id not in (case.commune_id, self.ctx.data["city"].pk):
                sponsor = rng.choice(shared or sponsors)
            start = plan["helpable_from"] + dt.timedelta(days=rng.randint(0, 200))
            if start > today:
                start = plan["helpable_from"]
            r = rng.random()
            if r < 0.6:
                kind, period = CommitmentKind.CASH_MONTHLY, Period.MONTHLY
                amount = rng.choice([300_000, 500_000, 500_000, 700_000, 1_000_000])
                description = f"Hỗ trợ {amount // 1000}.000 đồng mỗi tháng"
            elif r < 0.75:
                kind, period, amount = CommitmentKind.GOODS, Period.QUARTERLY, rng.choice([400_000, 600_000])
                description = "Gạo, dầu ăn, sữa mỗi quý"
            elif r < 0.9:
                kind, period, amount = (
                    CommitmentKind.TUITION,
                    Period.TERM,
                    rng.choice([1_500_000, 2_000_000, 3_000_000]),
                )
                description = "Học bổng mỗi học kỳ đến hết cấp học"
            elif r < 0.96:
                kind, period, amount = (
                    CommitmentKind.MEDICAL,
                    Period.QUARTERLY,
                    rng.choice([1_000_000, 2_000_000]),
                )
                description = "Chi phí thuốc và khám định kỳ"
            else:
                kind, period, amount = (
                    CommitmentKind.HOUSE,
                    Period.ONCE,
                    rng.choice([50_000_000, 60_000_000, 80_000_000]),
                )
                description = "Xây mới nhà nhân đạo"
            ends = start + dt.timedelta(days=rng.choice([365, 730, 1095]))
            closed_at = plan["helpable_to"]
            status = CommitmentStatus.ACTIVE
            ended_on = None
            if closed_at < today:
                status, ended_on = CommitmentStatus.ENDED, max(start, closed_at)
            elif ends < today and rng.random() < 0.7:
                status, ended_on = CommitmentStatus.ENDED, ends
            commitment = Commitment(
                case=case,
                sponsor=sponsor,
                unit=case.unit,
                kind=kind,
                description=description,
                amount=amount,
                period=period,
                starts_on=start,
                ends_on=ends,
                status=status,
                ended_on=ended_on,
                end_reason="Hết thời hạn cam kết"
                if ended_on and ended_on == ends
                else ("Hồ sơ đóng" if ended_on else ""),
            )
            commitment.plan = plan
            commitments.append(commitment)
        insert_many(Commitment, commitments, batch_size=BATCH)
        return commitments

    # Help --------------------------------------------------------------------------------------------
    def _volunteers(self) -> dict[int, list[int]]:
        commune_of = {b.pk: b.parent_id for bs in self.branches.values() for b in bs}
        commune_of.update({c.pk: c.pk for c in self.communes})
        result = defaultdict(list)
        for person_id, unit_id in PersonRole.objects.filter(kind="volunteer", status="active").values_list(
            "person_id", "unit_id"
        ):
            commune = commune_of.get(unit_id)
            if commune is not None and len(result[commune]) < 40:
                result[commune].append(person_id)
        return result

    def _seed_help(self, plans, commitments) -> int:
        rng, today = self.rng, self.today
        budget = self.params["help_records"]
        city = self.ctx.data["city"]
        volunteers = self._volunteers()
        records: list[HelpRecord] = []
        by_case: dict[int, list[HelpRecord]] = defaultdict(list)

        def add(
            plan,
            date,
            kind,
            value,
            description,
            source_type,
            source,
            campaign="",
            area=ContentArea.RELIEF,
            commitment=None,
            delivering=None,
        ):
            case = plan["case"]
            record = HelpRecord(
                case=case,
                unit_id=case.unit_id,
                delivering_unit=delivering or case.commune,
                date=date,
                kind=kind,
                area=area,
                value=value,
                description=description,
                source_type=source_type,
                source=source,
                sponsor=commitment.sponsor if commitment else None,
                commitment=commitment,
                campaign=campaign,
                campaign_key=search_key(campaign)[:200],
                status=HelpStatus.VALID,
            )
            records.append(record)
            by_case[case.pk].append(record)
            return record

        # Deliveries against the humanitarian addresses (the late ones stopped two or three periods ago).
        for c in commitments:
            days = PERIOD_DAYS[c.period]
            end = min(c.ended_on or c.ends_on or today, today)
            late = c.status == CommitmentStatus.ACTIVE and rng.random() < 0.12
            if late:
                end = min(end, today - dt.timedelta(days=(days or 30) * rng.randint(2, 3)))
            day = c.starts_on + dt.timedelta(days=rng.randint(0, 10))
            while day <= end:
                add(
                    c.plan,
                    day,
                    COMMITMENT_HELP_KIND[c.kind],
                    c.amount,
                    c.description,
                    SourceType.SPONSOR,
                    c.sponsor.name,
                    commitment=c,
                )
                if days is None:
                    break
                day += dt.timedelta(days=days - rng.randint(0, 3))
        # Campaigns and one-off help, year by year, until the budget is spent.
        helpable = [p for p in plans if p.get("helpable_from")]
        years = list(range(today.year - 4, today.year + 1))
        one_offs = []
        for year in years:
            tet = TET.get(year, dt.date(year, 2, 1))
            for plan in helpable:
                start, stop = plan["helpable_from"], plan["helpable_to"]
                gift_day = tet - dt.timedelta(days=rng.randint(3, 20))
                if start <= gift_day <= stop and gift_day <= today and rng.random() < 0.55:
                    one_offs.append((plan, gift_day, "tet"))
                may = dt.date(year, 5, rng.randint(8, 19))
                if start <= may <= stop and may <= today and rng.random() < 0.2:
                    one_offs.append((plan, may, "may"))
                sept = dt.date(year, 9, rng.randint(1, 15))
                if start <= sept <= stop and sept <= today and rng.random() < 0.08:
                    one_offs.append((plan, sept, "school"))
                if year == YAGI.year and start <= YAGI <= stop and rng.random() < 0.25:
                    one_offs.append((plan, YAGI + dt.timedelta(days=rng.randint(2, 20)), "yagi"))
                other = min(stop, start + dt.timedelta(days=rng.randint(0, max(1, (stop - start).days))))
                if other.year == year and rng.random() < 0.25:
                    one_offs.append((plan, other, "other"))
        room = max(0, budget - len(records))
        # Fill the rest of the budget with everyday help (visits, medicine, rice) on random days.
        while len(one_offs) < room and helpable:
            plan = rng.choice(helpable)
            start, stop = plan["helpable_from"], plan["helpable_to"]
            one_offs.append(
                (
                    plan,
                    min(stop, start + dt.timedelta(days=rng.randint(0, max(1, (stop - start).days)))),
                    "other",
                )
            )
        rng.shuffle(one_offs)
        for plan, day, what in one_offs[:room]:
            if what == "other":
                what = rng.choices(list(EVERYDAY), [w for w, *_rest in EVERYDAY.values()])[0]
                _weight, kind, values, description, source_type, source, area = EVERYDAY[what]
                campaign = ""
            else:
                kind, values, description, source_type, source, campaign, area = CAMPAIGNS[what]
                campaign = campaign.format(year=day.year)
            value = rng.choice(values)
            add(
                plan,
                day,
                kind,
                value,
                description.format(value=value // 1000),
                source_type,
                source,
                campaign=campaign,
                area=area,
                delivering=city if what == "tet" and rng.random() < 0.15 else None,
            )
        # A few mistakes cancelled with a reason; a few double help given knowingly.
        for record in rng.sample(records, k=min(len(records), max(3, len(records) // 400))):
            record.status = HelpStatus.CANCELLED
            record.cancel_reason = rng.choice(
                ["Ghi nhầm hộ", "Nhập trùng hai lần", "Sai giá trị, đã ghi lại"]
            )
        insert_many(HelpRecord, records, batch_size=BATCH)
        doubles = 0
        for case_records in by_case.values():
            case_records.sort(key=lambda r: r.date)
            for earlier, later in zip(case_records, case_records[1:], strict=False):
                if (
                    later.kind == earlier.kind
                    and later.commitment_id is None
                    and earlier.status == later.status == HelpStatus.VALID
                    and (later.date - earlier.date).days <= 30
                ):
                    later.duplicate_of = earlier
                    later.duplicate_reason = "Hộ có người ốm nặng, Hội thống nhất hỗ trợ thêm"
                    doubles += 1
        update_many(
            HelpRecord,
            [r for r in records if r.duplicate_of_id],
            ["duplicate_of", "duplicate_reason"],
            batch_size=2000,
        )
        links = []
        for record in records:
            pool = volunteers.get(record.case.commune_id)
            if pool and rng.random() < 0.3:
                for person_id in rng.sample(pool, k=min(len(pool), rng.randint(1, 2))):
                    links.append(HelpVolunteer(help=record, person_id=person_id))
        insert_many(HelpVolunteer, links, batch_size=BATCH)
        # Derived columns.
        for case_records in by_case.values():
            valid = [r.date for r in case_records if r.status == HelpStatus.VALID]
            if valid:
                case_records[0].case.last_help_on = max(valid)
        for plan in plans:
            plan["last_help"] = plan["case"].last_help_on
        agg = defaultdict(lambda: [0, 0, None])
        for record in records:
            if record.commitment_id and record.status == HelpStatus.VALID:
                row = agg[record.commitment_id]
                row[0] += 1
                row[1] += record.value
                row[2] = max(row[2], record.date) if row[2] else record.date

        for c in commitments:
            count, value, last = agg.get(c.pk, (0, 0, None))
            c.delivered_count, c.delivered_value, c.last_delivery_on = count, value, last
            c.next_due_on = next_due(c.period, c.starts_on, last)
        return len(records)
