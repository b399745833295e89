"""Demo data: Typhoon Yagi (Bão số 3) over Hải Phòng in September 2024.

Every commune is affected; for a week the Red Cross and the local authorities
file field reports (figures plausible, marked as demo data in the UI); the city
keeps a central warehouse filled from an in-kind gift of the Yagi appeal and
from stock prepositioned earlier, sends goods to the communes' warehouses (one
transfer arrives short), and Lê Chân, Ngô Quyền and a few other communes
distribute family kits to households of the beneficiaries register.  Figures
are illustrative, not the real ones.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from nhandao.beneficiaries import api
from nhandao.beneficiaries.choices import CaseStatus, HelpKind, HelpStatus, SourceType
from nhandao.beneficiaries.models import HelpRecord, HelpRules
from nhandao.campaigns.models import Campaign
from nhandao.core import audit, bulk
from nhandao.core.choices import ContentArea
from nhandao.core.seeding import SeedContext
from nhandao.core.text import normalize
from nhandao.funds.models import Channel, Donation, Fund, RecordStatus
from nhandao.people.choices import RoleKind
from nhandao.people.models import Club, Person

from .models import (
    READINESS_CODES,
    TEAM_KINDS,
    AffectedCommune,
    FieldReport,
    Incident,
    IncidentKind,
    IncidentStatus,
    Recipient,
    ReportSource,
    TransferLine,
)
from .services import distributions, incidents, preparedness, stock

LANDFALL = dt.date(2024, 9, 7)
ITEMS = [
    # code, name, measure, value, perishable
    ("KIT-GD", "Bộ đồ dùng gia đình", "bộ", 450_000, False),
    ("KIT-VS", "Bộ vệ sinh cá nhân", "bộ", 250_000, False),
    ("BAT", "Bạt che tạm", "tấm", 180_000, False),
    ("GAO", "Gạo", "kg", 18_000, False),
    ("NUOC", "Nước uống đóng chai", "thùng", 60_000, True),
    ("MI", "Mì ăn liền", "thùng", 110_000, True),
    ("AOPHAO", "Áo phao", "chiếc", 150_000, False),
]
# Per distributing commune: `households_confirmed` households sign one by one at the counter
# (the service, as on a phone); then `served_in_bulk` more (None: the whole list) are entered from
# the signed paper list at once, in bulk.  At city scale every household of the register's lists
# (about 20,000 of the 30,000 households) gets its package.
SCALE = {
    "small": {"report_days": 3, "distributing_communes": 4, "households_confirmed": 15, "served_in_bulk": 25},
    "city": {
        "report_days": 8,
        "distributing_communes": 114,
        "households_confirmed": 20,
        "served_in_bulk": None,
    },
}
KIT_MARGIN = 10  # kits sent beyond the commune's list


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("relief")
    params = SCALE["city" if ctx.scale == "city" else "small"]
    city = ctx.data["city"]
    communes = sorted(ctx.data["communes"].values(), key=lambda u: u.code)
    a, b = ctx.data["commune_a"], ctx.data["commune_b"]
    yagi_campaign = (
        ctx.data.get("campaigns", {}).get("yagi") or Campaign.objects.filter(code__isnull=False).first()
    )

    incident = incidents.incident_create(
        actor=None,
        unit=city,
        kind=IncidentKind.TYPHOON,
        name="Bão số 3 – Yagi",
        starts_on=dt.date(2024, 9, 6),
        ends_on=dt.date(2024, 9, 30),
        communes=communes,
        description=(
            "Bão số 3 (Yagi) đổ bộ Hải Phòng ngày 07/09/2024 với gió giật trên cấp 16; mưa lớn gây ngập "
            "lụt diện rộng. (Dữ liệu mẫu: số liệu minh họa.)"
        ),
        campaigns=[yagi_campaign] if yagi_campaign else [],
        funds=list(Fund.objects.filter(campaign=yagi_campaign)) if yagi_campaign else [],
        is_demo=True,
    )
    incidents.incident_update(
        actor=None, incident=incident, status=IncidentStatus.RECOVERY, ends_on=incident.ends_on
    )
    areas = list(AffectedCommune.objects.filter(incident=incident).select_related("commune"))
    for area in areas:
        area.residents = rng.randint(18_000, 65_000)
        area.households = area.residents * 10 // rng.randint(32, 40)
    AffectedCommune.objects.bulk_update(areas, ["residents", "households"])
    reports = _reports(ctx, rng, incident, areas, params["report_days"])

    items = {
        code: stock.item_create(
            actor=None, code=code, name=name, measure=measure, unit_value=value, perishable=perishable
        )
        for code, name, measure, value, perishable in ITEMS
    }
    kit = distributions.package_create(
        actor=None,
        name="Bộ gia đình và 10 kg gạo",
        lines=[distributions.PackageItem(items["KIT-GD"], 1), distributions.PackageItem(items["GAO"], 10)],
    )
    distributions.package_create(
        actor=None,
        name="Bộ vệ sinh và nước uống",
        lines=[distributions.PackageItem(items["KIT-VS"], 1), distributions.PackageItem(items["NUOC"], 1)],
    )

    central = stock.warehouse_create(
        actor=None, unit=city, name="Kho trung tâm Hội CTĐ thành phố", address="Số 2 Lê Đại Hành, Hồng Bàng"
    )
    distributing = [a, b] + [c for c in communes if c.pk not in (a.pk, b.pk)][
        : params["distributing_communes"] - 2
    ]
    n = len(distributing)
    listed = _list_sizes(distributing)
    kits = {pk: max(150, size + KIT_MARGIN) for pk, size in listed.items()}
    prepositioned = dt.date(2024, 6, 15)
    stock.stock_receive(
        actor=None,
        warehouse=central,
        received_on=prepositioned,
        source="other",
        supplier="Trung ương Hội Chữ thập đỏ Việt Nam (hàng dự phòng mùa bão)",
        lines=[
            stock.ReceiptLine(
                items["KIT-GD"], max(200 * n, sum(kits.values()) + 50 * n), lot_code="DP2024-GD"
            ),
            stock.ReceiptLine(items["KIT-VS"], 150 * n, lot_code="DP2024-VS"),
            stock.ReceiptLine(items["BAT"], 100 * n, lot_code="DP2024-BAT"),
            stock.ReceiptLine(
                items["GAO"], max(2_500 * n, 10 * sum(kits.values()) + 1_000 * n), lot_code="DP2024-GAO"
            ),
            stock.ReceiptLine(
                items["NUOC"], 100 * n, lot_code="DP2024-NUOC", expires_on=dt.date(2025, 3, 31)
            ),
            stock.ReceiptLine(items["MI"], 80 * n, lot_code="DP2024-MI", expires_on=dt.date(2024, 12, 31)),
            stock.ReceiptLine(items["AOPHAO"], 50 * n, lot_code="DP2024-AP"),
        ],
    )
    tied = _gift_in_kind(yagi_campaign, central, items["KIT-GD"])

    stores = {}
    for i, commune in enumerate(distributing):
        stores[commune.pk] = stock.warehouse_create(
            actor=None,
            unit=commune,
            name=f"Kho {commune.name.replace('Hội Chữ thập đỏ ', 'Hội CTĐ ')}",
            keeper="Thủ kho (dữ liệu mẫu)",
        )
        day = LANDFALL + dt.timedelta(days=2)
        lines = []
        wanted = kits[commune.pk]
        for code, quantity in (("KIT-GD", wanted), ("GAO", 10 * wanted), ("KIT-VS", 100), ("NUOC", 60)):
            lines += stock.pick_lots(central, items[code], Decimal(quantity), day)
        transfer = stock.transfer_dispatch(
            actor=None,
            source=central,
            destination=stores[commune.pk],
            dispatched_on=day,
            lines=lines,
            vehicle=f"Xe tải 15C-{rng.randint(100, 999)}.{rng.randint(10, 99)}",
        )
        lines = list(TransferLine.objects.filter(transfer=transfer).select_related("lot__item"))
        received = {line.pk: line.sent for line in lines}
        notes = {}
        if i == 1:  # one truck arrives short: recorded, not refused
            short = next(line for line in lines if line.lot.item.code == "GAO")
            received[short.pk] = short.sent - 50
            notes[short.pk] = "Hai bao gạo 25 kg bị ướt, rách trên đường do ngập; lập biên bản tại chỗ."
        stock.transfer_receive(
            actor=None,
            transfer=transfer,
            received_on=LANDFALL + dt.timedelta(days=3),
            received=received,
            notes=notes,
        )

    served = 0
    for commune in distributing:
        plan = distributions.plan_create(
            actor=None,
            incident=incident,
            commune=commune,
            warehouse=stores[commune.pk],
            package=kit,
            planned_on=LANDFALL + dt.timedelta(days=5),
            place="Nhà văn hóa khu dân cư (dữ liệu mẫu)",
        )
        distributions.recipients_from_register(actor=None, plan=plan)
        waiting = list(Recipient.objects.filter(plan=plan).select_related("case").order_by("pk"))
        at_counter = waiting[: params["households_confirmed"]]
        rest = waiting[params["households_confirmed"] :]
        if params["served_in_bulk"] is not None:
            rest = rest[: params["served_in_bulk"]]
        # A file the commune confirmed but never helped becomes active with its first help: the
        # register's workflow does that, at the counter.
        at_counter += [r for r in rest if r.case.status == CaseStatus.CONFIRMED]
        for recipient in at_counter:
            _confirm(recipient, plan.planned_on)
            served += 1
        # The counter signed in September 2024, not when the demo was seeded.
        Recipient.objects.filter(pk__in=[r.pk for r in at_counter]).update(
            received_at=dt.datetime.combine(plan.planned_on, dt.time(9, 0), timezone.get_current_timezone())
        )
        served += _serve_in_bulk(plan, [r for r in rest if r.case.status != CaseStatus.CONFIRMED])
    ctx.data["relief"] = {"incident": incident, "central": central, "stores": stores, "package": kit}
    prepared = _preparedness(rng, communes, distributing, incident)
    ctx.log(
        f"  relief: sự cố {incident.name}, {len(areas)} xã, {reports} báo cáo hiện trường, "
        f"{len(stores) + 1} kho, {served} hộ đã nhận hàng{' (có gắn khoản ủng hộ hiện vật)' if tied else ''}; {prepared}"
    )


def _list_sizes(communes) -> dict[int, int]:
    """How many households of each commune the register may help (the distribution's list)."""
    sizes = dict(
        api.Case.objects.live()
        .helpable()
        .filter(commune__in=communes)
        .values_list("commune_id")
        .annotate(n=Count("pk"))
    )
    return {c.pk: sizes.get(c.pk, 0) for c in communes}


def _confirm(recipient: Recipient, on: dt.date) -> None:
    try:
        distributions.recipient_confirm(actor=None, recipient=recipient, on=on)
    except api.DoubleHelpSuspected:
        distributions.recipient_confirm(
            actor=None, recipient=recipient, on=on, duplicate_reason=DUPLICATE_REASON
        )


DUPLICATE_REASON = "Hộ bị thiệt hại nặng do bão, Hội xã đề nghị hỗ trợ thêm (dữ liệu mẫu)"


def _serve_in_bulk(plan, recipients: list[Recipient]) -> int:
    """The rest of a commune's signed paper list entered at once: one stock issue for all of them
    (the stock service: it refuses more than on hand and books gift goods in the fund's ledger),
    then each household's help record and receipt written in bulk (core.bulk), with the register's
    double-help guard applied to the batch (an earlier emergency help in the window is named and
    the reason stored, as at the counter)."""
    if not recipients:
        return 0
    on, n = plan.planned_on, len(recipients)
    lines = []
    for line in plan.package.lines.select_related("item").order_by("pk"):
        lines += stock.pick_lots(plan.warehouse, line.item, line.quantity * n, on)
    issue = stock.issue_goods(
        None,
        plan.warehouse,
        on,
        f"Phát {plan.package.name} cho {n} hộ theo danh sách ký nhận ({plan.incident.name})",
        lines,
        "",
    )
    days = dt.timedelta(days=HelpRules.current().double_help_days)
    case_ids = [r.case_id for r in recipients]
    earlier = dict(
        HelpRecord.objects.filter(
            case_id__in=case_ids,
            kind=HelpKind.EMERGENCY,
            status=HelpStatus.VALID,
            date__gte=on - days,
            date__lte=on + days,
        )
        .order_by("case_id", "date", "pk")
        .values_list("case_id", "pk")
    )
    share, extra = divmod(issue.value, n)
    campaign = f"{plan.incident.name} – {plan.package.name}"
    records = [
        HelpRecord(
            case_id=r.case_id,
            unit_id=r.case.unit_id,
            delivering_unit_id=plan.commune_id,
            date=on,
            kind=HelpKind.EMERGENCY,
            area=ContentArea.RELIEF,
            value=share + (1 if i < extra else 0),
            description=f"Gói cứu trợ: {plan.package.name}",
            source_type=SourceType.UNIT,
            campaign=campaign,
            campaign_key=normalize(campaign)[:200],
            source_ref=f"relief.recipient:{r.pk}",
            duplicate_of_id=earlier.get(r.case_id),
            duplicate_reason=DUPLICATE_REASON if r.case_id in earlier else "",
            status=HelpStatus.VALID,
        )
        for i, r in enumerate(recipients)
    ]
    bulk.insert_many(HelpRecord, records)
    received_at = dt.datetime.combine(on, dt.time(16, 0), timezone.get_current_timezone())
    for r, record in zip(recipients, records, strict=True):
        r.received_at, r.proof, r.help_record_id, r.issue_id = received_at, "signature", record.pk, issue.pk
        r.duplicate_reason = record.duplicate_reason
    bulk.update_many(
        Recipient, recipients, ["received_at", "proof", "help_record", "issue", "duplicate_reason"]
    )
    api.Case.objects.filter(pk__in=case_ids).filter(
        Q(last_help_on__isnull=True) | Q(last_help_on__lt=on)
    ).update(last_help_on=on)
    audit.record_many(
        actor=None,
        action="relief.distribution.received",
        objects=recipients,
        data={"issue": issue.pk, "from": "danh sách ký nhận"},
        unit=plan.commune,
    )
    return n


def _reports(ctx, rng, incident: Incident, areas, days: int) -> int:
    """A week of reports from two sources per commune; the figures grow as the water recedes."""
    tz = timezone.get_current_timezone()
    rows = []
    for area in areas:
        base_damaged = rng.randint(50, max(60, area.households // 8))
        base_flooded = rng.randint(20, max(30, area.households // 12))
        dead = 1 if rng.random() < 0.03 else 0
        for day in range(days):
            for source, hour, bias in ((ReportSource.AUTHORITY, 8, 1.0), (ReportSource.RED_CROSS, 17, 0.9)):
                growth = min(1.0, 0.4 + 0.15 * day)
                damaged = int(base_damaged * growth * bias)
                rows.append(
                    FieldReport(
                        incident=incident,
                        commune=area.commune,
                        source=source,
                        reported_at=dt.datetime.combine(
                            LANDFALL + dt.timedelta(days=day), dt.time(hour, rng.randint(0, 59)), tz
                        ),
                        dead=dead if day >= 1 else 0,
                        missing=0,
                        injured=rng.randint(0, 4),
                        houses_destroyed=rng.randint(0, 5),
                        houses_damaged=damaged,
                        houses_flooded=int(base_flooded * growth),
                        evacuated=rng.randint(100, 1500) if day < 2 else 0,
                        households_affected=min(area.households, damaged + int(base_flooded * growth)),
                        needs={"shelter": "Bạt, tôn lợp mái", "food": "Gạo, mì, nước uống"}
                        if day == 0
                        else {},
                        note="Dữ liệu mẫu",
                    )
                )
    made = FieldReport.objects.bulk_create(rows, batch_size=2000)
    audit.record_many(
        actor=None, action="relief.report.filed", objects=made, label=lambda r: f"báo cáo {r.commune_id}"
    )
    return len(made)


def _gift_in_kind(campaign, central, kit) -> bool:
    """One in-kind gift of the Yagi appeal booked by the city's fund enters the central warehouse
    at no more than the value the ledger booked (goods and money on the same ledger)."""
    if campaign is None:
        return False
    gift = (
        Donation.objects.filter(
            campaign=campaign, channel=Channel.IN_KIND, status=RecordStatus.POSTED, unit=central.unit
        )
        .order_by("pk")
        .first()
    )
    if gift is None or gift.amount < kit.unit_value:
        return False
    quantity = Decimal(gift.amount // kit.unit_value)
    stock.stock_receive(
        actor=None,
        warehouse=central,
        received_on=max(gift.received_on, dt.date(2024, 9, 8)),
        source="gift",
        donation=gift,
        supplier=gift.donor_name[:200],
        lines=[stock.ReceiptLine(kit, quantity, unit_value=kit.unit_value, lot_code=f"TANG-{gift.pk}")],
    )
    return True


def _preparedness(rng, communes, distributing, incident: Incident) -> str:
    """Response teams from the registry's teams, hazard-prone communes, drills, the readiness
    checks of the 2024 and the coming season, and teams deployed during Yagi with their hours
    in the volunteers' records (through the people app's service)."""
    clubs = list(Club.objects.filter(kind__in=TEAM_KINDS, dissolved_on__isnull=True).select_related("unit"))
    capabilities = {
        "first_aid": ["first_aid", "psychosocial"],
        "rapid_response": ["search_rescue", "relief", "drivers"],
        "disaster": ["search_rescue", "boats", "first_aid"],
    }
    teams = [
        preparedness.team_create(
            actor=None, club=club, capabilities=capabilities[club.kind], note="Dữ liệu mẫu"
        )
        for club in clubs
    ]
    coastal = [c for c in communes if rng.random() < 0.4]
    for commune in coastal:
        preparedness.hazard_area_set(
            actor=None,
            commune=commune,
            hazards=rng.sample(["typhoon", "flood", "landslide"], k=rng.randint(1, 2)),
            households_at_risk=rng.randint(80, 900),
            places="Khu dân cư ven sông, ven biển (dữ liệu mẫu)",
        )
    for team in teams[: max(4, len(teams) // 3)]:
        preparedness.drill_record(
            actor=None,
            unit=team.unit,
            team=team,
            held_on=dt.date(2024, 5, 1) + dt.timedelta(days=rng.randint(0, 40)),
            scenario=rng.choice(["Sơ tán dân vùng ngập", "Cứu nạn trên sông", "Sơ cấp cứu hàng loạt"]),
            participants=rng.randint(15, 60),
            note="Dữ liệu mẫu",
        )
    season = timezone.localdate().year
    for year, share in ((2024, 0.95), (season, 0.6)):
        for commune in communes:
            if rng.random() > share:
                continue
            ticked = [code for code in READINESS_CODES if rng.random() < (0.95 if year == 2024 else 0.7)]
            preparedness.readiness_set(
                actor=None,
                commune=commune,
                season=year,
                items=ticked,
                checked_on=dt.date(year, 5, 20) if year < season else timezone.localdate(),
                note="Dữ liệu mẫu",
            )
    by_unit = {t.unit_id: t for t in teams if t.club.kind != "first_aid"}
    deployed = 0
    for commune in distributing[:6]:
        team = by_unit.get(commune.pk)
        if team is None:
            continue
        volunteers = list(
            Person.objects.filter(
                club_memberships__club=team.club_id,
                club_memberships__left_on__isnull=True,
                roles__kind__in=[RoleKind.VOLUNTEER, RoleKind.COLLABORATOR, RoleKind.YOUTH],
                roles__status="active",
            )
            .distinct()
            .order_by("pk")[:8]
        )
        if not volunteers:
            continue
        deployment = preparedness.deployment_create(
            actor=None,
            incident=incident,
            unit=commune,
            commune=commune,
            team=team,
            people=volunteers,
            task="Sơ tán dân, dọn dẹp, phát hàng cứu trợ (dữ liệu mẫu)",
            starts_on=LANDFALL,
            ends_on=LANDFALL + dt.timedelta(days=6),
        )
        members = list(deployment.members.select_related("person"))
        for day in (1, 2):
            preparedness.deployment_hours_log(
                actor=None,
                deployment=deployment,
                lines=[
                    preparedness.HoursLine(m, LANDFALL + dt.timedelta(days=day), rng.choice([4, 6, 8]))
                    for m in members
                ],
            )
        deployed += len(members)
    return (
        f"{len(teams)} đội ứng phó, {len(coastal)} xã có nguy cơ, {deployed} tình nguyện viên được điều động"
    )
