"""Demo data of the privacy module: a few data-subject requests in phường Lê Chân, the city's
tracing officer (`truytim.thanhpho`) with two tracing cases.  Deterministic: no randomness."""

from __future__ import annotations

import datetime as dt

from nhandao.accounts import services as account_services
from nhandao.core.access import Role
from nhandao.core.seeding import DEMO_PASSWORD, DemoLogin, SeedContext
from nhandao.org import services as org_services
from nhandao.people.models import Person

from . import services
from .models import SubjectRequest


def run(ctx: SeedContext) -> None:
    city = ctx.data["city"]
    commune_a = ctx.data["commune_a"]
    tracer = account_services.user_create(
        actor=None,
        username="truytim.thanhpho",
        full_name="Hoàng Thị Ngọc",
        password=DEMO_PASSWORD,
        email="truytim.thanhpho@example.org",
    )
    org_services.role_assign(
        actor=None,
        user=tracer,
        unit=city,
        role=Role.TRACING_OFFICER,
        title="Cán bộ tìm kiếm tin tức thân nhân",
        valid_from=dt.date(2025, 7, 1),
    )
    ctx.logins.append(DemoLogin("truytim.thanhpho", Role(Role.TRACING_OFFICER).label, city.name))

    officer = ctx.data.get("users", {}).get("nhaplieu.lechan")
    people = list(
        Person.objects.filter(unit__path__startswith=commune_a.path, merged_into__isnull=True).order_by("id")[
            :3
        ]
    )
    if len(people) == 3:
        first, second, third = people
        services.request_file(
            actor=officer, person=first, kind="access", details="Xin bản sao dữ liệu Hội đang lưu về tôi."
        )
        correction = services.request_file(
            actor=officer, person=second, kind="correction", details="Ngày sinh ghi sai."
        )
        services.request_decide(
            actor=officer, request=correction, decision="Đồng ý sửa theo CCCD.", effect="Đã sửa ngày sinh."
        )
        services.request_file_public(
            unit=commune_a,
            kind="withdrawal",
            name=third.full_name,
            phone=third.phone or "0900000000",
            details="Tôi không muốn nhận tin nhắn nữa.",
        )

    searching = services.tracing_open(
        actor=tracer,
        unit=commune_a,
        enquirer_consent=True,
        enquirer_name="Nguyễn Văn Tâm",
        enquirer_phone="0911222333",
        sought_name="Nguyễn Thị Thu",
        sought_birth_year=1972,
        relationship="Em gái",
        circumstances="Thất lạc năm 1998 khi đi làm ăn ở các tỉnh phía Nam.",
        last_known_place="Thành phố Hồ Chí Minh",
        last_known_on=dt.date(1998, 6, 1),
    )
    services.tracing_advance(actor=tracer, case=searching)
    found = services.tracing_open(
        actor=tracer,
        unit=commune_a,
        enquirer_consent=True,
        enquirer_name="Trần Thị Hạnh",
        sought_name="Trần Văn Lực",
        relationship="Con trai",
        circumstances="Mất liên lạc sau bão Yagi tháng 9/2024.",
        last_known_place="Đặc khu Cát Hải",
    )
    services.tracing_advance(actor=tracer, case=found)
    found = services.tracing_advance(actor=tracer, case=found, note="Đang làm việc tại Quảng Ninh.")
    services.tracing_sought_consent(actor=tracer, case=found, consent="given")
    services.message_record(
        actor=tracer, case=found, direction="to_enquirer", text="Con vẫn khoẻ, mẹ yên tâm."
    )
    ctx.log(
        f"privacy: {SubjectRequest.objects.count()} yêu cầu về dữ liệu cá nhân, 2 hồ sơ tìm kiếm thân nhân"
    )
