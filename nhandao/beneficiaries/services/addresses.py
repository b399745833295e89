"""Humanitarian addresses: sponsors, their commitments to a case, deliveries against them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BENEFICIARIES_EDIT, BENEFICIARIES_VIEW
from nhandao.core.choices import ContentArea
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import parse_phone
from nhandao.core.text import clean_spaces, search_key
from nhandao.org import access
from nhandao.org.models import Unit
from nhandao.people.models import Person

from ..choices import COMMITMENT_HELP_KIND, CommitmentKind, CommitmentStatus, Period, SourceType, SponsorKind
from ..models import Case, Commitment, HelpRecord, Sponsor
from ._common import _check_visible, _not_future, _today, _user
from .help import _check_delivery, case_help_refusal, help_record_create, next_due
from .stats import refresh_stats
from .workflow import activate_if_confirmed

SPONSOR_FIELDS = ("name", "phone", "email", "address", "contact_person", "note")


def sponsor_visible(actor, sponsor: Sponsor) -> bool:
    """A sponsor is visible in its unit's subtree, and to every unit below it (a city-level
    sponsor can adopt an address in any commune)."""
    if actor is None:
        return True
    scope = access.scope(actor, BENEFICIARIES_VIEW)
    if scope.allows(sponsor.unit):
        return True
    return any(p.startswith(sponsor.unit.path) for p in scope.paths)


def _clean_sponsor(kind, fields, person, sponsor_unit) -> dict:
    errors = {}
    out = {k: clean_spaces(fields.get(k) or "") for k in SPONSOR_FIELDS}
    if kind not in SponsorKind.values:
        errors["kind"] = _("Chọn loại nhà tài trợ.")
    if kind == SponsorKind.PERSON and person is not None and not out["name"]:
        out["name"] = person.full_name
    if kind == SponsorKind.UNIT:
        if sponsor_unit is None:
            errors["sponsor_unit"] = _("Chọn đơn vị Hội tài trợ.")
        elif not out["name"]:
            out["name"] = sponsor_unit.name
    if not out["name"]:
        errors["name"] = _("Cần tên nhà tài trợ.")
    try:
        out["phone"] = parse_phone(out["phone"]) or ""
    except CellError as exc:
        errors["phone"] = exc.message
    if errors:
        raise ValidationError(errors)
    out["name"] = out["name"][:200]
    out["email"] = out["email"].lower()
    return out


@transaction.atomic
def sponsor_create(
    *,
    actor,
    unit: Unit,
    kind: str,
    person: Person | None = None,
    sponsor_unit: Unit | None = None,
    **fields,
) -> Sponsor:
    access.require(actor, BENEFICIARIES_EDIT, unit, needs_unit=True)
    unknown = set(fields) - set(SPONSOR_FIELDS)
    if unknown:
        raise ValueError(f"unknown sponsor fields: {sorted(unknown)}")
    data = _clean_sponsor(kind, fields, person, sponsor_unit)
    sponsor = Sponsor(
        unit=unit,
        kind=kind,
        person=person if kind == SponsorKind.PERSON else None,
        sponsor_unit=sponsor_unit if kind == SponsorKind.UNIT else None,
        **data,
    )
    sponsor.search_key = search_key(sponsor.name, sponsor.contact_person, sponsor.phone)[:300]
    sponsor.full_clean(exclude=["search_key", "unit", "person", "sponsor_unit"])
    sponsor.save()
    audit.record(
        actor=actor, action="beneficiaries.sponsor.created", obj=sponsor, changes=audit.created(sponsor)
    )
    return sponsor


@transaction.atomic
def sponsor_update(*, actor, sponsor: Sponsor, **fields) -> Sponsor:
    sponsor = Sponsor.objects.select_for_update().select_related("unit").get(pk=sponsor.pk)
    access.require(actor, BENEFICIARIES_EDIT, sponsor.unit, needs_unit=True)
    unknown = set(fields) - set(SPONSOR_FIELDS)
    if unknown:
        raise ValueError(f"unknown sponsor fields: {sorted(unknown)}")
    merged = {k: getattr(sponsor, k) for k in SPONSOR_FIELDS} | fields
    data = _clean_sponsor(sponsor.kind, merged, sponsor.person, sponsor.sponsor_unit)
    before = audit.snapshot(sponsor, SPONSOR_FIELDS)
    for key, value in data.items():
        setattr(sponsor, key, value)
    sponsor.search_key = search_key(sponsor.name, sponsor.contact_person, sponsor.phone)[:300]
    changes = audit.diff(before, audit.snapshot(sponsor, SPONSOR_FIELDS))
    if changes:
        sponsor.save()
        audit.record(actor=actor, action="beneficiaries.sponsor.updated", obj=sponsor, changes=changes)
    return sponsor


@transaction.atomic
def commitment_create(
    *,
    actor,
    case: Case,
    sponsor: Sponsor,
    kind: str,
    description: str,
    starts_on: dt.date,
    amount: int = 0,
    period: str = Period.MONTHLY,
    ends_on: dt.date | None = None,
) -> Commitment:
    """Link a confirmed case to a sponsor's commitment (a humanitarian address)."""
    case = Case.objects.select_for_update().select_related("unit", "commune").get(pk=case.pk)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    refusal = case_help_refusal(case)
    if refusal:
        raise ValidationError(
            _("Chỉ hồ sơ đã được xã xác nhận mới gắn được địa chỉ nhân đạo. %(r)s") % {"r": refusal}
        )
    if not sponsor_visible(actor, sponsor):
        raise ValidationError({"sponsor": _("Không có nhà tài trợ này trong phạm vi của bạn.")})
    errors = {}
    if kind not in CommitmentKind.values:
        errors["kind"] = _("Chọn hình thức cam kết.")
    if period not in Period.values:
        errors["period"] = _("Chọn định kỳ.")
    description = clean_spaces(description)[:300]
    if not description:
        errors["description"] = _("Cần ghi nội dung cam kết (ví dụ: 500.000 đồng mỗi tháng).")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        errors["amount"] = _("Giá trị là số tiền đồng, số nguyên không âm.")
    elif kind == CommitmentKind.CASH_MONTHLY and amount == 0:
        errors["amount"] = _("Cam kết tiền cần ghi số tiền mỗi kỳ.")
    if starts_on is None:
        errors["starts_on"] = _("Cần ngày bắt đầu.")
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc trước ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    commitment = Commitment.objects.create(
        case=case,
        sponsor=sponsor,
        unit=case.unit,
        kind=kind,
        description=description,
        amount=amount,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        next_due_on=next_due(period, starts_on, None),
        created_by=_user(actor),
    )
    activate_if_confirmed(actor, case, min(starts_on, _today()))
    audit.record(
        actor=actor,
        action="beneficiaries.commitment.created",
        obj=commitment,
        changes=audit.created(commitment),
        data={"case": case.pk, "sponsor": sponsor.name},
    )
    refresh_stats([case.unit_id])
    return commitment


@transaction.atomic
def commitment_end(*, actor, commitment: Commitment, ended_on: dt.date, reason: str) -> Commitment:
    commitment = Commitment.objects.select_for_update().select_related("case__unit").get(pk=commitment.pk)
    _check_visible(actor, commitment.case)
    access.require(actor, BENEFICIARIES_EDIT, commitment.unit, needs_unit=True)
    if commitment.status == CommitmentStatus.ENDED:
        raise ValidationError(_("Cam kết này đã kết thúc."))
    reason = clean_spaces(reason)[:300]
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do kết thúc.")})
    if ended_on is None:
        raise ValidationError({"ended_on": _("Cần ngày kết thúc.")})
    _not_future(ended_on, "ended_on", _("Ngày kết thúc"))
    if ended_on < commitment.starts_on:
        raise ValidationError({"ended_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    if commitment.last_delivery_on and ended_on < commitment.last_delivery_on:
        raise ValidationError({"ended_on": _("Ngày kết thúc trước lần trao gần nhất.")})
    commitment.status = CommitmentStatus.ENDED
    commitment.ended_on = ended_on
    commitment.end_reason = reason
    commitment.save(update_fields=["status", "ended_on", "end_reason"])
    audit.record(
        actor=actor,
        action="beneficiaries.commitment.ended",
        obj=commitment,
        changes={
            "status": {"before": CommitmentStatus.ACTIVE, "after": CommitmentStatus.ENDED},
            "ended_on": {"before": None, "after": ended_on},
        },
        data={"reason": reason},
    )
    refresh_stats([commitment.unit_id])
    return commitment


@transaction.atomic
def commitment_deliver(
    *,
    actor,
    commitment: Commitment,
    date: dt.date,
    delivering_unit: Unit,
    value: int | None = None,
    description: str = "",
    person: Person | None = None,
    volunteers: Iterable[Person] = (),
    duplicate_reason: str = "",
) -> HelpRecord:
    """Record one delivery against a commitment (refused once the commitment has ended)."""
    commitment = Commitment.objects.select_related("case", "sponsor").get(pk=commitment.pk)
    _check_visible(actor, commitment.case)
    access.require(actor, BENEFICIARIES_EDIT, commitment.unit, needs_unit=True)
    _check_delivery(commitment, commitment.case, date)
    return help_record_create(
        actor=actor,
        case=commitment.case,
        date=date,
        kind=COMMITMENT_HELP_KIND[commitment.kind],
        area=ContentArea.RELIEF,
        value=commitment.amount if value is None else value,
        description=clean_spaces(description) or commitment.description,
        delivering_unit=delivering_unit,
        person=person,
        source_type=SourceType.SPONSOR,
        source=commitment.sponsor.name,
        sponsor=commitment.sponsor,
        commitment=commitment,
        volunteers=volunteers,
        duplicate_reason=duplicate_reason,
    )
