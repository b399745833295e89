"""Reads of plans, rounds and reports for a given user, and the round's board.

A report lives on a unit: a commune's society and People's Committee on the commune, an agency
on the city.  A user sees the reports of the units in their plans.view scope (the city all, a
commune its own, inspectors all in scope), and an agency reporter those of the agency named on
its role (plans.agency_report), never another agency's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nhandao.core import indicators
from nhandao.core.access import PLANS_AGENCY_REPORT, PLANS_INSPECT, PLANS_MANAGE, PLANS_VIEW
from nhandao.org import access

from .models import (
    CityDocument,
    Duty,
    Inspection,
    InspectionPlan,
    Issue,
    IssueStatus,
    Plan,
    PlanContent,
    Recommendation,
    RecommendationStatus,
    Report,
    ReportAttachment,
    ReportStatus,
    ReportVersion,
    RespondentKind,
    Round,
)


def may_read_plans(user) -> bool:
    return access.has_perm(user, PLANS_VIEW) or access.has_perm(user, PLANS_AGENCY_REPORT)


def is_city(user) -> bool:
    return access.scope(user, PLANS_VIEW).everything


def require_reader(user) -> None:
    if not may_read_plans(user):
        access.require(user, PLANS_VIEW)


def reports_visible(user) -> QuerySet[Report]:
    scope = access.scope(user, PLANS_VIEW)
    if scope.everything:
        return Report.objects.all()
    q = scope.q("unit__path") if not scope.empty else Q(pk__in=[])
    agencies = access.agencies_of(user)
    agency_scope = access.scope(user, PLANS_AGENCY_REPORT)
    if agencies and not agency_scope.empty:
        q |= Q(agency_id__in=agencies) & agency_scope.q("unit__path")
    return Report.objects.filter(q)


def agency_only(user) -> bool:
    """An agency reporter (and nothing else): sees its agency's duties only."""
    return not access.has_perm(user, PLANS_VIEW) and access.has_perm(user, PLANS_AGENCY_REPORT)


def plan_list(user) -> QuerySet[Plan]:
    require_reader(user)
    return Plan.objects.order_by("-year", "-pk")


def plan_get(user, pk) -> Plan:
    if not may_read_plans(user):
        raise Http404
    return access.get_in_scope(user, PLANS_VIEW, Plan.objects.all(), pk, scoped=True)


def content_get(user, pk) -> PlanContent:
    if not may_read_plans(user):
        raise Http404
    qs = PlanContent.objects.select_related("plan")
    return access.get_in_scope(user, PLANS_VIEW, qs, pk, scoped=True)


def plan_duties(user, plan: Plan) -> list[Duty]:
    """The plan's duties with who holds each today; an agency reporter sees its agency's only."""
    duties = list(plan.duties.select_related("agency").prefetch_related("contents").order_by("order"))
    for d in duties:
        d.holders = d.agency.current_holders() if d.agency_id and not d.agency.is_active() else []
    if agency_only(user):
        mine = access.agencies_of(user)
        duties = [
            d for d in duties if d.agency_id and (d.agency_id in mine or any(h.pk in mine for h in d.holders))
        ]
    return duties


def round_list(user) -> QuerySet[Round]:
    require_reader(user)
    if is_city(user):
        return Round.objects.select_related("plan")
    return Round.objects.filter(pk__in=reports_visible(user).values("round_id")).select_related("plan")


def round_get(user, pk) -> Round:
    if not may_read_plans(user):
        raise Http404
    return access.get_in_scope(user, PLANS_VIEW, round_list(user), pk, scoped=True)


def report_list(user, *, round: Round | None = None, status: str = "") -> QuerySet[Report]:
    qs = reports_visible(user).select_related("round", "unit", "agency")
    if round is not None:
        qs = qs.filter(round=round)
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-round__period_end", "kind", "respondent")


def report_get(user, pk) -> Report:
    qs = reports_visible(user).select_related("round", "round__plan", "unit", "agency")
    return access.get_in_scope(user, PLANS_VIEW, qs, pk, scoped=True)


def version_get(user, report_pk, number) -> ReportVersion:
    report = report_get(user, report_pk)
    version = report.versions.filter(number=access.int_pk(number)).first()
    if version is None:
        raise Http404
    return version


def attachment_get(user, pk) -> ReportAttachment:
    qs = ReportAttachment.objects.filter(report__in=reports_visible(user)).select_related("report")
    return access.get_in_scope(user, PLANS_VIEW, qs, pk, scoped=True)


def document_get(user, pk) -> CityDocument:
    """The city's documents are the city's: plans.manage over the whole installation."""
    if not access.scope(user, PLANS_MANAGE).everything and not is_city(user):
        raise Http404
    return access.get_in_scope(
        user, PLANS_VIEW, CityDocument.objects.select_related("round"), pk, scoped=True
    )


# The board ------------------------------------------------------------------------------------


def latest_versions(reports) -> dict[int, dict]:
    """Report pk -> what its latest submitted version froze: {"figures": {code: value},
    "breakdowns": {code: rows}} (one query)."""
    ids = [r.pk for r in reports if r.version_count]
    result: dict[int, dict] = {}
    rows = (
        ReportVersion.objects.filter(report_id__in=ids)
        .order_by("report_id", "-number")
        .values_list("report_id", "content")
    )
    for report_id, content in rows:
        if report_id in result:
            continue
        result[report_id] = {
            "figures": {code: f["value"] for code, f in (content.get("figures") or {}).items()},
            "breakdowns": content.get("breakdowns") or {},
        }
    return result


def latest_figures(reports) -> dict[int, dict[str, int]]:
    """Report pk -> the figures of its latest submitted version (frozen values)."""
    return {pk: v["figures"] for pk, v in latest_versions(reports).items()}


@dataclass
class Board:
    round: Round
    reports: list[Report]
    counts: dict[str, int]
    late: list[Report]
    totals: dict[str, int]
    previous: Round | None
    previous_totals: dict[str, int]
    rows: list[tuple[Report, dict[str, int]]]
    indicators: list = field(default_factory=list)
    # The figures given in rows (money per fund and campaign): summed over the units, and per unit.
    breakdowns: dict[str, list[dict]] = field(default_factory=dict)
    unit_breakdowns: dict[int, dict[str, list[dict]]] = field(default_factory=dict)

    def breakdown_tables(self):
        return indicators.tables(self.breakdowns)

    def unit_value(self, report: Report, code: str, key: str, column: str) -> int | None:
        """One unit's value in one row of a breakdown (None when the unit sent nothing for it)."""
        for row in self.unit_breakdowns.get(report.pk, {}).get(code) or []:
            if row["key"] == key:
                return row["values"].get(column, 0)
        return None

    def unit_breakdown_tables(self, limit: int | None = None):
        """[(table, [(report, row label, values)])]: each breakdown's rows unit by unit (the per-unit
        table), at most `limit` lines each."""
        out = []
        for total in self.breakdown_tables():
            code = total.breakdown.code
            lines = []
            for report, _figures in self.rows:
                rows = self.unit_breakdowns.get(report.pk, {}).get(code)
                if rows:
                    lines += [
                        (report, label, values)
                        for label, values in indicators.table(total.breakdown, rows).rows
                    ]
            out.append((total, lines[:limit] if limit is not None else lines))
        return out
        return out

    def lines(self):
        """(indicator, total, last year's, change) for the figures table."""
        for ind in self.indicators:
            total = self.totals.get(ind.code, 0)
            before = self.previous_totals.get(ind.code) if self.previous else None
            yield ind, total, before, (total - before) if before is not None else None


def previous_round(rnd: Round) -> Round | None:
    """The round of the same kind and the same period one year earlier."""
    try:
        start = rnd.period_start.replace(year=rnd.period_start.year - 1)
        end = rnd.period_end.replace(year=rnd.period_end.year - 1)
    except ValueError:  # 29 February
        start = rnd.period_start - dt.timedelta(days=365)
        end = rnd.period_end - dt.timedelta(days=365)
    return Round.objects.filter(kind=rnd.kind, period_start=start, period_end=end).order_by("-pk").first()


def _totals(reports, figures) -> dict[str, int]:
    totals: dict[str, int] = {}
    for r in reports:
        for code, value in figures.get(r.pk, {}).items():
            totals[code] = totals.get(code, 0) + int(value or 0)
    return totals


def round_board(user, rnd: Round) -> Board:
    """Who submitted, who is late or returned; the societies' figures summed over the units the
    user may see, per unit, and beside last year's same round."""
    return _board(rnd, lambda r: report_list(user, round=r))


def city_board(rnd: Round) -> Board:
    """The whole round, for the city's own document (the view has checked plans.manage)."""
    return _board(rnd, lambda r: Report.objects.filter(round=r).select_related("round", "unit", "agency"))


def _board(rnd: Round, reports_of) -> Board:
    reports = list(reports_of(rnd).order_by("kind", "unit__path", "respondent"))
    counts = dict.fromkeys(ReportStatus.values, 0)
    for r in reports:
        r.round = rnd
        counts[r.status] += 1
    open_statuses = (ReportStatus.DRAFT, ReportStatus.RETURNED)
    late = [r for r in reports if r.is_late and r.status in open_statuses]
    late += [r for r in reports if r.is_late and r.status not in open_statuses]
    societies = [r for r in reports if r.kind == RespondentKind.SOCIETY]
    latest = latest_versions(societies)
    figures = {pk: v["figures"] for pk, v in latest.items()}
    unit_breakdowns = {pk: v["breakdowns"] for pk, v in latest.items()}
    previous = previous_round(rnd)
    previous_totals = {}
    if previous is not None:
        before = list(reports_of(previous).filter(kind=RespondentKind.SOCIETY))
        previous_totals = _totals(before, latest_figures(before))
    return Board(
        round=rnd,
        reports=reports,
        counts=counts,
        late=late,
        totals=_totals(societies, figures),
        previous=previous,
        previous_totals=previous_totals,
        rows=[(r, figures.get(r.pk, {})) for r in societies],
        indicators=indicators.all_indicators(),
        breakdowns={
            b.code: indicators.sum_rows(ub.get(b.code) for ub in unit_breakdowns.values())
            for b in indicators.all_breakdowns()
        },
        unit_breakdowns=unit_breakdowns,
    )


def duty_statuses(user, rnd: Round) -> list[tuple[Report, list]]:
    """The agencies' duties with their latest reported status (the board's second table)."""
    reports = list(
        report_list(user, round=rnd).filter(kind=RespondentKind.AGENCY).prefetch_related("entries__duty")
    )
    return [(r, sorted(r.entries.all(), key=lambda e: e.duty.order)) for r in reports]


# The difficulties and proposals register --------------------------------------------------------


def issues_visible(user) -> QuerySet[Issue]:
    """The city all; a commune those raised by its reports; an agency reporter those addressed to
    its agency (and raised by its own reports), within its role's scope."""
    scope = access.scope(user, PLANS_VIEW)
    if scope.everything:
        return Issue.objects.all()
    q = scope.q("unit__path") if not scope.empty else Q(pk__in=[])
    agencies = access.agencies_of(user)
    agency_scope = access.scope(user, PLANS_AGENCY_REPORT)
    if agencies and not agency_scope.empty:
        q |= (Q(agency_id__in=agencies) | Q(report__agency_id__in=agencies)) & agency_scope.q("unit__path")
    return Issue.objects.filter(q)


def issue_list(user, *, round_id=None, agency_id=None, status: str = "") -> QuerySet[Issue]:
    require_reader(user)
    qs = issues_visible(user).select_related("round", "report", "agency", "duty")
    if round_id:
        qs = qs.filter(round_id=access.int_pk(round_id))
    if agency_id == "none":
        qs = qs.filter(agency__isnull=True)
    elif agency_id:
        qs = qs.filter(agency_id=access.int_pk(agency_id))
    if status in IssueStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-raised_at", "-pk")


def issue_get(user, pk) -> Issue:
    if not may_read_plans(user):
        raise Http404
    qs = issues_visible(user).select_related("round", "report", "agency", "duty", "unit")
    return access.get_in_scope(user, PLANS_VIEW, qs, pk, scoped=True)


def issue_counts(user, *, round_id=None) -> list[tuple]:
    """(agency name or None, open, answered, resolved) per addressed agency, for the register's head."""
    qs = issues_visible(user)
    if round_id:
        qs = qs.filter(round_id=round_id)
    rows: dict = {}
    for agency_id, name, status, n in (
        qs.values_list("agency_id", "agency__name", "status").annotate(n=Count("pk")).order_by("agency__name")
    ):
        row = rows.setdefault(
            agency_id, {"agency_id": agency_id, "name": name, **dict.fromkeys(IssueStatus.values, 0)}
        )
        row[status] = n
    return list(rows.values())


# Inspections --------------------------------------------------------------------------------------


def may_inspect(user, unit=None) -> bool:
    return access.has_perm(user, PLANS_INSPECT, unit)


def inspection_plans(user) -> QuerySet[InspectionPlan]:
    access.require(user, PLANS_VIEW)
    return InspectionPlan.objects.order_by("-year")


def inspection_plan_get(user, pk) -> InspectionPlan:
    if not access.has_perm(user, PLANS_VIEW):
        raise Http404
    return access.get_in_scope(user, PLANS_VIEW, InspectionPlan.objects.all(), pk, scoped=True)


def inspections_visible(user) -> QuerySet[Inspection]:
    return access.in_scope(user, PLANS_VIEW, Inspection.objects.all(), field="unit")


def inspection_list(user, plan: InspectionPlan) -> QuerySet[Inspection]:
    return (
        inspections_visible(user)
        .filter(plan=plan)
        .select_related("unit")
        .annotate(
            open_recs=Count("recommendations", filter=~Q(recommendations__status=RecommendationStatus.CLOSED))
        )
        .order_by("starts_on", "unit__path")
    )


def inspection_get(user, pk) -> Inspection:
    qs = inspections_visible(user).select_related("plan", "unit", "recorded_by")
    return access.get_in_scope(user, PLANS_VIEW, qs, pk, scoped=True)


def recommendations_visible(user) -> QuerySet[Recommendation]:
    """A recommendation is read by whoever reads its responsible unit or the inspected unit."""
    scope = access.scope(user, PLANS_VIEW)
    if scope.everything:
        return Recommendation.objects.all()
    if scope.empty:
        return Recommendation.objects.none()
    return Recommendation.objects.filter(scope.q("unit__path") | scope.q("inspection__unit__path"))


def recommendation_get(user, pk) -> Recommendation:
    qs = recommendations_visible(user).select_related("inspection", "inspection__unit", "unit")
    return access.get_in_scope(user, PLANS_VIEW, qs, pk, scoped=True)


def open_recommendations(user, *, overdue_only: bool = False, today: dt.date | None = None):
    today = today or timezone.localdate()
    qs = (
        recommendations_visible(user)
        .exclude(status=RecommendationStatus.CLOSED)
        .select_related("unit", "inspection")
        .order_by("deadline", "pk")
    )
    if overdue_only:
        qs = qs.filter(deadline__lt=today)
    return qs
