"""Roles over time (member, volunteer, collaborator, youth, staff), member cards and dues."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import (
    PEOPLE_CONFIGURE,
    PEOPLE_DUES,
    PEOPLE_EDIT,
)
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.org.models import Unit

from ..choices import (
    CURRENT_STATUSES,
    RoleKind,
    RoleStatus,
    StaffType,
    YouthBand,
)
from ..models import (
    DuesPayment,
    DuesRate,
    PeopleRules,
    Person,
    PersonRole,
    new_card_token,
)
from ._common import _check_visible, _today
from .stats import refresh_stats


# Roles ---------------------------------------------------------------------------
def _age_problem(person: Person, kind: str, youth_band: str, rules: PeopleRules, on: dt.date) -> str:
    return age_problem(person.age_on(on), kind, youth_band, rules)


def age_problem(age: int | None, kind: str, youth_band: str, rules: PeopleRules) -> str:
    """Why someone of `age` cannot hold `kind` under the rules ('' when they can)."""
    if age is None:
        return ""
    if kind == RoleKind.MEMBER and age < rules.member_min_age:
        return _("Hội viên phải từ đủ %(n)s tuổi; người này %(a)s tuổi.") % {
            "n": rules.member_min_age,
            "a": age,
        }
    if kind == RoleKind.VOLUNTEER and age < rules.volunteer_min_age:
        return _("Tình nguyện viên phải từ đủ %(n)s tuổi; người này %(a)s tuổi.") % {
            "n": rules.volunteer_min_age,
            "a": age,
        }
    if kind == RoleKind.YOUTH:
        low, high = (
            (rules.youth_min_age, rules.youth_max_age)
            if youth_band == YouthBand.YOUTH
            else (rules.teen_min_age, rules.teen_max_age)
        )
        if not low <= age <= high:
            return _("%(band)s từ %(lo)s đến %(hi)s tuổi; người này %(a)s tuổi.") % {
                "band": YouthBand(youth_band).label,
                "lo": low,
                "hi": high,
                "a": age,
            }
    return ""


def youth_band_for(age: int | None, rules: PeopleRules) -> str:
    if age is None:
        return YouthBand.YOUTH
    return YouthBand.TEEN if age <= rules.teen_max_age else YouthBand.YOUTH


def _check_card_number(card_number: str | None, exclude_pk=None) -> str | None:
    card_number = clean_spaces(card_number or "").upper() or None
    if card_number and PersonRole.objects.filter(card_number=card_number).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {"card_number": _("Số thẻ hội viên “%(n)s” đã được cấp cho người khác.") % {"n": card_number}}
        )
    return card_number


def _next_card_number(unit: Unit) -> str:
    """Unit code + running number; unique across the installation."""
    base = unit.code.replace(".", "-")
    count = PersonRole.objects.filter(kind=RoleKind.MEMBER, card_number__startswith=f"{base}-").count() + 1
    while PersonRole.objects.filter(card_number=f"{base}-{count:05d}").exists():
        count += 1
    return f"{base}-{count:05d}"


@transaction.atomic
def role_add(
    *,
    actor,
    person: Person,
    kind: str,
    unit: Unit,
    started_on: dt.date | None = None,
    card_number: str | None = None,
    availability: str = "",
    youth_band: str = "",
    staff_type: str = "",
    position: str = "",
) -> PersonRole:
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Vai trò không hợp lệ.")})
    if person.merged_into_id:
        raise ValidationError(_("Hồ sơ này đã được hợp nhất vào hồ sơ khác."))
    if person.deceased_on:
        raise ValidationError(_("Người này đã mất (%(d)s).") % {"d": fmt_date(person.deceased_on)})
    if not unit.is_active():
        raise ValidationError({"unit": _("Đơn vị “%(n)s” đã ngừng hoạt động.") % {"n": unit.name}})
    started_on = started_on or _today()
    if started_on > _today():
        raise ValidationError({"started_on": _("Ngày bắt đầu ở tương lai.")})
    current = person.roles.current().filter(kind=kind).select_related("unit").first()
    if current is not None:
        raise ValidationError(
            {
                "kind": _("%(name)s đang là %(role)s tại %(unit)s.")
                % {"name": person.full_name, "role": RoleKind(kind).label.lower(), "unit": current.unit.name}
            }
        )
    rules = PeopleRules.current()
    if kind == RoleKind.YOUTH:
        youth_band = youth_band or youth_band_for(person.age_on(started_on), rules)
        if youth_band not in YouthBand.values:
            raise ValidationError({"youth_band": _("Nhóm thanh thiếu niên không hợp lệ.")})
    problem = _age_problem(person, kind, youth_band, rules, started_on)
    if problem:
        raise ValidationError({"kind": problem})
    if kind == RoleKind.STAFF and staff_type not in StaffType.values:
        raise ValidationError({"staff_type": _("Chọn cán bộ chuyên trách hay kiêm nhiệm.")})
    role = PersonRole(
        person=person,
        unit=unit,
        kind=kind,
        started_on=started_on,
        availability=availability if kind == RoleKind.VOLUNTEER else "",
        youth_band=youth_band if kind == RoleKind.YOUTH else "",
        staff_type=staff_type if kind == RoleKind.STAFF else "",
        position=clean_spaces(position) if kind == RoleKind.STAFF else "",
    )
    if kind == RoleKind.MEMBER:
        role.card_number = _check_card_number(card_number) or _next_card_number(unit)
        role.card_token = new_card_token()
        role.card_issued_on = started_on
    role.full_clean(exclude=["card_token"])
    role.save()
    audit.record(
        actor=actor,
        action="people.role.added",
        obj=role,
        changes=audit.created(role, exclude=("id", "card_token")),
        data={"person": person.pk},
    )
    refresh_stats([unit.pk])
    return role


@transaction.atomic
def role_set_status(
    *, actor, role: PersonRole, status: str, on: dt.date | None = None, reason: str = ""
) -> PersonRole:
    """Suspend, resume, end (left) or record a death.  A death ends every current role."""
    role = PersonRole.objects.select_for_update().select_related("person", "unit").get(pk=role.pk)
    _check_visible(actor, role.person)
    access.require(actor, PEOPLE_EDIT, role.unit, needs_unit=True)
    on = on or _today()
    if status not in RoleStatus.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    if role.status in (RoleStatus.LEFT, RoleStatus.DECEASED):
        raise ValidationError(
            _("Vai trò này đã kết thúc; để sinh hoạt lại, hãy thêm vai trò mới (kết nạp lại).")
        )
    if status == role.status:
        return role
    if status in (RoleStatus.LEFT, RoleStatus.SUSPENDED) and not clean_spaces(reason):
        raise ValidationError({"reason": _("Cần ghi lý do.")})
    if role.started_on and on < role.started_on:
        raise ValidationError(
            {"on": _("Ngày không thể trước ngày bắt đầu (%(d)s).") % {"d": fmt_date(role.started_on)}}
        )
    if status == RoleStatus.DECEASED:
        person = Person.objects.select_for_update().get(pk=role.person_id)
        person.deceased_on = on
        person.save(update_fields=["deceased_on", "updated_at"])
        audit.record(
            actor=actor,
            action="people.person.deceased",
            obj=person,
            changes={"deceased_on": {"before": None, "after": on.isoformat()}},
        )
        touched = set()
        for other in PersonRole.objects.select_for_update().filter(
            person=person, status__in=CURRENT_STATUSES
        ):
            touched.add(other.unit_id)
            _end_role(actor, other, RoleStatus.DECEASED, on, reason or _("Đã mất"))
        refresh_stats(touched)
        return PersonRole.objects.get(pk=role.pk)
    if status == RoleStatus.LEFT:
        _end_role(actor, role, status, on, reason)
    else:
        before = audit.snapshot(role, ["status", "end_reason"])
        role.status = status
        role.end_reason = clean_spaces(reason) if status == RoleStatus.SUSPENDED else ""
        role.save(update_fields=["status", "end_reason"])
        audit.record(
            actor=actor,
            action="people.role.suspended" if status == RoleStatus.SUSPENDED else "people.role.resumed",
            obj=role,
            changes=audit.diff(before, audit.snapshot(role, ["status", "end_reason"])),
        )
    refresh_stats([role.unit_id])
    return role


def _end_role(actor, role: PersonRole, status: str, on: dt.date, reason: str) -> None:
    before = audit.snapshot(role, ["status", "ended_on", "end_reason"])
    role.status = status
    role.ended_on = max(on, role.started_on) if role.started_on else on
    role.end_reason = clean_spaces(reason)
    role.save(update_fields=["status", "ended_on", "end_reason"])
    audit.record(
        actor=actor,
        action="people.role.ended",
        obj=role,
        changes=audit.diff(before, audit.snapshot(role, ["status", "ended_on", "end_reason"])),
    )


@transaction.atomic
def card_reissue(*, actor, role: PersonRole) -> PersonRole:
    """A new verification code (the old card's QR stops working), e.g. after a loss."""
    role = PersonRole.objects.select_for_update().select_related("person", "unit").get(pk=role.pk)
    _check_visible(actor, role.person)
    access.require(actor, PEOPLE_EDIT, role.unit, needs_unit=True)
    if role.kind != RoleKind.MEMBER or not role.is_current:
        raise ValidationError(_("Chỉ cấp thẻ cho hội viên đang sinh hoạt."))
    role.card_token = new_card_token()
    role.card_issued_on = _today()
    role.save(update_fields=["card_token", "card_issued_on"])
    audit.record(
        actor=actor,
        action="people.card.reissued",
        obj=role,
        changes={"card_issued_on": {"before": None, "after": role.card_issued_on.isoformat()}},
    )
    return role


# Dues ---------------------------------------------------------------------------
def dues_rate_for(unit: Unit, year: int) -> DuesRate | None:
    """The rate set by the unit or its nearest ancestor for that year."""
    ids = [*unit.ancestor_ids(), unit.pk]
    rates = {r.unit_id: r for r in DuesRate.objects.filter(unit_id__in=ids, year=year)}
    for unit_id in reversed(ids):
        if unit_id in rates:
            return rates[unit_id]
    return None


@transaction.atomic
def dues_rate_set(*, actor, unit: Unit, year: int, amount: int, note: str = "") -> DuesRate:
    access.require(actor, PEOPLE_CONFIGURE, unit, needs_unit=True)
    if not isinstance(amount, int) or amount < 0:
        raise ValidationError({"amount": _("Mức thu là số tiền nguyên, không âm.")})
    if not 2000 <= year <= _today().year + 1:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    rate = DuesRate.objects.select_for_update().filter(unit=unit, year=year).first()
    before = audit.snapshot(rate, ["amount", "note"]) if rate else {}
    if rate is None:
        rate = DuesRate(unit=unit, year=year)
    rate.amount = amount
    rate.note = clean_spaces(note)
    rate.save()
    audit.record(
        actor=actor,
        action="people.dues_rate.set",
        obj=rate,
        changes=audit.diff(before, audit.snapshot(rate, ["amount", "note"])),
        data={"year": year},
    )
    return rate


@transaction.atomic
def dues_record(
    *,
    actor,
    person: Person,
    year: int,
    amount: int | None = None,
    paid_on: dt.date | None = None,
    exempt: bool = False,
    exempt_reason: str = "",
) -> DuesPayment:
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    membership = (
        person.roles.filter(kind=RoleKind.MEMBER)
        .filter(Q(started_on__isnull=True) | Q(started_on__year__lte=year))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=year))
        .select_related("unit")
        .order_by("-started_on")
        .first()
    )
    if membership is None:
        raise ValidationError(
            {
                "year": _("%(name)s không phải hội viên trong năm %(y)s.")
                % {"name": person.full_name, "y": year}
            }
        )
    unit = membership.unit
    access.require(actor, PEOPLE_DUES, unit, needs_unit=True)
    if not 2000 <= year <= _today().year + 1:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    if DuesPayment.objects.filter(person=person, year=year).exists():
        raise ValidationError({"year": _("Đã ghi nhận hội phí năm %(y)s của người này.") % {"y": year}})
    if exempt:
        if not clean_spaces(exempt_reason):
            raise ValidationError({"exempt_reason": _("Miễn hội phí cần ghi lý do.")})
        amount, paid_on = 0, None
    else:
        if amount is None:
            rate = dues_rate_for(unit, year)
            if rate is None:
                raise ValidationError(
                    {"amount": _("Chưa có mức hội phí năm %(y)s cho đơn vị; hãy nhập số tiền.") % {"y": year}}
                )
            amount = rate.amount
        if not isinstance(amount, int) or amount <= 0:
            raise ValidationError({"amount": _("Số tiền phải là số nguyên dương (đồng).")})
        paid_on = paid_on or _today()
        if paid_on > _today():
            raise ValidationError({"paid_on": _("Ngày nộp ở tương lai.")})
    payment = DuesPayment.objects.create(
        person=person,
        unit=unit,
        year=year,
        amount=amount,
        paid_on=paid_on,
        exempt=exempt,
        exempt_reason=clean_spaces(exempt_reason) if exempt else "",
    )
    audit.record(
        actor=actor,
        action="people.dues.exempted" if exempt else "people.dues.paid",
        obj=payment,
        changes=audit.created(payment),
        data={"person": person.pk, "amount": money(amount)},
    )
    return payment
