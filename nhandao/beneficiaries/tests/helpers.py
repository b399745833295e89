"""Small factories for beneficiary tests (through the services, as the application writes)."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.utils import timezone
from openpyxl import Workbook

from nhandao.beneficiaries import services
from nhandao.beneficiaries.models import Category

_counter = itertools.count(1)
TODAY = dt.date(2026, 3, 2)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def poor(year: int | None = None, number: str = "12/GCN-UBND") -> dict:
    return {
        "category": category("ho-ngheo"),
        "evidence_number": number,
        "evidence_year": year or timezone.localdate().year,
    }


def make_case(
    unit,
    name: str | None = None,
    *,
    kind: str = "household",
    status: str = "confirmed",
    consent: bool = True,
    cccd: str | None = None,
    address: str | None = None,
    categories=None,
    ward=None,
    actor=None,
    **head,
):
    """A case in `unit`'s commune, taken through the workflow up to `status`."""
    n = next(_counter)
    head.setdefault("date_of_birth", dt.date(1960, 1, 1) + dt.timedelta(days=n * 37))
    head.setdefault("sex", "M")
    if cccd:
        head["cccd"] = cccd
    case = services.case_create(
        actor=actor,
        kind=kind,
        ward=ward or services.commune_of(unit).ward,
        address_detail=address if address is not None else f"Số {n} Lạch Tray",
        unit=unit,
        head_fields={"full_name": name or f"Trần Văn Thử {_letters(n)}", **head},
        categories=categories if categories is not None else ([poor()] if kind == "household" else []),
        allow_duplicate=True,
    )
    if kind == "individual" and categories is None:
        services.case_category_add(actor=None, case=case, category=category("cao-tuoi-co-don"))
    if consent:
        services.consent_record(
            actor=None,
            case=case,
            purpose="share",
            given_on=timezone.localdate() - dt.timedelta(days=30),
            collected_by="Cán bộ Hội",
        )
    return advance(case, status)


def advance(case, status: str):
    today = timezone.localdate()
    order = ["proposed", "reviewed", "confirmed", "active"]
    if status == "closed":
        services.case_close(actor=None, case=case, closed_on=today, reason="improved")
        case.refresh_from_db()
        return case
    target = order.index(status)
    if target >= 1:
        services.case_review(
            actor=None, case=case, reviewed_on=today - dt.timedelta(days=20), minutes="Biên bản số 3/BB"
        )
    if target >= 2:
        services.case_confirm(
            actor=None, case=case, confirmed_on=today - dt.timedelta(days=10), reference="5/XN"
        )
    if target >= 3:
        services.case_activate(actor=None, case=case)
    case.refresh_from_db()
    return case


def give(case, unit=None, *, kind="gift", days_ago=0, value=500_000, actor=None, **kw):
    return services.help_record_create(
        actor=actor,
        case=case,
        date=timezone.localdate() - dt.timedelta(days=days_ago),
        kind=kind,
        value=value,
        description=kw.pop("description", "Quà Tết"),
        delivering_unit=unit or case.commune,
        source_type=kw.pop("source_type", "unit"),
        source=kw.pop("source", "Hội Chữ thập đỏ"),
        **kw,
    )


def _letters(n: int) -> str:
    alphabet = "ABCDEGHIKLMNOPQRSTUVXY"
    out = ""
    while True:
        out = alphabet[n % len(alphabet)] + out
        n //= len(alphabet)
        if not n:
            return out


def xlsx(rows, *, title_rows=(), header=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in title_rows:
        ws.append(row)
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 16, 46)).save(buf, format="JPEG")
    return buf.getvalue()
