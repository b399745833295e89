"""Demo organisation: Hội CTĐ thành phố Hải Phòng, its 114 commune-level
societies (since 01/07/2025), the former district and commune societies of old
Hải Phòng and Hải Dương closed on 30/06/2025 with their successors, branches,
partner agencies with their 2025 mergers.  The demo logins, one per role, are
nhandao.office.seed's (it runs next): creating users is accounts' service, above org."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count

from nhandao.core import audit, bulk
from nhandao.core.demo_names import ENTERPRISES, SCHOOL_PATRONS, VILLAGE_NAMES, phone
from nhandao.core.seeding import SeedContext
from nhandao.core.text import clean_spaces, search_key
from nhandao.geo.models import LegacyDistrict, LegacyProvince, LegacyWard, Ward, WardConversion

from . import services
from .models import AgencyKind, BranchType, SuccessionKind, Unit, UnitKind, path_segment

REFORM_LAST_DAY = dt.date(2025, 6, 30)
REFORM_FIRST_DAY = dt.date(2025, 7, 1)
DEPARTMENT_MERGER_LAST_DAY = dt.date(2025, 2, 28)
HISTORIC_FROM = dt.date(2008, 1, 1)


def society_name(division_name: str) -> str:
    """'Phường Lê Chân' -> 'Hội Chữ thập đỏ phường Lê Chân'."""
    head, _, rest = division_name.partition(" ")
    if head in {"Phường", "Xã", "Quận", "Huyện", "Thị", "Thành", "Đặc", "Tỉnh"}:
        return f"Hội Chữ thập đỏ {division_name[0].lower()}{division_name[1:]}"
    return f"Hội Chữ thập đỏ {division_name}"


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("org")
    province = "31"
    city = services.unit_create(
        actor=None,
        name="Hội Chữ thập đỏ thành phố Hải Phòng",
        kind=UnitKind.PROVINCE,
        code="HP",
        province=province,
        address="Số 2 Lê Đại Hành, Hồng Bàng, Hải Phòng",
        valid_from=dt.date(2000, 1, 1),
    )
    ctx.data["city"] = city

    # Current commune-level societies, one per administrative unit.
    communes: dict[str, Unit] = {}
    for ward in Ward.objects.filter(province_id=province).order_by("code"):
        communes[ward.code] = services.unit_create(
            actor=None,
            parent=city,
            name=society_name(ward.name),
            kind=UnitKind.COMMUNE,
            code=f"HP-{ward.code}",
            ward=ward,
            valid_from=REFORM_FIRST_DAY,
            phone=phone(rng),
        )
    ctx.data["communes"] = communes

    _seed_history(ctx, city, communes)
    _seed_branches(ctx, rng, communes)
    _seed_agencies(ctx)
    ctx.log(
        f"  org: {len(communes)} hội cấp xã, {Unit.objects.filter(kind=UnitKind.BRANCH).count()} chi hội, "
        f"{Unit.objects.closed().count()} đơn vị đã ngừng hoạt động"
    )


def _seed_history(ctx, city: Unit, communes: dict[str, Unit]) -> None:
    """The three-tier structure before 01/07/2025, closed with successors."""
    conversions = defaultdict(list)
    for conv in WardConversion.objects.filter(new__province_id="31"):
        conversions[conv.old_id].append((conv.new_id, conv.partly))
    hai_duong = LegacyProvince.objects.get(code="30")
    hd_society = services.unit_create(
        actor=None,
        name="Hội Chữ thập đỏ tỉnh Hải Dương",
        kind=UnitKind.PROVINCE,
        code="HD",
        valid_from=HISTORIC_FROM,
        address="Thành phố Hải Dương",
    )
    parents = {"31": city, "30": hd_society}
    for district in LegacyDistrict.objects.filter(province_id__in=["30", "31"]).order_by("code"):
        district_unit = services.unit_create(
            actor=None,
            parent=parents[district.province_id],
            name=society_name(district.name),
            kind=UnitKind.DISTRICT,
            code=f"{'HP' if district.province_id == '31' else 'HD'}-Q{district.code}",
            legacy_district=district,
            valid_from=HISTORIC_FROM,
        )
        district_successors: dict[int, Unit] = {}
        for old in LegacyWard.objects.filter(district=district).order_by("code"):
            old_unit = services.unit_create(
                actor=None,
                parent=district_unit,
                name=society_name(old.name),
                kind=UnitKind.COMMUNE,
                code=f"{'HP' if district.province_id == '31' else 'HD'}-P{old.code}",
                legacy_ward=old,
                valid_from=HISTORIC_FROM,
            )
            targets = [
                (communes[new], partly) for new, partly in conversions.get(old.code, []) if new in communes
            ]
            services.unit_close(
                actor=None,
                unit=old_unit,
                on=REFORM_LAST_DAY,
                reason="Sắp xếp đơn vị hành chính cấp xã từ 01/07/2025 (Nghị quyết 1669/NQ-UBTVQH15)",
                successors=[t for t, _ in targets],
                kind=SuccessionKind.REORGANISED,
                partly=any(p for _, p in targets),
            )
            for target, _ in targets:
                district_successors[target.pk] = target
        services.unit_close(
            actor=None,
            unit=district_unit,
            on=REFORM_LAST_DAY,
            reason="Kết thúc hoạt động chính quyền địa phương cấp huyện từ 01/07/2025",
            successors=sorted(district_successors.values(), key=lambda u: u.code),
            kind=SuccessionKind.REORGANISED,
            partly=True,
        )
    services.unit_close(
        actor=None,
        unit=hd_society,
        on=REFORM_LAST_DAY,
        reason="Hợp nhất tỉnh Hải Dương và thành phố Hải Phòng (Nghị quyết 202/2025/QH15)",
        successors=[city],
        kind=SuccessionKind.MERGED,
    )
    ctx.data["hai_duong"] = hai_duong


def _branch_specs(rng, ward: Ward, count: int):
    short = ward.short_name
    specs = []
    residential = max(1, round(count * 0.6))
    for i in range(residential):
        if ward.division_type == "xã":
            name = (
                f"Chi hội thôn {VILLAGE_NAMES[(i + rng.randrange(len(VILLAGE_NAMES))) % len(VILLAGE_NAMES)]}"
            )
        else:
            name = f"Chi hội tổ dân phố số {i + 1}"
        specs.append((name, BranchType.RESIDENTIAL))
    others = [
        (f"Chi hội Trường THCS {short}", BranchType.SCHOOL),
        (f"Chi hội Trạm Y tế {ward.name.lower()[0]}{ward.name[1:]}", BranchType.HOSPITAL),
        (f"Chi hội Ủy ban nhân dân {ward.name.lower()[0]}{ward.name[1:]}", BranchType.AGENCY),
        (f"Chi hội Trường Tiểu học {rng.choice(SCHOOL_PATRONS)}", BranchType.SCHOOL),
        (f"Chi hội {rng.choice(ENTERPRISES)}", BranchType.ENTERPRISE),
        (f"Chi hội Trường THPT {rng.choice(SCHOOL_PATRONS)}", BranchType.SCHOOL),
        (f"Chi hội Công an {ward.name.lower()[0]}{ward.name[1:]}", BranchType.AGENCY),
    ]
    seen = {n for n, _ in specs}
    for name, kind in others:
        if len(specs) >= count:
            break
        if name not in seen:
            specs.append((name, kind))
            seen.add(name)
    while len(specs) < count:
        specs.append((f"Chi hội khu dân cư số {len(specs) + 1}", BranchType.RESIDENTIAL))
    return specs


def _seed_branches(ctx, rng, communes: dict[str, Unit]) -> None:
    """The chi hội of every commune and the tổ hội of the residential ones, written in bulk (core.bulk;
    thousands at city scale): codes as unit_create numbers them, one audit event per unit."""
    per_commune = ctx.params["branches_per_commune"]
    groups = ctx.params["groups_per_branch"]
    taken = set(Unit.objects.values_list("code", flat=True))
    children = dict(
        Unit.objects.filter(parent__in=list(communes.values()))
        .values_list("parent")
        .annotate(n=Count("pk"))
        .order_by()
    )
    branches, residential = [], []
    for unit in communes.values():
        count = max(2, per_commune + rng.randint(-per_commune // 3, per_commune // 3))
        n = children.get(unit.pk, 0)
        for name, branch_type in _branch_specs(rng, unit.ward, count):
            n = _free_number(taken, unit.code, n + 1)
            branch = _new_unit(unit, f"{unit.code}.{n:02d}", name, UnitKind.BRANCH, branch_type)
            taken.add(branch.code)
            branches.append(branch)
            if branch_type == BranchType.RESIDENTIAL:
                residential.append(branch)
    _write_units(branches)
    groups_made = []
    for branch in residential:
        for g in range(groups):
            code = f"{branch.code}.{_free_number(taken, branch.code, g + 1):02d}"
            taken.add(code)
            groups_made.append(_new_unit(branch, code, f"Tổ hội số {g + 1}", UnitKind.GROUP, ""))
    _write_units(groups_made)
    ctx.data["branches"] = branches


def _free_number(taken: set[str], base: str, n: int) -> int:
    while f"{base}.{n:02d}" in taken:
        n += 1
    return n


def _new_unit(parent: Unit, code: str, name: str, kind: str, branch_type: str) -> Unit:
    name = clean_spaces(name)
    return Unit(
        name=name,
        kind=kind,
        branch_type=branch_type,
        parent=parent,
        code=code,
        valid_from=REFORM_FIRST_DAY,
        path=f"new-{code}",  # replaced once the id is known
        depth=parent.depth + 1,
        search_key=search_key(name),
    )


def _write_units(units: list[Unit]) -> None:
    """What unit_create does for each, for many at once: the row, its path from its id, the audit."""
    if not units:
        return
    bulk.insert_many(Unit, units)
    for unit in units:
        unit.path = unit.parent.path + path_segment(unit.pk)
    bulk.update_many(Unit, units, ["path"])
    audit.record_many(actor=None, action="org.unit.created", objects=units, changes=audit.created)


AGENCIES = [
    # code, name, short, kind
    ("BDVTU", "Ban Dân vận Thành ủy Hải Phòng", "Ban Dân vận", AgencyKind.PARTY),
    ("VPTU", "Văn phòng Thành ủy Hải Phòng", "Văn phòng Thành ủy", AgencyKind.PARTY),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hải Phòng", "UBMTTQ thành phố", AgencyKind.FRONT),
    ("SNV", "Sở Nội vụ", "Sở Nội vụ", AgencyKind.DEPARTMENT),
    ("STC", "Sở Tài chính", "Sở Tài chính", AgencyKind.DEPARTMENT),
    ("SYT", "Sở Y tế", "Sở Y tế", AgencyKind.DEPARTMENT),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", AgencyKind.DEPARTMENT),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", AgencyKind.DEPARTMENT),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", AgencyKind.DEPARTMENT),
    ("SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ", AgencyKind.DEPARTMENT),
    ("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", AgencyKind.DEPARTMENT),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", AgencyKind.DEPARTMENT),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", AgencyKind.DEPARTMENT),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", AgencyKind.DEPARTMENT),
    ("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT", AgencyKind.DEPARTMENT),
]


def _seed_agencies(ctx) -> None:
    made = {}
    for code, name, short, kind in AGENCIES:
        made[code] = services.agency_create(actor=None, code=code, name=name, short_name=short, kind=kind)
    made["SNNMT"] = services.agency_create(
        actor=None,
        code="SNNMT",
        name="Sở Nông nghiệp và Môi trường",
        short_name="Sở NN&MT",
        kind=AgencyKind.DEPARTMENT,
        valid_from=dt.date(2025, 3, 1),
    )
    ref = "Nghị định 45/2025/NĐ-CP; quyết định của UBND thành phố về sắp xếp các sở"
    close = lambda code, succ: services.agency_close(  # noqa: E731
        actor=None, agency=made[code], on=DEPARTMENT_MERGER_LAST_DAY, successors=succ, reference=ref
    )
    close(
        "SLDTBXH",
        [
            (made["SNV"], True, "Lao động, việc làm, người có công, bình đẳng giới"),
            (made["SYT"], False, "Bảo trợ xã hội, trẻ em, phòng chống tệ nạn xã hội"),
            (made["SNNMT"], False, "Giảm nghèo"),
        ],
    )
    close("SKHDT", [(made["STC"], True, "Toàn bộ chức năng kế hoạch và đầu tư")])
    close(
        "STTTT",
        [
            (made["SKHCN"], True, "Bưu chính, viễn thông, công nghệ thông tin, chuyển đổi số"),
            (made["SVHTTDL"], False, "Báo chí, xuất bản, thông tin cơ sở"),
        ],
    )
    close("SNNPTNT", [(made["SNNMT"], True, "Toàn bộ chức năng nông nghiệp")])
    close("STNMT", [(made["SNNMT"], True, "Toàn bộ chức năng tài nguyên và môi trường")])

    # District people's committees named in the plan ended with the district level.
    communes_committee = services.agency_create(
        actor=None,
        code="UBND-XA",
        name="Ủy ban nhân dân các xã, phường, đặc khu",
        short_name="UBND cấp xã",
        kind=AgencyKind.PEOPLES_COMMITTEE,
        valid_from=REFORM_FIRST_DAY,
    )
    for district in LegacyDistrict.objects.filter(province_id="31").order_by("code"):
        agency = services.agency_create(
            actor=None,
            code=f"UBND-{district.code}",
            name=f"Ủy ban nhân dân {district.name.lower()[0]}{district.name[1:]}",
            short_name=f"UBND {district.name}",
            kind=AgencyKind.PEOPLES_COMMITTEE,
            legacy_district=district,
        )
        services.agency_close(
            actor=None,
            agency=agency,
            on=REFORM_LAST_DAY,
            reference="Luật Tổ chức chính quyền địa phương 2025",
            successors=[
                (communes_committee, True, "Nhiệm vụ của cấp huyện chuyển về cấp xã và cấp thành phố")
            ],
        )
    ctx.data["agencies"] = made
