"""Every write of the blood module: drives, registrations, the day's visits, donations.

Each function checks the actor's permission on the drive's unit (actor None: the
system itself, or the public on the registration page), validates with
Vietnamese messages naming the field, writes in one transaction and records an
audit event.  Health data (screening values, deferral reasons, pre-screening
answers) is never copied into the audit trail: events say "screened", "deferred".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit, refcodes
from nhandao.core.access import BLOOD_CHECKIN, BLOOD_MANAGE, BLOOD_MEDICAL
from nhandao.core.formatting import date as fmt_date
from nhandao.core.text import normalize, title_name
from nhandao.org import access
from nhandao.people import services as people_services
from nhandao.people.identity import clean_id
from nhandao.people.models import Award, Person
from nhandao.people.services import award_add

from . import eligibility, messages
from .choices import (
    BloodGroup,
    DonationKind,
    DriveStatus,
    NoticeReason,
    PledgePurpose,
    RegistrationStatus,
    ScreeningResult,
)
from .honours_doc import band_title
from .models import (
    Deferral,
    Donation,
    Donor,
    Drive,
    DriveNotice,
    OrganPledge,
    PledgeConsent,
    Registration,
    Target,
    Visit,
)
from .selectors import honours

DRIVE_FIELDS = (
    "name",
    "venue",
    "address",
    "ward",
    "date",
    "starts_at",
    "ends_at",
    "centre",
    "capacity_per_hour",
    "target_units",
    "is_public",
    "note",
)
MOVE_FIELDS = ("venue", "address", "ward", "date", "starts_at", "ends_at")
VOLUMES_ML = (250, 350, 450)


class NotEligible(ValidationError):
    """Raised when the rules say no; `verdict` says why and from when."""

    def __init__(self, verdict: eligibility.Verdict):
        if verdict.next_date:
            text = _("Bạn chưa hiến máu được vào ngày %(d)s; bạn có thể hiến từ ngày %(n)s. %(why)s") % {
                "d": fmt_date(verdict.on),
                "n": fmt_date(verdict.next_date),
                "why": verdict.explanation(),
            }
        else:
            text = _("Bạn không hiến máu được: %(why)s") % {"why": verdict.explanation()}
        super().__init__(text)
        self.verdict = verdict


def _today() -> dt.date:
    return timezone.localdate()


# Drives ---------------------------------------------------------------------------------------
def _clean_drive(drive: Drive, *, is_new: bool) -> None:
    errors: dict[str, list[str]] = {}
    if drive.date and drive.date < _today():
        errors.setdefault("date", []).append(_("Ngày hiến máu %(d)s đã qua.") % {"d": fmt_date(drive.date)})
    if drive.starts_at and drive.ends_at and drive.ends_at <= drive.starts_at:
        errors.setdefault("ends_at", []).append(_("Giờ kết thúc phải sau giờ bắt đầu."))
    if not drive.capacity_per_hour:
        errors.setdefault("capacity_per_hour", []).append(_("Số người mỗi giờ phải lớn hơn 0."))
    if not drive.target_units:
        errors.setdefault("target_units", []).append(_("Chỉ tiêu phải lớn hơn 0."))
    if drive.centre_id and not drive.centre.is_active and is_new:
        errors.setdefault("centre", []).append(_("Cơ sở tiếp nhận máu này đã ngừng hoạt động."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def drive_create(*, actor, unit, **fields) -> Drive:
    access.require(actor, BLOOD_MANAGE, unit, needs_unit=True)
    unknown = set(fields) - set(DRIVE_FIELDS)
    if unknown:
        raise ValueError(f"unknown drive fields: {sorted(unknown)}")
    drive = Drive(unit=unit, **fields)
    _clean_drive(drive, is_new=True)
    drive.full_clean()
    drive.save()
    audit.record(actor=actor, action="blood.drive.created", obj=drive, changes=audit.created(drive))
    return drive


def _active_registrations(drive: Drive):
    return drive.registrations.filter(status=RegistrationStatus.REGISTERED)


def _notice(drive: Drive, reason: str, message: str) -> DriveNotice:
    """Record who must be informed and queue the message to each of them through the outgoing-message
    service (nhandao.messaging): it leaves when this transaction commits."""
    notice = DriveNotice.objects.create(drive=drive, reason=reason, message=message)
    notice.recipients.set(_active_registrations(drive))
    messages.notice_send(notice)
    return notice


@transaction.atomic
def drive_move(*, actor, drive: Drive, **fields) -> tuple[Drive, DriveNotice | None]:
    """Change a planned drive's date, hours or venue; everyone registered is to be informed."""
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    access.require(actor, BLOOD_MANAGE, drive.unit, needs_unit=True)
    unknown = set(fields) - set(MOVE_FIELDS)
    if unknown:
        raise ValueError(f"not movable: {sorted(unknown)}")
    if drive.status != DriveStatus.PLANNED:
        raise ValidationError(_("Chỉ đổi được đợt hiến máu đang lên kế hoạch."))
    before = audit.snapshot(drive, MOVE_FIELDS)
    for key, value in fields.items():
        setattr(drive, key, value)
    _clean_drive(drive, is_new=False)
    drive.full_clean()
    changes = audit.diff(before, audit.snapshot(drive, MOVE_FIELDS))
    if not changes:
        return drive, None
    drive.save()
    message = _(
        "Đợt hiến máu “%(n)s” đổi sang ngày %(d)s, %(s)s–%(e)s tại %(v)s, %(a)s. Mã đăng ký của bạn vẫn giữ nguyên."
    ) % {
        "n": drive.name,
        "d": fmt_date(drive.date),
        "s": drive.starts_at.strftime("%H:%M"),
        "e": drive.ends_at.strftime("%H:%M"),
        "v": drive.venue,
        "a": drive.address,
    }
    notice = _notice(drive, NoticeReason.MOVED, message)
    audit.record(
        actor=actor,
        action="blood.drive.moved",
        obj=drive,
        changes=changes,
        data={"notice": notice.pk, "recipients": notice.recipients.count()},
    )
    return drive, notice


@transaction.atomic
def drive_cancel(*, actor, drive: Drive, reason: str) -> DriveNotice:
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    access.require(actor, BLOOD_MANAGE, drive.unit, needs_unit=True)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do hủy.")})
    if drive.status != DriveStatus.PLANNED:
        raise ValidationError(_("Đợt hiến máu này không còn ở trạng thái lên kế hoạch."))
    drive.status = DriveStatus.CANCELLED
    drive.save(update_fields=["status"])
    message = _("Đợt hiến máu “%(n)s” ngày %(d)s đã bị hủy: %(r)s. Xin lỗi vì sự bất tiện.") % {
        "n": drive.name,
        "d": fmt_date(drive.date),
        "r": reason,
    }
    notice = _notice(drive, NoticeReason.CANCELLED, message)
    audit.record(
        actor=actor,
        action="blood.drive.cancelled",
        obj=drive,
        changes={"status": {"from": DriveStatus.PLANNED, "to": DriveStatus.CANCELLED}},
        data={"reason": reason, "notice": notice.pk, "recipients": notice.recipients.count()},
    )
    return notice


# Donors ---------------------------------------------------------------------------------------
def _find_person(*, full_name: str, date_of_birth, phone: str, cccd: str | None) -> Person | None:
    """The registry's record of this human, matched by ID number, then name and date of birth,
    then name and phone (the people module's own duplicate rules)."""
    if cccd:
        found = Person.objects.live().filter(cccd=cccd).first()
        if found is not None:
            if found.name_key != normalize(title_name(full_name)):
                raise ValidationError({"cccd": _("Số CCCD không khớp với họ tên đã nhập; hãy kiểm tra lại.")})
            return found
    candidates = people_services.duplicate_candidates(
        full_name=full_name, date_of_birth=date_of_birth, phone=phone
    )
    if not candidates:
        return None
    with_donor = [p for p, _reason in candidates if Donor.objects.filter(person=p).exists()]
    return with_donor[0] if with_donor else candidates[0][0]


def donor_for(
    *,
    actor,
    unit,
    full_name: str,
    date_of_birth: dt.date,
    sex: str,
    phone: str = "",
    cccd: str = "",
    blood_group: str = "",
) -> Donor:
    """The donor record of this human, creating the Person and the Donor as needed (inside the
    caller's transaction).  A donor need not be a member: the Person gets no registry role."""
    if blood_group and blood_group not in BloodGroup.values:
        raise ValidationError({"blood_group": _("Nhóm máu không hợp lệ.")})
    number = clean_id(cccd) or None
    person = _find_person(full_name=full_name, date_of_birth=date_of_birth, phone=phone, cccd=number)
    if person is None:
        person = people_services.person_create(
            actor=None,
            unit=unit,
            allow_duplicate=True,
            full_name=full_name,
            date_of_birth=date_of_birth,
            sex=sex,
            phone=phone,
            cccd=number,
        )
    donor = Donor.objects.filter(person=person).first()
    if donor is None:
        donor = Donor.objects.create(person=person, unit=unit, blood_group=blood_group)
        audit.record(actor=actor, action="blood.donor.created", obj=donor, changes=audit.created(donor))
    elif blood_group and not donor.blood_group:
        donor.blood_group = blood_group
        donor.save(update_fields=["blood_group"])
    return donor


def donor_history(donor: Donor) -> tuple[list[eligibility.Past], list[eligibility.Deferral]]:
    past = [eligibility.Past(k, d) for k, d in donor.donations.values_list("kind", "donated_on")]
    deferrals = [eligibility.Deferral(u, r) for u, r in donor.deferrals.values_list("until", "reason")]
    return past, deferrals


def donor_verdict(
    donor: Donor,
    *,
    on: dt.date,
    weight=None,
    extra: tuple[eligibility.Deferral, ...] = (),
    born: dt.date | None = None,
    sex: str = "",
    declared: tuple[eligibility.Past, ...] = (),
) -> eligibility.Verdict:
    """The rules applied to a donor's record; `born` and `sex` as typed when the record lacks them."""
    past, deferrals = donor_history(donor)
    person = donor.person
    born = person.date_of_birth or born or dt.date(person.birth_year or 1900, 7, 1)
    return eligibility.assess(
        born=born,
        sex=person.sex or sex,
        weight=float(weight) if weight is not None else None,
        on=on,
        history=[*past, *declared],
        deferrals=[*deferrals, *extra],
    )


def donor_next_verdict(donor: Donor, *, on: dt.date) -> eligibility.Verdict:
    """The verdict for "when may they give again" (the donor's record, their own page): the weight
    is the one last measured at a screening, or, never weighed, one that passes the rule (the
    screening weighs them); the dates, the age and the deferrals decide."""
    last = (
        donor.visits.exclude(weight__isnull=True)
        .order_by("-checked_in_at")
        .values_list("weight", flat=True)
        .first()
    )
    assumed = max(eligibility.RULES.min_weight_male, eligibility.RULES.min_weight_female)
    return donor_verdict(donor, on=on, weight=last if last is not None else assumed)


def donor_refresh(donor: Donor) -> None:
    """Recompute the derived columns from the donations."""
    last = donor.donations.order_by("-donated_on", "-id").values_list("donated_on", "kind").first()
    donor.donation_count = donor.donations.count()
    donor.last_donation_on, donor.last_kind = last if last else (None, "")
    donor.save(update_fields=["donation_count", "last_donation_on", "last_kind"])


@transaction.atomic
def donor_update(
    *, actor, donor: Donor, blood_group: str | None = None, emergency_consent: bool | None = None
) -> Donor:
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    access.require(actor, BLOOD_CHECKIN, donor.unit, needs_unit=True)
    before = audit.snapshot(donor, ["blood_group", "emergency_consent"])
    if blood_group is not None:
        if blood_group and blood_group not in BloodGroup.values:
            raise ValidationError({"blood_group": _("Nhóm máu không hợp lệ.")})
        donor.blood_group = blood_group
    if emergency_consent is not None and emergency_consent != donor.emergency_consent:
        donor.emergency_consent = emergency_consent
        donor.emergency_consent_at = timezone.now() if emergency_consent else None
    changes = audit.diff(before, audit.snapshot(donor, ["blood_group", "emergency_consent"]))
    if changes:
        donor.save()
        audit.record(actor=actor, action="blood.donor.updated", obj=donor, changes=changes)
    return donor


# Registration -----------------------------------------------------------------------------------
def _code_taken(code: str) -> bool:
    return Registration.objects.filter(code=code).exists()


def _prescreen_deferrals(events: Mapping[str, dt.date]) -> tuple[eligibility.Deferral, ...]:
    return tuple(eligibility.deferral_for_event(k, d) for k, d in events.items() if d)


@transaction.atomic
def registration_create(
    *,
    actor=None,
    drive: Drive,
    full_name: str,
    date_of_birth: dt.date,
    sex: str,
    phone: str,
    slot: dt.time,
    weight: Decimal,
    cccd: str = "",
    blood_group: str = "",
    events: Mapping[str, dt.date] | None = None,
    declared_last: eligibility.Past | None = None,
    reminder_consent: bool = False,
) -> tuple[Registration, bool]:
    """Register for a drive (the public form; actor None).  Returns (registration, created).

    The drive's row is locked first, so two registrations for the last place of a slot,
    or the same form sent twice, run one after the other: the second sees the first.
    Registering again for the same drive answers the existing registration.
    `declared_last` is a donation given elsewhere that the person declares (not recorded as
    a donation: the centre's list brings it in); it counts for the verdict.
    """
    drive = Drive.objects.select_for_update().select_related("unit").get(pk=drive.pk)
    today = _today()
    if drive.status != DriveStatus.PLANNED or not drive.is_public:
        raise ValidationError(_("Đợt hiến máu này không nhận đăng ký."))
    if drive.date < today:
        raise ValidationError(_("Đợt hiến máu ngày %(d)s đã qua.") % {"d": fmt_date(drive.date)})
    if slot not in drive.slots():
        raise ValidationError({"slot": _("Khung giờ không có trong đợt hiến máu này.")})
    if date_of_birth is None or date_of_birth > today:
        raise ValidationError({"date_of_birth": _("Ngày sinh không hợp lệ.")})
    if sex not in ("M", "F"):
        raise ValidationError({"sex": _("Hãy chọn giới tính.")})
    if not phone:
        raise ValidationError({"phone": _("Hãy nhập số điện thoại để nhận thông báo.")})
    events = {k: v for k, v in (events or {}).items() if v}
    for key, day in events.items():
        if key not in eligibility.EVENT_DEFERRALS:
            raise ValueError(f"unknown pre-screening event {key!r}")
        if day > today:
            raise ValidationError({key: _("Ngày này ở tương lai.")})
    donor = donor_for(
        actor=actor,
        unit=drive.unit,
        full_name=full_name,
        date_of_birth=date_of_birth,
        sex=sex,
        phone=phone,
        cccd=cccd,
        blood_group=blood_group,
    )
    if reminder_consent:
        # The tick box "remind me when I may give again": consent per purpose, kept by messaging.
        messages.consent_from_form(donor.person, True)
    existing = drive.registrations.filter(donor=donor).exclude(status=RegistrationStatus.CANCELLED).first()
    if existing is not None:
        return existing, False
    # The typed answers decide for the person too (the record may lack their date of birth).
    verdict = donor_verdict(
        donor,
        on=drive.date,
        weight=weight,
        extra=_prescreen_deferrals(events),
        born=date_of_birth,
        sex=sex,
        declared=(declared_last,) if declared_last else (),
    )
    if not verdict.eligible:
        raise NotEligible(verdict)
    taken = drive.registrations.filter(slot=slot, status=RegistrationStatus.REGISTERED).count()
    if taken >= drive.capacity_per_hour:
        raise ValidationError(
            {
                "slot": _("Khung giờ %(s)s đã đủ người; hãy chọn khung giờ khác.")
                % {"s": slot.strftime("%H:%M")}
            }
        )
    registration = Registration(
        drive=drive,
        donor=donor,
        code=refcodes.new_code(exists=lambda c: _code_taken(c) or refcodes.taken(c)),
        slot=slot,
        declared_weight=weight,
        prescreen={k: v.isoformat() for k, v in events.items()},
    )
    registration.full_clean()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # the same person, registered by a request that did not lock the drive
        return drive.registrations.filter(donor=donor).exclude(
            status=RegistrationStatus.CANCELLED
        ).get(), False
    audit.record(
        actor=actor,
        action="blood.registration.created",
        obj=registration,
        data={"drive": drive.pk, "slot": slot.strftime("%H:%M")},
    )
    return registration, True


@transaction.atomic
def registration_cancel(*, actor=None, code: str) -> Registration:
    """Cancel by the code the person was given (the public page; actor None)."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("drive__unit")
        .filter(code=(code or "").upper())
        .first()
    )
    if registration is None:
        raise ValidationError(_("Không tìm thấy mã đăng ký này."))
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(_("Đăng ký này đã được tiếp đón tại điểm hiến máu; không hủy được nữa."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    audit.record(
        actor=actor,
        action="blood.registration.cancelled",
        obj=registration,
        changes={"status": {"from": RegistrationStatus.REGISTERED, "to": RegistrationStatus.CANCELLED}},
    )
    return registration


# On the day ----------------------------------------------------------------------------------------
def _drive_of_the_day(drive: Drive) -> Drive:
    if drive.status == DriveStatus.CANCELLED:
        raise ValidationError(_("Đợt hiến máu này đã bị hủy."))
    return drive


@transaction.atomic
def checkin(
    *,
    actor,
    drive: Drive,
    registration: Registration | None = None,
    donor: Donor | None = None,
    walk_in: Mapping | None = None,
) -> Visit:
    """Check a person in: by their registration, as a known donor, or as a walk-in (new or found
    by the people module's duplicate rules).  Checking in twice answers the same visit."""
    drive = Drive.objects.select_for_update().select_related("unit").get(pk=drive.pk)
    access.require(actor, BLOOD_CHECKIN, drive.unit, needs_unit=True)
    _drive_of_the_day(drive)
    if registration is not None:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.drive_id != drive.pk:
            raise ValidationError(_("Mã đăng ký này thuộc đợt hiến máu khác."))
        if registration.status == RegistrationStatus.CANCELLED:
            raise ValidationError(_("Đăng ký này đã bị hủy."))
        donor = registration.donor
    elif donor is None:
        if not walk_in:
            raise ValueError("checkin needs a registration, a donor or the walk-in's details")
        donor = donor_for(actor=actor, unit=drive.unit, **walk_in)
        registration = drive.registrations.filter(donor=donor, status=RegistrationStatus.REGISTERED).first()
    existing = Visit.objects.filter(drive=drive, donor=donor).first()
    if existing is not None:
        return existing
    visit = Visit.objects.create(
        drive=drive, donor=donor, registration=registration, checked_in_at=timezone.now()
    )
    if registration is not None:
        registration.status = RegistrationStatus.CHECKED_IN
        registration.save(update_fields=["status"])
    audit.record(
        actor=actor, action="blood.visit.checked_in", obj=visit, data={"walk_in": registration is None}
    )
    return visit


@transaction.atomic
def screening_record(
    *,
    actor,
    visit: Visit,
    weight: Decimal,
    haemoglobin: int,
    bp_systolic: int,
    bp_diastolic: int,
    result: str,
    deferral_reason: str = "",
    deferred_until: dt.date | None = None,
) -> Visit:
    """The medical staff's screening.  Accepting someone the rules refuse (too light, too soon)
    is refused with the rules' reason; deferring records the reason (health data) and the date."""
    visit = Visit.objects.select_for_update().select_related("drive__unit", "donor__person").get(pk=visit.pk)
    access.require(actor, BLOOD_MEDICAL, visit.drive.unit, needs_unit=True)
    if hasattr(visit, "donation"):
        raise ValidationError(_("Đã ghi nhận túi máu cho lượt này; không sửa kết quả khám được nữa."))
    if result not in ScreeningResult.values:
        raise ValidationError({"result": _("Hãy chọn kết quả khám.")})
    errors: dict[str, list[str]] = {}
    if weight is None or not 30 <= weight <= 200:
        errors.setdefault("weight", []).append(_("Cân nặng phải từ 30 đến 200 kg."))
    if haemoglobin is None or not 50 <= haemoglobin <= 250:
        errors.setdefault("haemoglobin", []).append(_("Huyết sắc tố phải từ 50 đến 250 g/l."))
    if bp_systolic is None or not 60 <= bp_systolic <= 250:
        errors.setdefault("bp_systolic", []).append(_("Huyết áp tâm thu phải từ 60 đến 250 mmHg."))
    if bp_diastolic is None or not 30 <= bp_diastolic <= 150:
        errors.setdefault("bp_diastolic", []).append(_("Huyết áp tâm trương phải từ 30 đến 150 mmHg."))
    if errors:
        raise ValidationError(errors)
    day = visit.drive.date
    if result == ScreeningResult.ACCEPTED:
        verdict = donor_verdict(visit.donor, on=day, weight=weight)
        if not verdict.eligible:
            raise NotEligible(verdict)
    else:
        deferral_reason = (deferral_reason or "").strip()
        if not deferral_reason:
            raise ValidationError({"deferral_reason": _("Hãy ghi lý do tạm hoãn.")})
        if deferred_until is not None and deferred_until <= day:
            raise ValidationError({"deferred_until": _("Ngày hết tạm hoãn phải sau ngày hiến máu.")})
        Deferral.objects.update_or_create(
            visit=visit,
            defaults={
                "donor": visit.donor,
                "unit": visit.drive.unit,
                "on": day,
                "until": deferred_until,
                "reason": deferral_reason[:300],
            },
        )
    if result == ScreeningResult.ACCEPTED:
        Deferral.objects.filter(visit=visit).delete()
    visit.weight, visit.haemoglobin = weight, haemoglobin
    visit.bp_systolic, visit.bp_diastolic = bp_systolic, bp_diastolic
    visit.result, visit.screened_at = result, timezone.now()
    visit.save()
    audit.record(
        actor=actor,
        action="blood.visit.screened",
        obj=visit,
        # The values and the reason are health data: the trail says only what was decided.
        data={"result": result, "until": deferred_until},
    )
    return visit


@transaction.atomic
def donation_record(
    *, actor, visit: Visit, kind: str, volume_ml: int | None, bag_number: str, adverse_event: str = ""
) -> Donation:
    visit = Visit.objects.select_for_update().select_related("drive__unit", "donor__person").get(pk=visit.pk)
    access.require(actor, BLOOD_CHECKIN, visit.drive.unit, needs_unit=True)
    if hasattr(visit, "donation"):
        raise ValidationError(_("Lượt này đã có túi máu %(b)s.") % {"b": visit.donation.bag_number})
    if visit.result != ScreeningResult.ACCEPTED:
        raise ValidationError(_("Người này chưa được khám đủ điều kiện hiến máu."))
    if kind not in DonationKind.values:
        raise ValidationError({"kind": _("Loại hiến máu không hợp lệ.")})
    bag_number = (bag_number or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if not bag_number:
        errors.setdefault("bag_number", []).append(_("Hãy nhập số túi máu."))
    elif Donation.objects.filter(bag_number=bag_number).exists():
        errors.setdefault("bag_number", []).append(_("Số túi máu %(b)s đã được dùng.") % {"b": bag_number})
    allowed = eligibility.max_volume(float(visit.weight), visit.donor.person.sex)
    if kind == DonationKind.WHOLE:
        if volume_ml not in VOLUMES_ML:
            errors.setdefault("volume_ml", []).append(_("Thể tích máu toàn phần là 250, 350 hoặc 450 ml."))
        elif volume_ml > allowed:
            errors.setdefault("volume_ml", []).append(
                _("Cân nặng %(w)s kg chỉ cho phép tối đa %(m)s ml.")
                % {"w": f"{visit.weight:g}", "m": allowed}
            )
    elif float(visit.weight) < eligibility.RULES.apheresis_min_weight:
        errors.setdefault("kind", []).append(_("Hiến gạn tách cần cân nặng từ 50 kg."))
    elif volume_ml is not None:  # the total of the components, when the centre records it
        apheresis_ml = eligibility.max_apheresis_volume(float(visit.weight))
        if not 0 < volume_ml <= apheresis_ml:
            errors.setdefault("volume_ml", []).append(
                _("Hiến gạn tách: cân nặng %(w)s kg cho phép tổng thể tích tối đa %(m)s ml.")
                % {"w": f"{visit.weight:g}", "m": apheresis_ml}
            )
    if errors:
        raise ValidationError(errors)
    donation = Donation(
        donor=visit.donor,
        unit=visit.drive.unit,
        drive=visit.drive,
        visit=visit,
        donated_on=visit.drive.date,
        kind=kind,
        volume_ml=volume_ml,
        bag_number=bag_number,
        adverse_event=(adverse_event or "").strip()[:300],
    )
    try:
        with transaction.atomic():
            donation.save()
    except IntegrityError:
        raise ValidationError(
            {"bag_number": _("Số túi máu %(b)s đã được dùng.") % {"b": bag_number}}
        ) from None
    donor_refresh(visit.donor)
    audit.record(actor=actor, action="blood.donation.recorded", obj=donation, changes=audit.created(donation))
    return donation


# Organ, tissue and body donation pledges ---------------------------------------------------------
@transaction.atomic
def pledge_register(
    *,
    actor,
    unit,
    purposes: list[str],
    full_name: str,
    date_of_birth: dt.date,
    sex: str,
    phone: str = "",
    cccd: str = "",
    pledged_on: dt.date | None = None,
) -> OrganPledge:
    """Record a signed pledge: the person (found or created in the registry) and one consent per
    purpose ticked.  No purpose, no pledge: consent is never implied."""
    access.require(actor, BLOOD_CHECKIN, unit, needs_unit=True)
    purposes = [p for p in dict.fromkeys(purposes) if p]
    if not purposes:
        raise ValidationError({"purposes": _("Hãy chọn ít nhất một mục đích mà người đăng ký đồng ý.")})
    if set(purposes) - set(PledgePurpose.values):
        raise ValidationError({"purposes": _("Mục đích không hợp lệ.")})
    today = _today()
    pledged_on = pledged_on or today
    if pledged_on > today:
        raise ValidationError({"pledged_on": _("Ngày đăng ký ở tương lai.")})
    if eligibility.age_on(date_of_birth, pledged_on) < 18:
        raise ValidationError({"date_of_birth": _("Người đăng ký hiến phải từ đủ 18 tuổi.")})
    number = clean_id(cccd) or None
    person = _find_person(full_name=full_name, date_of_birth=date_of_birth, phone=phone, cccd=number)
    if person is None:
        person = people_services.person_create(
            actor=None,
            unit=unit,
            allow_duplicate=True,
            full_name=full_name,
            date_of_birth=date_of_birth,
            sex=sex,
            phone=phone,
            cccd=number,
        )
    if OrganPledge.objects.filter(person=person, withdrawn_on__isnull=True).exists():
        raise ValidationError(_("Người này đã có đăng ký hiến đang hiệu lực."))
    pledge = OrganPledge.objects.create(
        person=person,
        unit=unit,
        code=refcodes.new_code(
            exists=lambda c: OrganPledge.objects.filter(code=c).exists() or refcodes.taken(c)
        ),
        pledged_on=pledged_on,
    )
    PledgeConsent.objects.bulk_create(
        [PledgeConsent(pledge=pledge, purpose=p, given_on=pledged_on) for p in purposes]
    )
    audit.record(actor=actor, action="blood.pledge.registered", obj=pledge, data={"purposes": purposes})
    return pledge


@transaction.atomic
def pledge_withdraw(*, actor, pledge: OrganPledge, purpose: str = "") -> OrganPledge:
    """Withdraw one purpose, or (no purpose) the whole pledge; withdrawing the last purpose
    withdraws the pledge."""
    pledge = OrganPledge.objects.select_for_update().get(pk=pledge.pk)
    access.require(actor, BLOOD_CHECKIN, pledge.unit, needs_unit=True)
    if pledge.withdrawn_on:
        raise ValidationError(_("Đăng ký này đã được rút."))
    today = _today()
    active = pledge.consents.filter(withdrawn_on__isnull=True)
    if purpose:
        if not active.filter(purpose=purpose).exists():
            raise ValidationError(_("Không có đồng ý đang hiệu lực cho mục đích này."))
        active.filter(purpose=purpose).update(withdrawn_on=today)
    else:
        active.update(withdrawn_on=today)
    if not pledge.consents.filter(withdrawn_on__isnull=True).exists():
        pledge.withdrawn_on = today
        pledge.save(update_fields=["withdrawn_on"])
    audit.record(actor=actor, action="blood.pledge.withdrawn", obj=pledge, data={"purpose": purpose or "all"})
    return pledge


@transaction.atomic
def target_set(*, actor, unit, year: int, units: int) -> Target:
    """The steering committee's yearly target for a unit (a city setting: `everywhere`)."""
    access.require(actor, BLOOD_MANAGE, unit, everywhere=True)
    if not 2000 <= year <= _today().year + 1:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    if units is None or units < 0:
        raise ValidationError({"units": _("Chỉ tiêu phải là số không âm.")})
    target = Target.objects.filter(unit=unit, year=year).first()
    before = target.units if target else None
    if target is None:
        target = Target.objects.create(unit=unit, year=year, units=units)
    else:
        target.units = units
        target.save(update_fields=["units"])
    audit.record(
        actor=actor,
        action="blood.target.set",
        obj=target,
        changes={"units": {"before": before, "after": units}},
    )
    return target


# Honours ------------------------------------------------------------------------------------------
@transaction.atomic
def honours_award(
    *,
    actor,
    year: int,
    awarded_on: dt.date,
    level: str,
    decision_number: str = "",
    issuer: str = "",
    bands: list[int] | None = None,
    unit=None,
) -> int:
    """Write the year's honours (in the actor's scope) to the awards register of the people module
    (people.services.award_add: its checks, its audit).  A donor already holding the award of that
    band is skipped, so running it twice writes nothing new.  All or nothing; returns how many."""

    access.require(actor, BLOOD_MANAGE, unit)
    if awarded_on > _today():
        raise ValidationError({"awarded_on": _("Ngày khen ở tương lai.")})
    if awarded_on.year < year:
        raise ValidationError({"awarded_on": _("Ngày khen phải từ năm %(y)s trở đi.") % {"y": year}})
    rows = [h for h in honours(actor, year, unit=unit) if not bands or h.band in bands]
    titles = {band_title(h.band) for h in rows}
    held = set(
        Award.objects.filter(person__in=[h.donor.person_id for h in rows], title__in=titles).values_list(
            "person_id", "title"
        )
    )
    written = 0
    for h in rows:
        title = band_title(h.band)
        if (h.donor.person_id, title) in held:
            continue
        access.require(actor, BLOOD_MANAGE, h.donor.unit, needs_unit=True)
        award_add(
            actor=actor,
            person=h.donor.person,
            title=title,
            level=level,
            awarded_on=awarded_on,
            decision_number=decision_number,
            issuer=issuer,
            unit=h.donor.unit,
        )
        written += 1
    return written
