"""Every read of the blood module that depends on who asks, and the public reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from nhandao.core.access import BLOOD_MEDICAL, BLOOD_VIEW
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.models import BranchType, Unit, UnitKind

from .choices import RARE_GROUPS, DriveStatus, RegistrationStatus, ScreeningResult
from .models import Deferral, Donation, Donor, Drive, OrganPledge, PledgeConsent, Registration, Target, Visit

# First donation, then the bands one province uses (DOMAIN.md): 5, 10, 15, 20, 30 … 100.
HONOUR_BANDS = (1, 5, 10, 15, 20, 30, 40, 50, 70, 100)


# Staff ------------------------------------------------------------------------------------------
def drives_visible(user) -> QuerySet[Drive]:
    return access.in_scope(user, BLOOD_VIEW, Drive.objects.select_related("unit", "centre", "ward"))


def drive_get(user, pk) -> Drive:
    return access.get_in_scope(user, BLOOD_VIEW, Drive.objects.select_related("unit", "centre", "ward"), pk)


def donors_visible(user) -> QuerySet[Donor]:
    return access.in_scope(user, BLOOD_VIEW, Donor.objects.select_related("person", "unit"))


def donor_get(user, pk) -> Donor:
    return access.get_in_scope(user, BLOOD_VIEW, Donor.objects.select_related("person", "unit"), pk)


def visit_get(user, pk) -> Visit:
    return access.get_in_scope(
        user,
        BLOOD_VIEW,
        Visit.objects.select_related("drive__unit", "donor__person", "registration"),
        pk,
        field="drive__unit",
    )


def sees_health(user, unit) -> bool:
    """Screening values and deferral reasons: the medical staff only (Law 91/2025)."""
    return access.has_perm(user, BLOOD_MEDICAL, unit)


@dataclass(frozen=True)
class Counter:
    target: int
    capacity: int
    registered: int
    checked_in: int
    accepted: int
    deferred: int
    donations: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.donations / self.target)) if self.target else 0


def drive_counter(drive: Drive) -> Counter:
    """The live counter against the drive's target: four queries whatever the size of the drive."""
    registered = drive.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
    visits = drive.visits.aggregate(
        total=Count("id"),
        accepted=Count("id", filter=Q(result=ScreeningResult.ACCEPTED)),
        deferred=Count("id", filter=Q(result=ScreeningResult.DEFERRED)),
    )
    donations = Donation.objects.filter(drive=drive).count()
    return Counter(
        target=drive.target_units,
        capacity=drive.capacity,
        registered=registered,
        checked_in=visits["total"],
        accepted=visits["accepted"],
        deferred=visits["deferred"],
        donations=donations,
    )


def drive_registrations(drive: Drive) -> QuerySet[Registration]:
    return drive.registrations.select_related("donor__person").order_by("slot", "id")


def drive_visits(drive: Drive) -> QuerySet[Visit]:
    return drive.visits.select_related("donor__person", "registration", "donation", "deferral").order_by(
        "-checked_in_at", "-id"
    )


def person_filter(q: str) -> Q:
    """A phone number (4 digits or more) or a name, diacritics ignored, over Donor.person."""
    text = (q or "").strip()
    compact = text.replace(" ", "").replace(".", "")
    if compact.isdigit() and len(compact) >= 4:
        # The registry's search key carries the phone too: the trigram index answers both.
        return Q(person__search_key__contains=compact)
    return Q(person__search_key__contains=normalize(text))


def honour_bands() -> tuple[int, ...]:
    """The donation counts honoured (QĐ 122/QĐ-BCĐQG 2017; configurable in settings)."""
    return tuple(getattr(settings, "NHANDAO_BLOOD_HONOUR_BANDS", HONOUR_BANDS))


def honours_reached(count: int) -> list[int]:
    return [band for band in honour_bands() if band <= count]


def donor_next_date(donor: Donor, verdict) -> dt.date | None:
    return verdict.next_date


@dataclass(frozen=True)
class Honour:
    donor: Donor
    band: int
    count: int  # donations at the end of the year


def honours(user, year: int, unit=None) -> list[Honour]:
    """Donors of the user's scope (of `unit` if given) who reached a band during `year`: their
    count before the year was under the band and at its end at or above it."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = donors_visible(user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    qs = (
        qs.filter(Exists(Donation.objects.filter(donor=OuterRef("pk"), donated_on__range=(first, last))))
        .annotate(
            upto=Count("donations", filter=Q(donations__donated_on__lte=last), distinct=True),
            before=Count("donations", filter=Q(donations__donated_on__lt=first), distinct=True),
        )
        .order_by("unit__path", "person__sort_key", "id")
    )
    bands = honour_bands()
    out = []
    for donor in qs.iterator(chunk_size=2000):
        reached = [b for b in bands if donor.before < b <= donor.upto]
        if reached:
            out.append(Honour(donor, max(reached), donor.upto))
    return out


def top_unit(user, perm: str):
    """The highest unit the user holds `perm` on (the root for the whole installation)."""

    scope = access.scope(user, perm)
    units = (
        Unit.objects.filter(parent__isnull=True)
        if scope.everything
        else Unit.objects.filter(path__in=scope.paths)
    )
    return units.order_by("path").first()


def issuer_name(user) -> str:
    """The unit a document of the user's scope is issued by: their one unit, or the city's root."""

    scope = access.scope(user, BLOOD_VIEW)
    units = (
        Unit.objects.filter(parent__isnull=True)
        if scope.everything
        else Unit.objects.filter(path__in=scope.paths)
    )
    names = list(units.order_by("path").values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else "Ban Chỉ đạo vận động hiến máu tình nguyện"


@dataclass(frozen=True)
class Found:
    donor: Donor
    registration: Registration | None
    visit: Visit | None


def checkin_search(user, drive: Drive, q: str, limit: int = 20) -> list[Found]:
    """People to check in at `drive`: its registration by code, then registrations and known donors
    (in the user's scope) by phone or name, diacritics ignored."""
    text = (q or "").strip()
    if len(text) < 2:
        return []
    regs = drive.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("donor__person")
    by_code = list(regs.filter(code=text.upper())[:1])
    person_q = person_filter(text)
    donors = list(
        donors_visible(user).filter(person_q, person__merged_into__isnull=True).order_by("id")[:limit]
    )
    prefixed = Q(**{f"donor__{k}": v for k, v in person_q.children})
    registered = list(regs.filter(prefixed)[:limit])
    seen: dict[int, Found] = {}
    reg_of = {r.donor_id: r for r in [*by_code, *registered]}
    visits = {v.donor_id: v for v in drive.visits.filter(donor_id__in=[*reg_of, *(d.pk for d in donors)])}
    for reg in [*by_code, *registered]:
        seen.setdefault(reg.donor_id, Found(reg.donor, reg, visits.get(reg.donor_id)))
    for donor in donors:
        seen.setdefault(donor.pk, Found(donor, reg_of.get(donor.pk), visits.get(donor.pk)))
    return list(seen.values())[:limit]


def donor_donations(donor: Donor) -> QuerySet[Donation]:
    return donor.donations.select_related("drive", "unit").order_by("-donated_on", "-id")


def donor_deferrals(donor: Donor) -> QuerySet[Deferral]:
    return donor.deferrals.order_by("-on", "-id")


def rare_on_call(user) -> QuerySet[Donor]:
    """Donors of rare (Rh−) groups who agreed to be called in an emergency."""
    return (
        donors_visible(user)
        .filter(blood_group__in=list(RARE_GROUPS), emergency_consent=True)
        .order_by("blood_group", "person__sort_key", "id")
    )


SMALL_CELL = 5  # reason counts under this are grouped, so that nobody can be recognised


@dataclass(frozen=True)
class Stats:
    year: int
    months: list[dict]  # month, units, target, new, repeat
    units: list[dict]  # unit name, units, target
    deferrals: int
    reasons: list[tuple[str, int]]
    groups: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(m["units"] for m in self.months)

    @property
    def deferral_rate(self) -> float:
        seen = self.total + self.deferrals
        return round(100 * self.deferrals / seen, 1) if seen else 0.0


def statistics(user, year: int) -> Stats:
    """Units collected per month and unit against the drives' targets, new and repeat donors,
    deferrals and their reasons (aggregated, small counts grouped), the blood group mix."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    donations = access.in_scope(user, BLOOD_VIEW, Donation.objects.filter(donated_on__range=(first, last)))
    earlier = Donation.objects.filter(donor=OuterRef("donor"), donated_on__lt=OuterRef("donated_on"))
    by_month: dict[int, dict] = {
        m: {"month": m, "units": 0, "target": 0, "new": 0, "repeat": 0} for m in range(1, 13)
    }
    rows = (
        donations.annotate(month=ExtractMonth("donated_on"), repeat=Exists(earlier))
        .values("month", "repeat")
        .annotate(n=Count("id"))
    )
    for row in rows:
        entry = by_month[row["month"]]
        entry["units"] += row["n"]
        entry["repeat" if row["repeat"] else "new"] += row["n"]
    drives = access.in_scope(user, BLOOD_VIEW, Drive.objects.filter(date__range=(first, last))).exclude(
        status=DriveStatus.CANCELLED
    )
    for row in drives.annotate(month=ExtractMonth("date")).values("month").annotate(t=Sum("target_units")):
        by_month[row["month"]]["target"] = row["t"] or 0
    per_unit: dict[str, dict] = {}
    for row in donations.values("unit__name").annotate(n=Count("id")):
        per_unit[row["unit__name"]] = {"unit": row["unit__name"], "units": row["n"], "target": 0}
    for row in drives.values("unit__name").annotate(t=Sum("target_units")):
        per_unit.setdefault(row["unit__name"], {"unit": row["unit__name"], "units": 0, "target": 0})[
            "target"
        ] = row["t"]
    deferrals = access.in_scope(user, BLOOD_VIEW, Deferral.objects.filter(on__range=(first, last)))
    reasons, other = [], 0
    for row in deferrals.values("reason").annotate(n=Count("id")).order_by("-n"):
        if row["n"] >= SMALL_CELL:
            reasons.append((row["reason"], row["n"]))
        else:
            other += row["n"]
    if other:
        reasons.append(("", other))
    groups = [
        (row["donor__blood_group"], row["n"])
        for row in donations.values("donor__blood_group")
        .annotate(n=Count("donor", distinct=True))
        .order_by("-n")
    ]
    return Stats(
        year=year,
        months=list(by_month.values()),
        units=sorted(per_unit.values(), key=lambda r: -r["units"]),
        deferrals=sum(n for _r, n in reasons),
        reasons=reasons,
        groups=groups,
    )


def targets(user, year: int) -> list[dict]:
    """The year's targets in the user's scope with what each unit's subtree collected (two queries)."""
    rows = list(access.in_scope(user, BLOOD_VIEW, Target.objects.filter(year=year).select_related("unit")))
    collected = list(
        Donation.objects.filter(donated_on__year=year)
        .values("unit__path")
        .annotate(n=Count("id"))
        .values_list("unit__path", "n")
    )
    out = []
    for target in sorted(rows, key=lambda t: t.unit.path):
        done = sum(n for path, n in collected if path.startswith(target.unit.path))
        out.append(
            {
                "unit": target.unit,
                "target": target.units,
                "done": done,
                "percent": round(100 * done / target.units) if target.units else 0,
            }
        )
    return out


def target_sheet(user, year: int) -> list[dict]:
    """The rows of the targets workbook (the import's round trip): every commune-level society and
    partner school or agency in the user's scope, with its target for the year (blank if none)."""

    units = access.in_scope(
        user,
        BLOOD_VIEW,
        Unit.objects.filter(
            Q(kind=UnitKind.COMMUNE) | Q(branch_type__in=[BranchType.SCHOOL, BranchType.AGENCY])
        ),
        path_field="path",
    ).order_by("path")
    set_ = dict(Target.objects.filter(year=year, unit__in=units).values_list("unit_id", "units"))
    done = {r["unit"]: r for r in targets(user, year)}
    return [
        {
            "code": u.code,
            "name": u.name,
            "year": year,
            "target": set_.get(u.pk),
            "done": done[u]["done"] if u in done else None,
        }
        for u in units
    ]


def pledges_visible(user) -> QuerySet[OrganPledge]:
    return access.in_scope(user, BLOOD_VIEW, OrganPledge.objects.select_related("person", "unit"))


def pledge_get(user, pk) -> OrganPledge:
    return access.get_in_scope(user, BLOOD_VIEW, OrganPledge.objects.select_related("person", "unit"), pk)


def pledge_counts(user) -> list[dict]:
    """Active consents per unit and purpose, for reports (nobody named)."""
    qs = access.in_scope(
        user,
        BLOOD_VIEW,
        PledgeConsent.objects.filter(withdrawn_on__isnull=True, pledge__withdrawn_on__isnull=True),
        field="pledge__unit",
    )
    return list(
        qs.values("pledge__unit__name", "purpose")
        .annotate(n=Count("id"))
        .order_by("pledge__unit__name", "purpose")
    )


# Public -----------------------------------------------------------------------------------------
def public_drives(*, ward: str = "", on: dt.date | None = None) -> QuerySet[Drive]:
    """Upcoming drives open for registration; never who registered."""
    today = timezone.localdate()
    qs = Drive.objects.filter(status=DriveStatus.PLANNED, is_public=True, date__gte=today).select_related(
        "centre", "ward"
    )
    if ward:
        qs = qs.filter(ward_id=ward)
    if on:
        qs = qs.filter(date=on)
    return qs.order_by("date", "starts_at", "id")


def public_drive(pk) -> Drive:
    return access.get_in_scope(None, "", public_drives(), pk, scoped=True)


def slot_places(drive: Drive) -> list[tuple[dt.time, int]]:
    """(slot, places left) for the public form."""
    taken = dict(
        drive.registrations.filter(status=RegistrationStatus.REGISTERED)
        .values("slot")
        .annotate(n=Count("id"))
        .values_list("slot", "n")
    )
    return [(s, max(0, drive.capacity_per_hour - taken.get(s, 0))) for s in drive.slots()]


def donor_by_code_and_phone(code: str, phone: str) -> Donor | None:
    """The donor one of whose registrations has this code, if `phone` is the person's phone: both
    must match (the code alone shows a registration, never a history)."""
    registration = registration_by_code(code)
    if registration is None or not phone:
        return None
    person = registration.donor.person
    if not person.phone or person.phone != phone or person.merged_into_id:
        return None
    return registration.donor


def donor_public(pk: int) -> Donor | None:
    """The donor a signed link names (the link is the proof; see messages.donor_token)."""
    return (
        Donor.objects.select_related("person", "unit").filter(pk=pk, person__merged_into__isnull=True).first()
    )


def registration_by_code(code: str) -> Registration | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 8:
        return None
    return Registration.objects.select_related("drive__centre", "donor__person").filter(code=code).first()
