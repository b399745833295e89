"""Reads of preparedness and deployments, scoped by the user (org.access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from nhandao.core.access import RELIEF_VIEW
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind
from nhandao.people.models import Club, ClubMember

from .models import (
    READINESS_CODES,
    TEAM_KINDS,
    Deployed,
    Deployment,
    Drill,
    HazardArea,
    Incident,
    ReadinessCheck,
    ResponseTeam,
)


def teams(user) -> QuerySet[ResponseTeam]:
    return (
        access.in_scope(user, RELIEF_VIEW, ResponseTeam.objects.all())
        .select_related("unit", "club")
        .annotate(n_members=Count("club__members", filter=Q(club__members__left_on__isnull=True)))
        .order_by("unit__path", "club__name")
    )


def team_get(user, pk) -> ResponseTeam:
    return access.get_in_scope(user, RELIEF_VIEW, ResponseTeam.objects.select_related("unit", "club"), pk)


def team_candidates(user, perm: str) -> QuerySet[Club]:
    """The registry's teams (not clubs) the user may make response teams of."""
    return (
        access.in_scope(user, perm, Club.objects.filter(kind__in=TEAM_KINDS, dissolved_on__isnull=True))
        .exclude(response_team__isnull=False)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def team_contacts(team: ResponseTeam) -> QuerySet[ClubMember]:
    """The contact list: the team's current members with phone and skills (from the people registry)."""
    return (
        ClubMember.objects.filter(club=team.club_id, left_on__isnull=True)
        .select_related("person")
        .prefetch_related("person__skills")
        .order_by("role", "person__sort_key", "pk")
    )


def hazard_areas(user) -> QuerySet[HazardArea]:
    return access.in_scope(
        user, RELIEF_VIEW, HazardArea.objects.select_related("commune"), field="commune"
    ).order_by("commune__name")


def drills(user) -> QuerySet[Drill]:
    return access.in_scope(user, RELIEF_VIEW, Drill.objects.select_related("unit", "team__club")).order_by(
        "-held_on", "-pk"
    )


@dataclass
class ReadinessRow:
    commune: Unit
    check: ReadinessCheck | None

    @property
    def state(self) -> str:
        if self.check is None:
            return "none"
        return "ready" if self.check.complete else "partial"


@dataclass
class ReadinessStatus:
    season: int
    communes: QuerySet[Unit]
    ready: int
    partial: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.ready - self.partial


def readiness_status(user, season: int) -> ReadinessStatus:
    """Every commune in the user's scope (the city sees all 114) and its check for the season."""
    communes = access.scope(user, RELIEF_VIEW).units().active().filter(kind=UnitKind.COMMUNE).order_by("name")
    checks = ReadinessCheck.objects.filter(season=season, commune__in=communes.values("pk"))
    ready = partial = 0
    for items in checks.values_list("items", flat=True):
        if all(items.get(code) for code in READINESS_CODES):
            ready += 1
        else:
            partial += 1
    return ReadinessStatus(
        season=season, communes=communes, ready=ready, partial=partial, total=communes.count()
    )


def readiness_rows(communes: list[Unit], season: int) -> list[ReadinessRow]:
    """One page of communes with their checks (one query)."""
    checks = {
        c.commune_id: c
        for c in ReadinessCheck.objects.filter(season=season, commune__in=[u.pk for u in communes])
    }
    return [ReadinessRow(u, checks.get(u.pk)) for u in communes]


def readiness_get(user, commune_pk, season: int) -> tuple[Unit, ReadinessCheck | None]:
    commune = access.get_unit_or_404(user, commune_pk, RELIEF_VIEW)
    if commune.kind != UnitKind.COMMUNE:
        raise Http404
    return commune, ReadinessCheck.objects.filter(commune=commune, season=season).first()


# Deployments ----------------------------------------------------------------------------------------
def deployments_of(user, incident: Incident) -> QuerySet[Deployment]:
    """The incident's deployments the user may see: those of its units and those sent to its communes."""
    scope = access.scope(user, RELIEF_VIEW)
    return (
        Deployment.objects.filter(incident=incident)
        .filter(scope.q("unit__path") | scope.q("commune__path"))
        .select_related("unit", "commune", "team__club")
        .annotate(n_people=Count("members", distinct=True), n_hours=Sum("members__hours__entry__hours"))
        .order_by("-starts_on", "-pk")
    )


def deployment_get(user, pk) -> Deployment:
    scope = access.scope(user, RELIEF_VIEW)
    qs = Deployment.objects.filter(scope.q("unit__path") | scope.q("commune__path")).select_related(
        "incident", "unit", "commune", "team__club"
    )
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, scoped=True)


def deployment_members(deployment: Deployment) -> QuerySet[Deployed]:
    return (
        Deployed.objects.filter(deployment=deployment)
        .select_related("person")
        .annotate(total_hours=Sum("hours__entry__hours"))
        .order_by("person__sort_key", "pk")
    )


@dataclass
class ResponseFigures:
    teams: int
    volunteers: int
    hours: float
    communes: int


def response_figures(incident: Incident) -> ResponseFigures:
    """Teams and volunteers deployed for the incident (the sitrep's response; no names)."""
    deps = Deployment.objects.filter(incident=incident)
    agg = deps.aggregate(teams=Count("team", distinct=True), communes=Count("commune", distinct=True))
    volunteers = Deployed.objects.filter(deployment__incident=incident).values("person").distinct().count()
    hours = (
        Deployed.objects.filter(deployment__incident=incident).aggregate(h=Sum("hours__entry__hours"))["h"]
        or 0
    )
    return ResponseFigures(agg["teams"], volunteers, float(hours), agg["communes"])
