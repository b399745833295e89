"""Reads of people and their activities, always for a given user.

Everything is filtered by the user's scope on the organisation tree: a person
is visible when the unit keeping the record lies in the user's scope for
people.view.  Lists are paginated by the caller; these functions return lazy
querysets with the joins a page needs (bounded queries per page).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from nhandao.core.access import AUDIT_VIEW, PEOPLE_EDIT, PEOPLE_VIEW, PEOPLE_VIEW_SENSITIVE
from nhandao.core.collation import vi
from nhandao.core.models import AuditEvent
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.models import Unit

from . import identity
from .choices import CURRENT_STATUSES, RoleKind, RoleStatus
from .models import (
    Club,
    ClubMember,
    DuesPayment,
    PeopleRules,
    Person,
    PersonRole,
    TrainingParticipant,
    TrainingSession,
    UnitPeopleStats,
    VolunteerHours,
)
from .services import duplicate_candidates, refresh_stats

AGE_BANDS = {
    # key: (label, min age, max age) — ages from the birth year, as old records only have that.
    "duoi-16": (gettext_lazy("Dưới 16 tuổi"), None, 15),
    "16-30": (gettext_lazy("16–30 tuổi"), 16, 30),
    "31-45": (gettext_lazy("31–45 tuổi"), 31, 45),
    "46-60": (gettext_lazy("46–60 tuổi"), 46, 60),
    "tren-60": (gettext_lazy("Trên 60 tuổi"), 61, None),
}


@dataclass
class PersonFilter:
    q: str = ""
    unit: Unit | None = None
    role: str = ""
    age_band: str = ""
    skill: str = ""
    dues: str = ""  # "paid" / "unpaid" this year (members)
    active_volunteer: bool = False
    club: int | None = None
    include_former: bool = False  # people whose roles have all ended
    extra: dict = field(default_factory=dict)


def can_see_sensitive(user, unit: Unit | None = None) -> bool:
    return access.has_perm(user, PEOPLE_VIEW_SENSITIVE, unit)


# Other modules keep people too: beneficiaries' household members, registered
# donors.  Such a person belongs to the registry (lists, search, their page here)
# only once they hold a registry role; until then their details stay with the
# module that needs them and its own access rules (a beneficiary's consent, for
# one).  Modules register a function returning an Exists() over their links.
FOREIGN_PERSON_LINKS: list[Callable[[], Exists]] = []


def register_foreign_link(fn: Callable[[], Exists]) -> Callable[[], Exists]:
    FOREIGN_PERSON_LINKS.append(fn)
    return fn


def _in_registry(qs: QuerySet[Person]) -> QuerySet[Person]:
    if not FOREIGN_PERSON_LINKS:
        return qs
    foreign = functools.reduce(operator.or_, (fn() for fn in FOREIGN_PERSON_LINKS))
    return qs.filter(Exists(PersonRole.objects.filter(person=OuterRef("pk"))) | ~foreign)


def _registry_people() -> QuerySet[Person]:
    return _in_registry(Person.objects.live())


def visible_people(user) -> QuerySet[Person]:
    return access.scope(user, PEOPLE_VIEW).filter(_registry_people())


def hours_window(rules: PeopleRules | None = None, on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    rules = rules or PeopleRules.current()
    on = on or timezone.localdate()
    return on - dt.timedelta(days=round(rules.active_volunteer_months * 30.44)), on


def _hours_subquery(since: dt.date, until: dt.date):
    return (
        VolunteerHours.objects.filter(person=OuterRef("pk"), date__gte=since, date__lte=until)
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")
    )


def people(user, f: PersonFilter | None = None) -> QuerySet[Person]:
    f = f or PersonFilter()
    query = (f.q or "").strip()[:100]
    # A person with a current role is in the registry (_in_registry: a role, or no other module's
    # link), so a list restricted to current roles, as every list but a search or "former too"
    # is, skips that test: at city scale it costs most of the page (an anti-join per person).
    current_role_only = (
        f.role in RoleKind.values
        or (not f.include_former and not query)
        or f.dues in ("paid", "unpaid")
        or f.active_volunteer
    )
    if current_role_only:
        qs = access.scope(user, PEOPLE_VIEW).filter(Person.objects.live())
    else:
        qs = visible_people(user)
    if f.unit is not None:
        qs = access.in_subtree(user, qs, f.unit, within=PEOPLE_VIEW)
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        if digits and len(digits) == len(query.replace(" ", "").replace(".", "")):
            condition = Q(phone__contains=digits)
            if len(digits) in (9, 12) and can_see_sensitive(user):
                condition |= Q(cccd=digits) | Q(legacy_id_number=digits)
            elif len(digits) == 11 and can_see_sensitive(user):
                condition |= Q(cccd=identity.clean_id(digits))
            qs = qs.filter(condition)
        else:
            qs = qs.filter(search_key__contains=normalize(query))
    roles = PersonRole.objects.filter(person=OuterRef("pk"), status__in=CURRENT_STATUSES)
    if f.role in RoleKind.values:
        # (Not `has_current_role` as well: PostgreSQL then hashes every current role of the city
        # to test a commune's people: 30 ms instead of 10.)
        qs = qs.filter(Exists(roles.filter(kind=f.role)))
    elif not f.include_former and not query:
        # Kept by the database (Person.has_current_role), held by the list's indexes: a commune's
        # list is counted and paged without testing each person's roles (6 ms -> 2 ms).
        qs = qs.filter(has_current_role=True)
    if f.age_band in AGE_BANDS:
        _label, low, high = AGE_BANDS[f.age_band]
        year = timezone.localdate().year
        if low is not None:
            qs = qs.filter(birth_year__lte=year - low)
        if high is not None:
            qs = qs.filter(birth_year__gte=year - high)
    if f.skill:
        qs = qs.filter(skills__code=f.skill)
    if f.dues in ("paid", "unpaid"):
        year = timezone.localdate().year
        paid = Exists(DuesPayment.objects.filter(person=OuterRef("pk"), year=year))
        qs = qs.filter(Exists(roles.filter(kind=RoleKind.MEMBER)))
        qs = qs.filter(paid) if f.dues == "paid" else qs.exclude(paid)
    if f.active_volunteer:
        rules = PeopleRules.current()
        since, until = hours_window(rules)
        qs = (
            qs.filter(Exists(roles.filter(kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE)))
            .annotate(
                recent_hours=Subquery(_hours_subquery(since, until), output_field=models.DecimalField())
            )
            .filter(recent_hours__gte=rules.active_volunteer_hours)
        )
    if f.club:
        qs = qs.filter(
            Exists(ClubMember.objects.filter(person=OuterRef("pk"), club_id=f.club, left_on__isnull=True))
        )
    return qs.select_related("unit__parent").order_by("sort_key", "id")


# What a row of the people list shows: a page of fifty reads these columns only (the wide rows
# and their dates cost a third of the page's time); its units are shared (org.selectors.share_units).
LIST_FIELDS = (
    "id",
    "full_name",
    "sex",
    "date_of_birth",
    "birth_year",
    "phone",
    "cccd",
    "legacy_id_number",
    "unit_id",
)


def for_list(qs: QuerySet[Person]) -> QuerySet[Person]:
    """`people(...)` as the list page reads it: its columns, no joined units."""
    return qs.select_related(None).only(*LIST_FIELDS)


def with_current_roles(qs: QuerySet[Person]) -> QuerySet[Person]:
    """Each person's current roles (kind and status, as the list and its export show them)."""
    return qs.prefetch_related(
        Prefetch(
            "roles",
            queryset=PersonRole.objects.filter(status__in=CURRENT_STATUSES)
            .only("id", "person_id", "kind", "status")
            .order_by("kind"),
            to_attr="current_roles",
        )
    )


def person_get(user, pk) -> Person:
    """A person the user may see (merged records too: their page points to the kept one); 404 otherwise."""
    qs = _in_registry(Person.objects.select_related("unit", "ward", "merged_into"))
    return access.get_in_scope(user, PEOPLE_VIEW, qs, pk)


def role_get(user, pk) -> PersonRole:
    """A role the user may see: the person's unit or the role's own unit lies in scope."""
    s = access.scope(user, PEOPLE_VIEW)
    qs = PersonRole.objects.select_related("person__unit", "unit")
    if not s.everything:
        qs = qs.filter(s.q("person__unit__path") | s.q("unit__path"))
    return access.get_in_scope(user, PEOPLE_VIEW, qs, pk, scoped=True)


def person_roles(p: Person) -> QuerySet[PersonRole]:
    return p.roles.select_related("unit").order_by("-status", "-started_on", "-id")


def person_hours(p: Person) -> QuerySet[VolunteerHours]:
    return p.hours.select_related("unit").order_by("-date", "-id")


def person_recent_hours(p: Person) -> tuple[float, bool]:
    rules = PeopleRules.current()
    since, until = hours_window(rules)
    total = p.hours.filter(date__gte=since, date__lte=until).aggregate(s=Sum("hours"))["s"] or 0
    is_volunteer = p.roles.filter(kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE).exists()
    return total, is_volunteer and total >= rules.active_volunteer_hours


def person_history(user, p: Person) -> QuerySet[AuditEvent]:
    """Audit events about this person and the records merged into it."""
    if not access.has_perm(user, AUDIT_VIEW, p.unit):
        return AuditEvent.objects.none()
    ids = [str(p.pk), *(str(pk) for pk in p.merged_records.values_list("pk", flat=True))]
    return AuditEvent.objects.filter(object_type="people.person", object_id__in=ids).order_by("-at", "-id")


def duplicates_of(user, p: Person) -> list[tuple[Person, str]]:
    found = duplicate_candidates(
        full_name=p.full_name,
        date_of_birth=p.date_of_birth,
        birth_year=p.birth_year,
        phone=p.phone,
        exclude_pk=p.pk,
    )
    # Found beyond the user's scope on purpose; the person page lists only those they may see.
    return access.split_visible(user, PEOPLE_VIEW, found, unit_of=lambda c: c[0].unit).visible


def duplicate_groups(user, unit: Unit | None = None) -> QuerySet:
    """(name_key, birth_year) pairs held by more than one live record in scope."""
    qs = visible_people(user).exclude(name_key="").filter(birth_year__isnull=False)
    if unit is not None:
        qs = qs.filter(unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk"))
    return (
        qs.values("name_key", "birth_year")
        .annotate(n=models.Count("id"), first=models.Min("id"), last=models.Max("id"))
        .filter(n__gt=1)
        .order_by("name_key", "birth_year")
    )


# Dues ---------------------------------------------------------------------------------
def members_without_dues(user, unit: Unit, year: int) -> QuerySet[Person]:
    members = PersonRole.objects.filter(
        person=OuterRef("pk"),
        kind=RoleKind.MEMBER,
        status=RoleStatus.ACTIVE,
    )
    paid = DuesPayment.objects.filter(person=OuterRef("pk"), year=year)
    return (
        visible_people(user)
        .filter(unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk"))
        .filter(Exists(members))
        .exclude(Exists(paid))
        .select_related("unit")
        .order_by("sort_key", "id")
    )


def dues_summary(user, unit: Unit, year: int) -> dict:
    # Dues collected by the units of the subtree (the caller checked access to `unit`).
    payments = DuesPayment.objects.filter(year=year, unit__path__startswith=unit.path)
    agg = payments.aggregate(
        total=Sum("amount"), n=models.Count("id"), exempt=models.Count("id", filter=Q(exempt=True))
    )
    return {
        "total": agg["total"] or 0,
        "paid": (agg["n"] or 0) - (agg["exempt"] or 0),
        "exempt": agg["exempt"] or 0,
    }


# Clubs and training ---------------------------------------------------------------------
def clubs(user, unit: Unit | None = None, *, include_dissolved: bool = False) -> QuerySet[Club]:
    qs = access.scope(user, PEOPLE_VIEW).filter(Club.objects.all())
    if unit is not None:
        qs = qs.filter(unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk"))
    if not include_dissolved:
        qs = qs.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=timezone.localdate()))
    return (
        qs.select_related("unit")
        .annotate(member_count=models.Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by(vi("name"), "id")
    )


def club_get(user, pk) -> Club:
    return access.get_in_scope(user, PEOPLE_VIEW, Club.objects.select_related("unit"), pk)


def club_members(c: Club) -> QuerySet[ClubMember]:
    return (
        c.members.filter(left_on__isnull=True).select_related("person").order_by("role", "person__sort_key")
    )


def sessions(user, unit: Unit | None = None) -> QuerySet[TrainingSession]:
    qs = access.scope(user, PEOPLE_VIEW).filter(TrainingSession.objects.all())
    if unit is not None:
        qs = qs.filter(unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk"))
    return (
        qs.select_related("unit", "course")
        .annotate(participant_count=models.Count("participants"))
        .order_by("-starts_on", "-id")
    )


def session_get(user, pk) -> TrainingSession:
    return access.get_in_scope(
        user, PEOPLE_VIEW, TrainingSession.objects.select_related("unit", "course"), pk
    )


def session_participants(s: TrainingSession) -> QuerySet[TrainingParticipant]:
    return s.participants.select_related("person").order_by("person__sort_key")


def certificates_expiring(
    user, unit: Unit | None = None, days: int | None = None
) -> QuerySet[TrainingParticipant]:
    days = days if days is not None else PeopleRules.current().certificate_warning_days
    today = timezone.localdate()
    qs = TrainingParticipant.objects.filter(
        passed=True,
        certificate_expires_on__gte=today,
        certificate_expires_on__lte=today + dt.timedelta(days=days),
        person__in=visible_people(user).values("pk"),
    )
    if unit is not None:
        qs = qs.filter(person__unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk"))
    return qs.select_related("person", "person__unit", "session__course").order_by(
        "certificate_expires_on", "id"
    )


# Units the user may act in ----------------------------------------------------------------
def editable_units(user, *, kinds: tuple[str, ...] = ()) -> QuerySet[Unit]:
    qs = access.scope(user, PEOPLE_EDIT).units().active()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("path")


# Counters ----------------------------------------------------------------------------------
def subtree_stats(unit: Unit) -> dict[str, int]:
    """Counts for a unit and everything under it, from the per-unit table (refreshed if stale)."""
    today = timezone.localdate()
    stale = list(
        UnitPeopleStats.objects.filter(unit__path__startswith=unit.path, computed_on__lt=today).values_list(
            "unit_id", flat=True
        )
    )
    if stale:
        refresh_stats(stale)
    fields = ["members", "volunteers", "active_volunteers", "collaborators", "youth", "staff", "clubs"]
    agg = UnitPeopleStats.objects.filter(unit__path__startswith=unit.path).aggregate(
        **{name: Sum(name) for name in fields}
    )
    return {name: agg[name] or 0 for name in fields}
