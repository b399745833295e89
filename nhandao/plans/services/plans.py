"""Plans as data: a plan, its contents (section II) and its duties (section III); the fixture; copies."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.choices import ContentArea
from nhandao.core.text import clean_spaces
from nhandao.org.models import Agency

from ..models import (
    Assignee,
    Duty,
    DutyRole,
    Plan,
    PlanContent,
    Recurrence,
)
from .common import FIXTURE, _manage


def _check_agency(agency: Agency | None, on: dt.date) -> None:
    """A duty goes to an agency still at work, or one whose duties someone holds now."""
    if agency is None:
        raise ValidationError({"agency": _("Hãy chọn cơ quan được giao nhiệm vụ.")})
    agency = Agency.objects.get(pk=agency.pk)  # as stored: the caller's copy may predate its closing
    if not agency.is_active(on) and not agency.current_holders(on):
        raise ValidationError(
            {
                "agency": _(
                    "Cơ quan “%(a)s” đã ngừng hoạt động và không có cơ quan tiếp nhận nhiệm vụ: "
                    "hãy giao nhiệm vụ cho cơ quan đang hoạt động."
                )
                % {"a": agency.name}
            }
        )


def _areas(values) -> list[str]:
    values = [str(v) for v in values or []]
    bad = [v for v in values if v not in ContentArea.values]
    if bad:
        raise ValidationError({"areas": _("Lĩnh vực không hợp lệ: %(v)s.") % {"v": ", ".join(bad)}})
    return values


@transaction.atomic
def plan_create(
    *,
    actor,
    year: int,
    title: str,
    issuer: str,
    number: int | None = None,
    symbol: str = "KH-UBND",
    issued_on: dt.date | None = None,
    legal_basis: list | None = None,
    preamble: str = "",
    purposes: list | None = None,
    requirements: list | None = None,
    signer: dict | None = None,
    recipients: list | None = None,
    full_text: str = "",
    place: str = "Hải Phòng",
) -> Plan:
    _manage(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Hãy nhập trích yếu của kế hoạch.")})
    if not clean_spaces(issuer):
        raise ValidationError({"issuer": _("Hãy nhập cơ quan ban hành.")})
    if number is not None and Plan.objects.filter(number=number, symbol=symbol, year=year).exists():
        raise ValidationError(
            {"number": _("Số %(n)s/%(s)s năm %(y)s đã được dùng.") % {"n": number, "s": symbol, "y": year}}
        )
    plan = Plan(
        year=year,
        title=title,
        issuer=clean_spaces(issuer),
        number=number,
        symbol=clean_spaces(symbol) or "KH-UBND",
        issued_on=issued_on,
        legal_basis=legal_basis or [],
        preamble=preamble or "",
        purposes=purposes or [],
        requirements=requirements or [],
        signer=signer or {},
        recipients=recipients or [],
        full_text=full_text or "",
        place=place,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.full_clean()
    plan.save()
    audit.record(
        actor=actor,
        action="plans.plan.created",
        obj=plan,
        changes=audit.created(plan, exclude=("id", "full_text")),
    )
    return plan


@transaction.atomic
def content_add(*, actor, plan: Plan, number: str, text: str, letter: str = "", areas=()) -> PlanContent:
    _manage(actor)
    number, letter, text = _content_fields(number, letter, text)
    if plan.contents.filter(number=number, letter=letter).exists():
        raise ValidationError({"number": _("Kế hoạch đã có mục %(c)s.") % {"c": f"{number}{letter}"}})
    parent = None
    if letter:
        parent = plan.contents.filter(number=number, letter="").first()
        if parent is None:
            raise ValidationError(
                {"number": _("Chưa có mục %(n)s để thêm điểm %(l)s.") % {"n": number, "l": letter}}
            )
    order = (plan.contents.aggregate(m=Max("order"))["m"] or 0) + 1
    content = PlanContent.objects.create(
        plan=plan, parent=parent, number=number, letter=letter, text=text, areas=_areas(areas), order=order
    )
    audit.record(actor=actor, action="plans.content.added", obj=content, changes=audit.created(content))
    return content


LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k")


def _content_fields(number: str, letter: str, text: str) -> tuple[str, str, str]:
    number, letter, text = clean_spaces(number), clean_spaces(letter).lower(), (text or "").strip()
    if not number.isdigit() or not 1 <= int(number) <= 20:
        raise ValidationError(
            {"number": _("Số mục phải là số (1, 2, 3 …), không phải “%(n)s”.") % {"n": number}}
        )
    if letter and letter not in LETTERS:
        raise ValidationError(
            {"letter": _("Điểm phải là một chữ cái a, b, c, d, đ …, không phải “%(l)s”.") % {"l": letter}}
        )
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung của mục %(c)s.") % {"c": f"{number}{letter}"}})
    return number, letter, text


@transaction.atomic
def content_update(*, actor, content: PlanContent, text: str, areas=()) -> PlanContent:
    """Change the text and the content-area tags of an item of section II."""
    _manage(actor)
    content = PlanContent.objects.select_for_update().get(pk=content.pk)
    _number, _letter, text = _content_fields(content.number, content.letter, text)
    before = audit.snapshot(content, ["text", "areas"])
    content.text, content.areas = text, _areas(areas)
    content.save(update_fields=["text", "areas"])
    changes = audit.diff(before, audit.snapshot(content, ["text", "areas"]))
    if changes:
        audit.record(actor=actor, action="plans.content.changed", obj=content, changes=changes)
    return content


@transaction.atomic
def duty_add(
    *,
    actor,
    plan: Plan,
    section: str,
    heading: str,
    text: str,
    assignee: str,
    role: str,
    recurrence: str,
    agency: Agency | None = None,
    contents=(),
    areas=(),
    on: dt.date | None = None,
) -> Duty:
    _manage(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung nhiệm vụ.")})
    if assignee not in Assignee.values:
        raise ValidationError({"assignee": _("Hãy chọn nơi được giao nhiệm vụ.")})
    if role not in DutyRole.values:
        raise ValidationError({"role": _("Hãy chọn chủ trì hoặc phối hợp.")})
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Hãy chọn định kỳ thực hiện.")})
    if assignee == Assignee.AGENCY:
        _check_agency(agency, on or timezone.localdate())
    else:
        agency = None
    order = (plan.duties.aggregate(m=Max("order"))["m"] or 0) + 1
    section = clean_spaces(section)
    duty = Duty.objects.create(
        plan=plan,
        section=section,
        item=plan.duties.filter(section=section).count() + 1,
        heading=clean_spaces(heading)[:200],
        order=order,
        text=text,
        assignee=assignee,
        agency=agency,
        role=role,
        recurrence=recurrence,
        areas=_areas(areas),
    )
    if contents:
        duty.contents.set(contents)
    audit.record(actor=actor, action="plans.duty.added", obj=duty, changes=audit.created(duty))
    return duty


@transaction.atomic
def plan_load(*, actor, path: Path = FIXTURE) -> Plan:
    """Record a plan from its JSON fixture (the Hải Phòng 2023 plan ships as one)."""
    _manage(actor)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    plan = plan_create(
        actor=actor,
        year=data["year"],
        title=data["title"],
        issuer=data["issuer"],
        number=data.get("number"),
        symbol=data.get("symbol") or "KH-UBND",
        issued_on=dt.date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None,
        legal_basis=data.get("legal_basis") or [],
        preamble=data.get("preamble", ""),
        purposes=data.get("purposes") or [],
        requirements=data.get("requirements") or [],
        signer=data.get("signer") or {},
        recipients=data.get("recipients") or [],
        full_text=data.get("full_text", ""),
        place=data.get("place", "Hải Phòng"),
    )
    by_code: dict[str, PlanContent] = {}
    for item in data["contents"]:
        parent = content_add(
            actor=actor, plan=plan, number=item["number"], text=item["text"], areas=item["areas"]
        )
        by_code[parent.code] = parent
        for sub in item["items"]:
            child = content_add(
                actor=actor,
                plan=plan,
                number=item["number"],
                letter=sub["letter"],
                text=sub["text"],
                areas=sub["areas"],
            )
            by_code[child.code] = child
    agencies = {a.code: a for a in Agency.objects.all()}
    # The plan is of its year: its agencies were all at work when it was issued.
    issued = dt.date(data["year"], 12, 31)
    for group in data["assignments"]:
        agency = agencies.get(group["agency"]) if group.get("agency") else None
        if group.get("agency") and agency is None:
            raise ValidationError({"agency": _("Không tìm thấy cơ quan mã %(c)s.") % {"c": group["agency"]}})
        for duty in group["duties"]:
            duty_add(
                actor=actor,
                plan=plan,
                section=group["number"],
                heading=group["heading"],
                text=duty["text"],
                assignee=group["assignee"],
                agency=agency,
                role=duty["role"],
                recurrence=duty["recurrence"],
                contents=[by_code[c] for c in duty["contents"]],
                areas=duty["areas"],
                on=issued,
            )
    return plan


@transaction.atomic
def plan_copy(*, actor, plan: Plan, year: int) -> Plan:
    """Start next year's plan from this one: same contents and duties, no number yet; a duty of an
    agency merged since goes to the agency that holds it now."""
    _manage(actor)
    today = timezone.localdate()
    copy = plan_create(
        actor=actor,
        year=year,
        title=plan.title,
        issuer=plan.issuer,
        symbol=plan.symbol,
        legal_basis=plan.legal_basis,
        preamble=plan.preamble,
        purposes=plan.purposes,
        requirements=plan.requirements,
        signer=plan.signer,
        recipients=plan.recipients,
        place=plan.place,
    )
    copy.copied_from = plan
    copy.save(update_fields=["copied_from"])
    mapping: dict[int, PlanContent] = {}
    for content in plan.contents.order_by("order"):
        mapping[content.pk] = PlanContent.objects.create(
            plan=copy,
            parent=mapping.get(content.parent_id),
            number=content.number,
            letter=content.letter,
            text=content.text,
            areas=content.areas,
            order=content.order,
        )
    for duty in plan.duties.select_related("agency").prefetch_related("contents").order_by("order"):
        agency = duty.agency
        if agency is not None and not agency.is_active(today):
            holders = agency.current_holders(today)
            if not holders:
                raise ValidationError(
                    {
                        "agency": _(
                            "Nhiệm vụ %(d)s giao cho “%(a)s” đã ngừng hoạt động, không có cơ quan tiếp nhận."
                        )
                        % {"d": duty.code, "a": agency.name}
                    }
                )
            agency = holders[0]
        new = Duty.objects.create(
            plan=copy,
            section=duty.section,
            heading=duty.heading if agency == duty.agency else (str(agency.name) if agency else duty.heading),
            order=duty.order,
            item=duty.item,
            text=duty.text,
            assignee=duty.assignee,
            agency=agency,
            role=duty.role,
            recurrence=duty.recurrence,
            areas=duty.areas,
        )
        new.contents.set([mapping[c.pk] for c in duty.contents.all()])
    audit.record(actor=actor, action="plans.plan.copied", obj=copy, data={"from": plan.pk, "year": year})
    return copy
