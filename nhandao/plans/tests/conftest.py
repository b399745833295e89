from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from nhandao.core.access import Role


@dataclass
class PlanWorld:
    w: object
    plan: object
    agencies: dict
    committee: object
    reporter_snv: object
    committee_reporter_a: object


AGENCIES = [
    ("BDVTU", "Ban Dân vận Thành ủy Hải Phòng", "party"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hải Phòng", "front"),
    ("SNV", "Sở Nội vụ", "department"),
    ("STC", "Sở Tài chính", "department"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "department"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "department"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "department"),
    ("SNGV", "Sở Ngoại vụ", "department"),
    ("STTTT", "Sở Thông tin và Truyền thông", "department"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "department"),
]


@pytest.fixture
def pw(world, settings, tmp_path) -> PlanWorld:
    """The conftest world, the agencies of the 2023 plan with the 2025 mergers, the 2023 plan."""
    from conftest import make_user
    from nhandao.org import services as org
    from nhandao.plans import services

    settings.MEDIA_ROOT = str(tmp_path)
    made = {"SYT": world.agency}
    for code, name, kind in AGENCIES:
        made[code] = org.agency_create(actor=None, code=code, name=name, kind=kind)
    last = dt.date(2025, 2, 28)
    org.agency_close(
        actor=None, agency=made["SLDTBXH"], on=last, successors=[(made["SNV"], True, "Lao động")]
    )
    org.agency_close(actor=None, agency=made["SKHDT"], on=last, successors=[(made["STC"], True, "Kế hoạch")])
    org.agency_close(actor=None, agency=made["STTTT"], on=last, successors=[(made["SKHCN"], True, "CNTT")])
    committee = org.agency_create(
        actor=None,
        code="UBND-XA",
        name="Ủy ban nhân dân các xã, phường, đặc khu",
        kind="committee",
        valid_from=dt.date(2025, 7, 1),
    )
    since = dt.date(2025, 7, 1)
    snv = make_user("reporter_snv")
    org.role_assign(
        actor=None, user=snv, unit=world.city, role=Role.AGENCY_REPORTER, agency=made["SNV"], valid_from=since
    )
    ubnd_a = make_user("ubnd_a")
    org.role_assign(
        actor=None,
        user=ubnd_a,
        unit=world.commune_a,
        role=Role.AGENCY_REPORTER,
        agency=committee,
        valid_from=since,
    )
    plan = services.plan_load(actor=world.city_admin)
    return PlanWorld(world, plan, made, committee, snv, ubnd_a)


@pytest.fixture
def opened(pw):
    """A six-month round of 2025 for the agencies of the plan, both communes and their committees."""
    from nhandao.plans import services

    agencies = [pw.agencies[c] for c in ("BDVTU", "SNV", "STC", "SYT", "SKHCN")]
    return services.round_open(
        actor=pw.w.city_admin,
        plan=pw.plan,
        name="Sơ kết 6 tháng cuối năm 2025",
        kind="half_year",
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2025, 12, 31),
        deadline=dt.date(2026, 1, 15),
        agencies=agencies,
    )
