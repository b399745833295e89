"""What the blood module tells donors, through the one outgoing-message service (nhandao.messaging).

Two purposes, declared in BloodConfig.ready():

- `blood.donor_reminder` (needs consent): a donor who is eligible again on the day of a drive near
  them (the drive's commune is the person's, or their managing unit's) is told of it.  The dedup key
  names the donor and their last donation, and the purpose's window is 12 weeks: at most one
  reminder per eligibility cycle, whichever drive comes first.  Consent (asked on the public form,
  or recorded by the staff), quiet hours, the window and the one-click unsubscribe link are the
  messaging app's: this module only decides who is due and writes the text.
- `blood.drive_notice` (a service message about the person's own registration, no consent needed
  but a "no" is respected): a drive cancelled or moved, to everyone registered.

`manage.py blood_reminders [--dry-run] [--on dd/mm/yyyy]` runs `reminders_due` / `reminders_queue`
by hand; `manage.py send_due_messages` runs the same producer daily (registered in ready()).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core.formatting import date as fmt_date
from nhandao.messaging import purposes
from nhandao.messaging.models import ConsentSource, Message, Status
from nhandao.messaging.services import consent_record, message_queue

from . import eligibility
from .choices import DriveStatus, RegistrationStatus
from .models import Donor, Drive, DriveNotice

REMINDER = purposes.Purpose(
    "blood.donor_reminder",
    gettext_lazy("Nhắc hiến máu khi đủ điều kiện"),
    needs_consent=True,
    window=dt.timedelta(days=84),
)
DRIVE_NOTICE = purposes.Purpose(
    "blood.drive_notice",
    gettext_lazy("Thông báo đổi, hủy đợt hiến máu đã đăng ký"),
    needs_consent=False,
    window=dt.timedelta(days=1),
)
CHANNEL = "sms"
# How far ahead a drive is announced (days); a setting for the city to tune.
HORIZON_DAYS = 14
# The donor's own page: a link signed with the site's key, valid this long.
LINK_SALT = "nhandao.blood.donor"
LINK_MAX_AGE = dt.timedelta(days=120)


def register() -> None:
    purposes.register(REMINDER)
    purposes.register(DRIVE_NOTICE)


# The donor's signed link ---------------------------------------------------------------------------
def donor_token(donor: Donor) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign(str(donor.pk))


def donor_of_token(token: str) -> int | None:
    """The donor a token was made for; None when altered, malformed or expired."""
    if not token or len(token) > 100:
        return None
    try:
        value = signing.TimestampSigner(salt=LINK_SALT).unsign(token, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def donor_url(donor: Donor) -> str:
    return settings.NHANDAO_SITE_URL + reverse("blood:my_record", args=[donor_token(donor)])


# Drive notices -------------------------------------------------------------------------------------
def notice_send(notice: DriveNotice) -> int:
    """Queue the notice to each registration it names (inside the caller's transaction: the
    messages leave when it commits).  Returns how many were queued (not suppressed)."""

    drive = notice.drive
    queued = 0
    for registration in notice.recipients.select_related("donor__person"):
        message = message_queue(
            actor=None,
            unit=drive.unit,
            channel=CHANNEL,
            purpose=DRIVE_NOTICE.code,
            person=registration.donor.person,
            body=f"{notice.message} ({_('Mã đăng ký')}: {registration.code})",
            dedup_key=f"blood.notice:{notice.pk}:{registration.pk}",
        )
        queued += message.status == Status.QUEUED
    notice.sent_at = timezone.now()
    notice.save(update_fields=["sent_at"])
    return queued


# Reminders -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    donor: Donor
    drive: Drive
    since: dt.date  # the donor's last donation: the cycle this reminder belongs to


def _history(donor: Donor) -> tuple[list[eligibility.Past], list[eligibility.Deferral]]:
    # From the prefetched rows (reminders_due prefetches them): no query per donor.
    past = [eligibility.Past(d.kind, d.donated_on) for d in donor.donations.all()]
    deferrals = [eligibility.Deferral(d.until, d.reason) for d in donor.deferrals.all()]
    return past, deferrals


def _eligible_on(donor: Donor, day: dt.date) -> bool:
    person = donor.person
    born = person.date_of_birth or (dt.date(person.birth_year, 7, 1) if person.birth_year else None)
    if born is None:
        return False  # the age rule cannot be checked: no reminder
    past, deferrals = _history(donor)
    # The weight is weighed at the screening; for a reminder the dates and the age decide, so a
    # weight that passes the rule is assumed (a deferral for weight still counts, with its date).
    assumed = max(eligibility.RULES.min_weight_male, eligibility.RULES.min_weight_female)
    verdict = eligibility.assess(
        born=born, sex=person.sex, weight=assumed, on=day, history=past, deferrals=deferrals
    )
    return verdict.eligible


def reminders_due(today: dt.date, *, horizon_days: int | None = None) -> list[Due]:
    """Donors who have given before, may give again on the day of a planned public drive within
    the horizon near them, and are not registered for it; one (the earliest drive) per donor."""
    horizon = (
        horizon_days
        if horizon_days is not None
        else getattr(settings, "NHANDAO_BLOOD_REMINDER_DAYS", HORIZON_DAYS)
    )
    drives = list(
        Drive.objects.filter(
            status=DriveStatus.PLANNED,
            is_public=True,
            date__gt=today,
            date__lte=today + dt.timedelta(days=horizon),
        )
        .select_related("unit", "ward")
        .order_by("date", "starts_at", "id")
    )
    out: dict[int, Due] = {}
    short = dt.timedelta(days=eligibility.RULES.short_interval_days)
    for drive in drives:
        candidates = (
            Donor.objects.filter(
                Q(person__ward_id=drive.ward_id) | Q(person__ward__isnull=True, unit__ward_id=drive.ward_id),
                last_donation_on__isnull=False,
                # The shortest interval already rules these out: no need to read their history.
                last_donation_on__lte=drive.date - short,
                person__merged_into__isnull=True,
            )
            .exclude(pk__in=list(out))
            .exclude(
                pk__in=drive.registrations.exclude(status=RegistrationStatus.CANCELLED).values("donor_id")
            )
            .select_related("person", "unit")
            .prefetch_related("donations", "deferrals")
            .order_by("id")
        )
        for donor in candidates.iterator(chunk_size=500):
            if _eligible_on(donor, drive.date):
                out[donor.pk] = Due(donor, drive, donor.last_donation_on)
    return list(out.values())


def reminder_text(due: Due) -> str:
    drive = due.drive
    return _(
        "Hội Chữ thập đỏ: bạn đã có thể hiến máu trở lại. Đợt hiến máu “%(n)s” ngày %(d)s, %(s)s–%(e)s "
        "tại %(v)s, %(a)s. Đăng ký: %(link)s . Lịch sử hiến máu của bạn: %(me)s"
    ) % {
        "n": drive.name,
        "d": fmt_date(drive.date),
        "s": drive.starts_at.strftime("%H:%M"),
        "e": drive.ends_at.strftime("%H:%M"),
        "v": drive.venue,
        "a": drive.address,
        "link": settings.NHANDAO_SITE_URL + reverse("blood:public_drive", args=[drive.pk]),
        "me": donor_url(due.donor),
    }


def reminders_queue(today: dt.date | None = None, *, horizon_days: int | None = None) -> int:
    """Queue today's reminders; returns how many new messages were written (suppressed ones, kept
    by the outbox with their reason, count too; a second run in the window writes none)."""

    today = today or timezone.localdate()
    before = Message.objects.filter(purpose=REMINDER.code).count()
    for due in reminders_due(today, horizon_days=horizon_days):
        with transaction.atomic():
            message_queue(
                actor=None,
                unit=due.drive.unit,
                channel=CHANNEL,
                purpose=REMINDER.code,
                person=due.donor.person,
                body=reminder_text(due),
                dedup_key=f"blood.reminder:{due.donor.pk}:{due.since.isoformat()}",
            )
    return Message.objects.filter(purpose=REMINDER.code).count() - before


def produce(now: dt.datetime) -> int:
    """messaging's daily producer."""
    return reminders_queue(timezone.localdate(now))


def consent_from_form(person, granted: bool) -> None:
    """The public form's tick box: the person's answer for reminders by SMS (Law 91/2025: consent
    per purpose), recorded by the messaging app."""

    consent_record(
        actor=None,
        channel=CHANNEL,
        purpose=REMINDER.code,
        granted=granted,
        source=ConsentSource.FORM,
        person=person,
    )
