"""Demo movements and emulation: two years of Tết Nhân ái, Tháng Nhân đạo and the humanitarian-address
movement with targets for every commune (by population, and by last year's result), the yearly
emulation criteria with a frozen ranking, a decided commendation written to the awards registers,
and good practice models adopted by several units.  Results are not seeded: they are the registers'
(help records, the fund, blood donations, volunteer hours) that the earlier modules seeded.
"""

from __future__ import annotations

import datetime as dt

from nhandao.core.choices import ContentArea
from nhandao.core.seeding import SeedContext
from nhandao.org.models import Unit, UnitKind
from nhandao.people.models import Person, VolunteerHours

from . import results, services
from .models import MovementKind, PeerGroup, ProposalLevel, UnitProfile

INDICATORS = {
    MovementKind.TET: [
        "funds.raised",
        "beneficiaries.gifts",
        "beneficiaries.households",
        "people.volunteers_mobilised",
    ],
    MovementKind.MONTH: ["funds.raised", "beneficiaries.households", "beneficiaries.houses", "blood.units"],
    MovementKind.ADDRESS: ["beneficiaries.addresses_new", "beneficiaries.value"],
}
# City totals shared by population (small demo figures; the city scale multiplies them).
TOTALS = {
    "funds.raised": 6_000_000_000,
    "beneficiaries.gifts": 12_000,
    "beneficiaries.households": 3_000,
    "people.volunteers_mobilised": 2_000,
    "beneficiaries.houses": 60,
    "blood.units": 1_500,
    "beneficiaries.addresses_new": 300,
    "beneficiaries.value": 4_000_000_000,
}
CRITERIA = [
    ("funds.raised", 30),
    ("beneficiaries.households", 25),
    ("beneficiaries.gifts", 15),
    ("blood.units", 15),
    ("people.volunteers_mobilised", 15),
]
MODELS = [
    ("Bếp ăn nhân đạo", ContentArea.RELIEF, "Mỗi ngày nấu 200 suất cơm miễn phí cho người nhà bệnh nhân."),
    ("Tủ bánh mì 0 đồng", ContentArea.RELIEF, "Tủ bánh mì đặt trước cổng chợ, nhà hảo tâm góp mỗi sáng."),
    (
        "Ngân hàng bò giống",
        ContentArea.RELIEF,
        "Trao bò giống cho hộ nghèo, bê đầu lứa chuyển cho hộ tiếp theo.",
    ),
    (
        "Đội sơ cấp cứu bến cá",
        ContentArea.FIRST_AID,
        "Ngư dân được tập huấn sơ cấp cứu, trực tại bến cá mùa mưa bão.",
    ),
    (
        "Ngày hội Giọt hồng trường học",
        ContentArea.DONATION,
        "Học sinh, sinh viên tuyên truyền và hiến máu mỗi học kỳ.",
    ),
    (
        "Mỗi chi hội một địa chỉ nhân đạo",
        ContentArea.RELIEF,
        "Mỗi chi hội nhận giúp một hộ khó khăn trong ba năm.",
    ),
]


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("movements")
    city: Unit = ctx.data["city"]
    communes = sorted(ctx.data["communes"].values(), key=lambda u: u.code)
    today = ctx.today
    scale = 30 if ctx.scale == "city" else 1

    # Population for the formula (demo figures, 8,000–90,000 people), for the communes of before
    # the 2025 reform too: last year's Tết Nhân ái may have run before 01/07/2025.
    for unit in Unit.objects.filter(path__startswith=city.path, kind=UnitKind.COMMUNE).order_by("path"):
        services.unit_profile_set(
            actor=None, unit=unit, population=rng.randrange(8_000, 90_000, 100), allow_closed=True
        )

    # Two communes placed by hand in the other peer group (a ward that is still farmland, a
    # commune that has grown into a town), as the city does on the peer groups page.
    for unit in rng.sample(communes, min(2, len(communes))):
        flipped = PeerGroup.COMMUNE if results.default_peer_group(unit) == PeerGroup.WARD else PeerGroup.WARD
        population = UnitProfile.objects.get(unit=unit).population
        services.unit_profile_set(actor=None, unit=unit, peer_group=flipped, population=population)

    years = [today.year - 1, today.year]
    movements = []
    for year in years:
        for kind, name, theme in (
            (MovementKind.TET, f"Tết Nhân ái {year}", "Tết vì người nghèo và nạn nhân chất độc da cam"),
            (MovementKind.MONTH, f"Tháng Nhân đạo {year}", "Hành trình nhân đạo - Lan tỏa yêu thương"),
            (MovementKind.ADDRESS, f"Mỗi tổ chức, cá nhân gắn với một địa chỉ nhân đạo {year}", ""),
        ):
            movement = services.movement_create(
                actor=None,
                unit=city,
                kind=kind,
                year=year,
                name=name,
                theme=theme,
                indicator_codes=INDICATORS[kind],
            )
            movements.append(movement)
            for n, code in enumerate(INDICATORS[kind]):
                if year == years[-1] and n % 2 == 1:
                    # This year half the indicators follow last year's result plus 10%.
                    services.targets_by_formula(
                        actor=None,
                        movement=movement,
                        indicator=code,
                        basis="last_year",
                        growth_percent=10,
                        minimum=1,
                    )
                else:
                    services.targets_by_formula(
                        actor=None,
                        movement=movement,
                        indicator=code,
                        basis="population",
                        total=TOTALS[code] * scale,
                    )
    ctx.data["movements"] = movements

    schemes = [
        services.scheme_create(
            actor=None, unit=city, year=year, name=f"Thi đua Hội CTĐ năm {year}", criteria=CRITERIA
        )
        for year in years
    ]
    last = schemes[0]
    for unit in communes[:: max(1, len(communes) // 6)][:6]:
        services.manual_score_add(
            actor=None,
            scheme=last,
            unit=unit,
            points=rng.choice([5, 5, 10, -5]),
            reason=rng.choice(
                [
                    "Tổ chức tốt đợt cứu trợ sau bão",
                    "Báo cáo đúng hạn, số liệu đầy đủ",
                    "Chậm nộp báo cáo quý",
                    "Mô hình hay được nhân rộng",
                ]
            ),
        )
    ranking = services.ranking_freeze(actor=None, scheme=last, taken_on=last.ends_on, note="Tổng kết năm")
    services.ranking_freeze(actor=None, scheme=schemes[1], taken_on=today, note="Sơ kết")

    # The city's proposal to the city People's Committee: the leaders of the ranking and the
    # volunteers with the most hours last year; reviewed and decided (the awards registers).
    proposal = services.proposal_create(
        actor=None,
        unit=city,
        level=ProposalLevel.CITY_COMMITTEE,
        title="Bằng khen",
        year=years[0],
        scheme=last,
    )
    services.proposal_fill_from_ranking(actor=None, proposal=proposal, ranking=ranking, top=2)
    busiest = (
        VolunteerHours.objects.filter(date__year=years[0], person__unit__path__startswith=city.path)
        .values("person")
        .order_by("person")
        .distinct()[:40]
    )
    people = list(
        Person.objects.filter(pk__in=[b["person"] for b in busiest]).select_related("unit").order_by("pk")[:4]
    )
    for person in people:
        services.proposal_item_add(
            actor=None,
            proposal=proposal,
            person=person,
            reason="Tình nguyện viên tích cực, nhiều giờ tham gia cứu trợ",
        )
    services.proposal_submit(actor=None, proposal=proposal)
    items = list(proposal.items.order_by("pk").values_list("pk", flat=True))
    services.proposal_review(
        actor=None, proposal=proposal, accepted=set(items[:-1]), note="Một trường hợp chưa đủ tiêu chuẩn"
    )
    services.proposal_decide(
        actor=None,
        proposal=proposal,
        decision_number="125/QĐ-UBND",
        decided_on=min(today, dt.date(years[1], 1, 20)),
    )
    draft = services.proposal_create(
        actor=None,
        unit=city,
        level=ProposalLevel.CENTRAL,
        title="Bằng khen Trung ương Hội",
        year=years[1],
        scheme=schemes[1],
    )
    services.proposal_fill_from_ranking(actor=None, proposal=draft, ranking=ranking, top=1)

    branches = ctx.data.get("branches", [])
    for n, (title, area, description) in enumerate(MODELS):
        origin = communes[(n * 17) % len(communes)]
        practice = services.practice_create(
            actor=None,
            unit=origin,
            title=title,
            description=description,
            place=origin.name.replace("Hội Chữ thập đỏ ", ""),
            since=dt.date(today.year - 3 + n % 3, 1 + n, 1),
            area=area,
            results="Được địa phương ghi nhận, nhiều đơn vị học tập.",
        )
        services.practice_figure_add(
            actor=None,
            practice=practice,
            label="Lượt người được giúp",
            value=rng.randint(200, 5000),
            measure="lượt",
        )
        services.practice_figure_add(
            actor=None,
            practice=practice,
            label="Giá trị vận động",
            value=rng.randint(50, 900) * 1_000_000,
            measure="đồng",
        )
        adopters = rng.sample([c for c in communes if c.pk != origin.pk], rng.randint(2, 8))
        adopters += list(branches[n::97])[:2]
        for unit in adopters:
            services.adoption_add(
                actor=None,
                practice=practice,
                unit=unit,
                adopted_on=max(practice.since, today - dt.timedelta(days=rng.randint(10, 600))),
            )
    ctx.log(
        f"Phong trào: {len(movements)} phong trào, {len(communes)} Hội cấp xã có chỉ tiêu, {len(MODELS)} mô hình hay."
    )
