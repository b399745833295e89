"""Every read of the relief module that depends on who asks.

An incident is seen by the users of the unit that opened it and of every commune
it affects (a commune sees the city's typhoon).  Warehouses, stock and
distributions are seen only within the unit that keeps them: a warehouse of one
commune is invisible to another's staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from nhandao.core.access import RELIEF_VIEW
from nhandao.org import access
from nhandao.org.models import Unit

from .models import (
    FIGURE_NAMES,
    AffectedCommune,
    FieldReport,
    Incident,
    ReportSource,
)


# Incidents --------------------------------------------------------------------------------------
def incidents_visible(user, perm: str = RELIEF_VIEW) -> QuerySet[Incident]:
    scope = access.scope(user, perm)
    if scope.everything:
        return Incident.objects.all()
    if scope.empty:
        return Incident.objects.none()
    touched = AffectedCommune.objects.filter(scope.q("commune__path"), incident=OuterRef("pk"))
    return Incident.objects.filter(scope.q("unit__path") | Q(Exists(touched)))


def incident_list(user, *, status: str = "") -> QuerySet[Incident]:
    qs = incidents_visible(user).select_related("unit")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_on", "name")


def incident_get(user, pk) -> Incident:
    qs = incidents_visible(user).select_related("unit", "created_by")
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, scoped=True)


def reportable_communes(user, perm: str, incident: Incident) -> QuerySet[Unit]:
    """The incident's communes where the user may act with `perm`."""
    scope = access.scope(user, perm)
    ids = AffectedCommune.objects.filter(incident=incident).values("commune_id")
    return scope.units().filter(pk__in=ids).order_by("name")


# The situation ----------------------------------------------------------------------------------
@dataclass
class CommuneSituation:
    commune: Unit
    area: AffectedCommune
    by_source: dict[str, FieldReport] = field(default_factory=dict)
    total: dict[str, int | None] = field(default_factory=dict)

    @property
    def lines(self) -> list[tuple[str, FieldReport]]:
        """(source label, latest report) in the sources' fixed order."""
        return [
            (label, self.by_source[code]) for code, label in ReportSource.choices if code in self.by_source
        ]

    @property
    def total_values(self) -> list[int | None]:
        return [self.total.get(name) for name in FIGURE_NAMES]


@dataclass
class Situation:
    """Per commune the latest report of each source side by side, and totals.

    The rule (documented on the page): for each commune and each figure, the total is the
    HIGHEST of the latest figures of the sources, never their sum: the Red Cross and the
    commune's authority counting the same flooded houses are the same houses.  The incident's
    total is the sum over communes of those per-commune figures.
    """

    rows: list[CommuneSituation]
    totals: dict[str, int | None]
    reports: int
    latest_at: dt.datetime | None

    @property
    def total_values(self) -> list[int | None]:
        return [self.totals.get(name) for name in FIGURE_NAMES]


def latest_reports(incident: Incident) -> QuerySet[FieldReport]:
    """The latest report of each (commune, source) of the incident (one query, portable)."""
    newest = (
        FieldReport.objects.filter(incident=incident, commune=OuterRef("commune"), source=OuterRef("source"))
        .order_by("-reported_at", "-pk")
        .values("pk")[:1]
    )
    return FieldReport.objects.filter(incident=incident, pk=Subquery(newest))


def combine(values) -> int | None:
    """The per-commune figure: the highest reported value; None when no source gave it."""
    known = [v for v in values if v is not None]
    return max(known) if known else None


def situation(incident: Incident) -> Situation:
    areas = list(
        AffectedCommune.objects.filter(incident=incident).select_related("commune").order_by("commune__name")
    )
    rows = {a.commune_id: CommuneSituation(commune=a.commune, area=a) for a in areas}
    for report in latest_reports(incident):
        if report.commune_id in rows:
            rows[report.commune_id].by_source[report.source] = report
    totals: dict[str, int | None] = dict.fromkeys(FIGURE_NAMES)
    for row in rows.values():
        for name in FIGURE_NAMES:
            row.total[name] = combine(getattr(r, name) for r in row.by_source.values())
            if row.total[name] is not None:
                totals[name] = (totals[name] or 0) + row.total[name]
    agg = FieldReport.objects.filter(incident=incident).aggregate(n=Count("pk"), last=Max("reported_at"))
    return Situation(rows=list(rows.values()), totals=totals, reports=agg["n"], latest_at=agg["last"])


def commune_history(incident: Incident, commune_pk: int) -> QuerySet[FieldReport]:
    """Every report about one commune, newest first: each figure keeps its history."""
    return (
        FieldReport.objects.filter(incident=incident, commune_id=commune_pk)
        .select_related("commune", "recorded_by")
        .order_by("-reported_at", "-pk")
    )


SOURCES = ReportSource.choices


def incident_area_get(incident: Incident, commune_pk) -> AffectedCommune:
    """One affected commune of an incident the user already sees; 404 otherwise."""
    qs = AffectedCommune.objects.filter(incident=incident).select_related("commune")
    found = qs.filter(commune_id=access.int_pk(commune_pk)).first()
    if found is None:
        raise Http404
    return found
