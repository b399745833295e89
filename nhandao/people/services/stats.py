"""The per-unit counters behind the unit page and the dashboard (derived data, not audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum

from nhandao.org.models import Unit, UnitKind

from ..choices import (
    RoleKind,
    RoleStatus,
)
from ..models import (
    Club,
    PeopleRules,
    PersonRole,
    UnitPeopleStats,
    VolunteerHours,
)
from ._common import _today


# Counters --------------------------------------------------------------------------------
def refresh_stats(unit_ids: Iterable[int] | None = None, *, on: dt.date | None = None) -> int:
    """Recompute UnitPeopleStats for the given units (all units when None).

    Derived data, like an index: no audit event.  Runs inside the caller's
    transaction when there is one.
    """
    on = on or _today()
    rules = PeopleRules.current()
    since = on - dt.timedelta(days=round(rules.active_volunteer_months * 30.44))
    units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=set(unit_ids))
    unit_rows = list(units.values_list("pk", flat=True))
    if not unit_rows:
        return 0
    ids = unit_rows
    scope_q = Q() if unit_ids is None else Q(unit_id__in=ids)
    roles = PersonRole.objects.filter(scope_q, status=RoleStatus.ACTIVE)
    by_kind: dict[tuple[int, str], int] = {
        (u, k): n
        for u, k, n in roles.values_list("unit_id", "kind")
        .annotate(n=Count("id"))
        .values_list("unit_id", "kind", "n")
    }
    hours = (
        VolunteerHours.objects.filter(person=OuterRef("person"), date__gte=since, date__lte=on)
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    active = dict(
        roles.filter(kind=RoleKind.VOLUNTEER)
        .annotate(total=Subquery(hours, output_field=models.DecimalField()))
        .filter(total__gte=rules.active_volunteer_hours)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    clubs = dict(
        Club.objects.filter(scope_q)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=on))
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    stats = [
        UnitPeopleStats(
            unit_id=pk,
            members=by_kind.get((pk, RoleKind.MEMBER), 0),
            volunteers=by_kind.get((pk, RoleKind.VOLUNTEER), 0),
            active_volunteers=active.get(pk, 0),
            collaborators=by_kind.get((pk, RoleKind.COLLABORATOR), 0),
            youth=by_kind.get((pk, RoleKind.YOUTH), 0),
            staff=by_kind.get((pk, RoleKind.STAFF), 0),
            clubs=clubs.get(pk, 0),
            computed_on=on,
        )
        for pk in unit_rows
    ]
    UnitPeopleStats.objects.bulk_create(
        stats,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["unit"],
        update_fields=[
            "members",
            "volunteers",
            "active_volunteers",
            "collaborators",
            "youth",
            "staff",
            "clubs",
            "computed_on",
        ],
    )
    return len(stats)


def commune_of(unit: Unit) -> Unit:
    """The commune-level society a unit belongs to (itself when above)."""
    if unit.kind in (UnitKind.BRANCH, UnitKind.GROUP):
        ids = unit.ancestor_ids()
        commune = Unit.objects.filter(pk__in=ids, kind=UnitKind.COMMUNE).first()
        return commune or unit
    return unit
