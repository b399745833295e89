"""Volunteer hours, clubs and teams, training, awards and the configurable rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import (
    PEOPLE_CONFIGURE,
    PEOPLE_EDIT,
)
from nhandao.core.formatting import date as fmt_date
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.org.models import Unit

from ..choices import (
    ClubKind,
    ClubRole,
    RoleKind,
)
from ..models import (
    Award,
    Club,
    ClubMember,
    PeopleRules,
    Person,
    TrainingCourse,
    TrainingParticipant,
    TrainingSession,
    UnitPeopleStats,
    VolunteerHours,
)
from ._common import _check_visible, _today
from .stats import refresh_stats


# Volunteer hours ------------------------------------------------------------------
@transaction.atomic
def hours_log(
    *, actor, person: Person, date: dt.date, hours, activity: str, note: str = "", unit: Unit | None = None
) -> VolunteerHours:
    person = Person.objects.select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    role = (
        person.roles.filter(kind__in=[RoleKind.VOLUNTEER, RoleKind.COLLABORATOR, RoleKind.YOUTH])
        .current()
        .select_related("unit")
        .first()
    )
    if role is None:
        raise ValidationError(
            _("%(name)s không phải tình nguyện viên đang sinh hoạt.") % {"name": person.full_name}
        )
    unit = unit or role.unit
    access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except Exception:
        raise ValidationError({"hours": _("Số giờ không hợp lệ.")}) from None
    if not Decimal("0.5") <= hours <= Decimal("24"):
        raise ValidationError({"hours": _("Số giờ trong một ngày phải từ 0,5 đến 24.")})
    if date > _today():
        raise ValidationError({"date": _("Ngày ở tương lai.")})
    activity = clean_spaces(activity)
    if not activity:
        raise ValidationError({"activity": _("Cần ghi hoạt động.")})
    entry = VolunteerHours.objects.create(
        person=person, unit=unit, date=date, hours=hours, activity=activity, note=clean_spaces(note)
    )
    audit.record(
        actor=actor,
        action="people.hours.logged",
        obj=entry,
        changes=audit.created(entry),
        data={"person": person.pk},
    )
    refresh_stats([role.unit_id])
    return entry


# Clubs and teams --------------------------------------------------------------------
@transaction.atomic
def club_create(
    *, actor, unit: Unit, name: str, kind: str, founded_on: dt.date | None = None, description: str = ""
) -> Club:
    access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    name = clean_spaces(name)
    if not name:
        raise ValidationError({"name": _("Tên không được để trống.")})
    if kind not in ClubKind.values:
        raise ValidationError({"kind": _("Loại không hợp lệ.")})
    if Club.objects.filter(unit=unit, name__iexact=name, dissolved_on__isnull=True).exists():
        raise ValidationError({"name": _("Đơn vị đã có “%(n)s”.") % {"n": name}})
    club = Club(unit=unit, name=name, kind=kind, founded_on=founded_on, description=clean_spaces(description))
    club.full_clean()
    club.save()
    audit.record(actor=actor, action="people.club.created", obj=club, changes=audit.created(club))
    refresh_stats([unit.pk])
    return club


@transaction.atomic
def club_dissolve(*, actor, club: Club, on: dt.date) -> Club:
    club = Club.objects.select_for_update().select_related("unit").get(pk=club.pk)
    access.require(actor, PEOPLE_EDIT, club.unit, needs_unit=True)
    if club.dissolved_on:
        raise ValidationError(_("Đã giải thể từ %(d)s.") % {"d": fmt_date(club.dissolved_on)})
    club.dissolved_on = on
    club.save(update_fields=["dissolved_on"])
    audit.record(
        actor=actor,
        action="people.club.dissolved",
        obj=club,
        changes={"dissolved_on": {"before": None, "after": on.isoformat()}},
    )
    refresh_stats([club.unit_id])
    return club


@transaction.atomic
def club_member_add(
    *, actor, club: Club, person: Person, role: str = ClubRole.MEMBER, joined_on: dt.date | None = None
) -> ClubMember:
    club = Club.objects.select_related("unit").get(pk=club.pk)
    access.require(actor, PEOPLE_EDIT, club.unit, needs_unit=True)
    person = Person.objects.select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    if not club.active:
        raise ValidationError(_("Câu lạc bộ, đội đã giải thể."))
    if role not in ClubRole.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if club.members.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": _("%(n)s đã là thành viên.") % {"n": person.full_name}})
    if role == ClubRole.LEADER and club.members.filter(role=ClubRole.LEADER, left_on__isnull=True).exists():
        raise ValidationError({"role": _("Đã có chủ nhiệm, đội trưởng; hãy cho người cũ rời trước.")})
    member = ClubMember.objects.create(club=club, person=person, role=role, joined_on=joined_on or _today())
    audit.record(
        actor=actor,
        action="people.club.member_added",
        obj=member,
        changes={
            "person": {"before": None, "after": {"id": person.pk, "repr": person.full_name}},
            "role": {"before": None, "after": role},
        },
        data={"club": club.pk},
    )
    return member


@transaction.atomic
def club_member_leave(*, actor, member: ClubMember, on: dt.date | None = None) -> ClubMember:
    member = ClubMember.objects.select_for_update().select_related("club__unit", "person").get(pk=member.pk)
    access.require(actor, PEOPLE_EDIT, member.club.unit, needs_unit=True)
    if member.left_on:
        raise ValidationError(_("Đã rời từ %(d)s.") % {"d": fmt_date(member.left_on)})
    member.left_on = on or _today()
    member.save(update_fields=["left_on"])
    audit.record(
        actor=actor,
        action="people.club.member_left",
        obj=member,
        changes={"left_on": {"before": None, "after": member.left_on.isoformat()}},
        data={"club": member.club_id, "person": member.person_id},
    )
    return member


# Training --------------------------------------------------------------------------
@transaction.atomic
def course_create(
    *, actor, name: str, topic: str, validity_months: int | None = None, description: str = ""
) -> TrainingCourse:
    access.require(actor, PEOPLE_CONFIGURE, everywhere=True)
    name = clean_spaces(name)
    if TrainingCourse.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Đã có khóa “%(n)s”.") % {"n": name}})
    course = TrainingCourse(
        name=name, topic=topic, validity_months=validity_months, description=clean_spaces(description)
    )
    course.full_clean()
    course.save()
    audit.record(actor=actor, action="people.course.created", obj=course, changes=audit.created(course))
    return course


@transaction.atomic
def session_create(
    *,
    actor,
    unit: Unit,
    course: TrainingCourse,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    location: str = "",
    trainer: str = "",
) -> TrainingSession:
    access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    session = TrainingSession(
        unit=unit,
        course=course,
        title=clean_spaces(title) or course.name,
        starts_on=starts_on,
        ends_on=ends_on,
        location=clean_spaces(location),
        trainer=clean_spaces(trainer),
    )
    session.full_clean()
    session.save()
    audit.record(actor=actor, action="people.training.created", obj=session, changes=audit.created(session))
    return session


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def participant_add(
    *,
    actor,
    session: TrainingSession,
    person: Person,
    passed: bool = False,
    certificate_number: str = "",
    certificate_issued_on: dt.date | None = None,
) -> TrainingParticipant:
    session = TrainingSession.objects.select_related("unit", "course").get(pk=session.pk)
    access.require(actor, PEOPLE_EDIT, session.unit, needs_unit=True)
    person = Person.objects.select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    if session.participants.filter(person=person).exists():
        raise ValidationError({"person": _("%(n)s đã có trong lớp.") % {"n": person.full_name}})
    expires = None
    if passed:
        certificate_issued_on = certificate_issued_on or session.ends_on or session.starts_on
        if session.course.validity_months:
            expires = _add_months(certificate_issued_on, session.course.validity_months)
    elif certificate_number:
        raise ValidationError({"certificate_number": _("Chỉ cấp chứng nhận cho học viên đạt.")})
    participant = TrainingParticipant.objects.create(
        session=session,
        person=person,
        passed=passed,
        certificate_number=clean_spaces(certificate_number),
        certificate_issued_on=certificate_issued_on if passed else None,
        certificate_expires_on=expires,
    )
    audit.record(
        actor=actor,
        action="people.training.participant_added",
        obj=participant,
        changes=audit.created(participant),
        data={"person": person.pk, "session": session.pk},
    )
    return participant


# Awards ------------------------------------------------------------------------------
@transaction.atomic
def award_add(
    *,
    actor,
    person: Person,
    title: str,
    level: str,
    awarded_on: dt.date,
    decision_number: str = "",
    issuer: str = "",
    unit: Unit | None = None,
) -> Award:
    person = Person.objects.select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    unit = unit or person.unit
    access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    title = clean_spaces(title)
    if not title:
        raise ValidationError({"title": _("Cần ghi hình thức khen thưởng.")})
    if awarded_on > _today():
        raise ValidationError({"awarded_on": _("Ngày khen ở tương lai.")})
    award = Award(
        person=person,
        unit=unit,
        title=title,
        level=level,
        awarded_on=awarded_on,
        decision_number=clean_spaces(decision_number),
        issuer=clean_spaces(issuer),
    )
    award.full_clean()
    award.save()
    audit.record(
        actor=actor,
        action="people.award.added",
        obj=award,
        changes=audit.created(award),
        data={"person": person.pk},
    )
    return award


# Rules ---------------------------------------------------------------------------------
RULE_FIELDS = (
    "active_volunteer_hours",
    "active_volunteer_months",
    "member_min_age",
    "volunteer_min_age",
    "youth_min_age",
    "youth_max_age",
    "teen_min_age",
    "teen_max_age",
    "certificate_warning_days",
)


@transaction.atomic
def rules_update(*, actor, **fields) -> PeopleRules:
    access.require(actor, PEOPLE_CONFIGURE, everywhere=True)
    rules = PeopleRules.objects.select_for_update().order_by("pk").first() or PeopleRules.objects.create()
    before = audit.snapshot(rules, RULE_FIELDS)
    for key, value in fields.items():
        if key not in RULE_FIELDS:
            raise ValueError(key)
        setattr(rules, key, value)
    if rules.youth_min_age > rules.youth_max_age or rules.teen_min_age > rules.teen_max_age:
        raise ValidationError(_("Độ tuổi “từ” phải nhỏ hơn độ tuổi “đến”."))
    rules.full_clean()
    rules.save()
    changes = audit.diff(before, audit.snapshot(rules, RULE_FIELDS))
    if changes:
        audit.record(actor=actor, action="people.rules.updated", obj=rules, changes=changes)
    # The active-volunteer rule changed: every unit's count is out of date.
    UnitPeopleStats.objects.update(computed_on=dt.date.min)
    return rules
