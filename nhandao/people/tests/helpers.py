"""Small factories for people tests (through the services, as the application writes)."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from openpyxl import Workbook

from nhandao.people import services
from nhandao.people.choices import RoleKind

_counter = itertools.count(1)


def person(unit, full_name=None, *, role=RoleKind.MEMBER, role_unit=None, **fields):
    n = next(_counter)
    fields.setdefault("date_of_birth", dt.date(1980, 1, 1) + dt.timedelta(days=n))
    fields.setdefault("sex", "F" if n % 2 else "M")
    made = services.person_create(
        actor=None,
        unit=unit,
        full_name=full_name or _name(n),
        allow_duplicate=True,
        **fields,
    )
    if role:
        services.role_add(
            actor=None,
            person=made,
            kind=role,
            unit=role_unit or unit,
            started_on=dt.date(2020, 1, 1),
            staff_type="full_time" if role == RoleKind.STAFF else "",
        )
    return made


def _name(n: int) -> str:
    from nhandao.core.demo_names import FAMILY_NAMES, FEMALE_GIVEN, FEMALE_MIDDLE

    family = FAMILY_NAMES[n % len(FAMILY_NAMES)][0]
    middle = FEMALE_MIDDLE[(n // 3) % len(FEMALE_MIDDLE)]
    given = FEMALE_GIVEN[(n * 7) % len(FEMALE_GIVEN)]
    return f"{family} {middle} {given} {FEMALE_GIVEN[(n // 5) % len(FEMALE_GIVEN)]}"


def xlsx(rows, header=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
