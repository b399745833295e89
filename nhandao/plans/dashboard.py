"""The leaders' dashboard of the current period (issue 14, point 9).

The city sees the whole installation, a commune its own society and committee, an agency its own
duties: key indicators per content area with their trend over the last periods (the frozen figures
of the submitted reports of the rounds of the same kind), the open round's progress, the overdue
reports and duties, the open recommendations of inspections and, for an agency, the difficulties
addressed to it.  Charts are SVG drawn here (points computed on the server; no script, no inline
style).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core import indicators
from nhandao.core.choices import ContentArea
from nhandao.org import access

from . import selectors
from .models import EntryStatus, IssueStatus, ReportEntry, ReportStatus, RespondentKind, Round, RoundStatus

TREND_ROUNDS = 4
W, H, PAD = 160, 44, 4


@dataclass
class Trend:
    label: object
    money: bool
    values: list[tuple[str, int]]  # (round's short name, value), oldest first
    points: str = ""
    dots: list[tuple[float, float]] = field(default_factory=list)

    @property
    def current(self) -> int | None:
        return self.values[-1][1] if self.values else None

    @property
    def previous(self) -> int | None:
        return self.values[-2][1] if len(self.values) > 1 else None

    @property
    def change(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def _draw(trend: Trend) -> Trend:
    """The polyline of a sparkline in a W×H box (the y axis from 0 to the largest value)."""
    values = [v for _label, v in trend.values]
    if not values:
        return trend
    top = max(values) or 1
    step = (W - 2 * PAD) / max(len(values) - 1, 1)
    dots = []
    for i, v in enumerate(values):
        x = PAD + i * step if len(values) > 1 else W / 2
        y = H - PAD - (H - 2 * PAD) * (v / top)
        dots.append((round(x, 1), round(y, 1)))
    trend.dots = dots
    trend.points = " ".join(f"{x},{y}" for x, y in dots)
    return trend


@dataclass
class Area:
    label: object
    trends: list[Trend]


@dataclass
class Progress:
    round: Round | None
    total: int = 0
    submitted: int = 0  # submitted or accepted
    returned: int = 0
    draft: int = 0
    late: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0


@dataclass
class Dashboard:
    kind: str  # "city", "commune", "agency"
    title: object
    current: Round | None
    areas: list[Area]
    progress: Progress
    overdue_duties: list
    recommendations: list
    recommendations_open: int
    recommendations_overdue: int
    issues: list
    issues_open: int
    W: int = W
    H: int = H


def _short(rnd: Round) -> str:
    return f"{rnd.period_end:%m/%Y}"


def _trend_rounds(user, current: Round | None) -> list[Round]:
    if current is None:
        return []
    rounds = list(
        selectors.round_list(user)
        .filter(kind=current.kind, period_end__lte=current.period_end)
        .order_by("-period_end")[:TREND_ROUNDS]
    )
    return list(reversed(rounds))


def _society_areas(user, rounds: list[Round]) -> list[Area]:
    totals: dict[int, dict[str, int]] = {}
    for rnd in rounds:
        reports = list(selectors.report_list(user, round=rnd).filter(kind=RespondentKind.SOCIETY))
        figures = selectors.latest_figures(reports)
        totals[rnd.pk] = {}
        for values in figures.values():
            for code, v in values.items():
                totals[rnd.pk][code] = totals[rnd.pk].get(code, 0) + int(v or 0)
    labels = dict(ContentArea.choices)
    by_area: dict[str, list[Trend]] = {}
    for ind in indicators.all_indicators():
        values = [(_short(r), totals[r.pk].get(ind.code, 0)) for r in rounds]
        by_area.setdefault(ind.area, []).append(_draw(Trend(ind.label, ind.money, values)))
    order = ["", *ContentArea.values]
    return [
        Area(labels.get(a, _("Tổ chức Hội, hội viên, tình nguyện viên")), by_area[a])
        for a in order
        if a in by_area
    ]


def _agency_areas(user, rounds: list[Round]) -> list[Area]:
    """An agency's duties done per content area, over the rounds."""
    agencies = access.agencies_of(user)
    labels = dict(ContentArea.choices)
    counts: dict[str, dict[int, tuple[int, int]]] = {}
    entries = (
        ReportEntry.objects.filter(
            report__round__in=rounds,
            report__agency_id__in=agencies,
            report__in=selectors.reports_visible(user),
        )
        .exclude(report__status=ReportStatus.DRAFT)
        .values_list("report__round_id", "status", "duty__areas")
    )
    for round_id, status, areas in entries:
        for area in areas or [""]:
            done, total = counts.setdefault(area, {}).get(round_id, (0, 0))
            counts[area][round_id] = (done + (status == EntryStatus.DONE), total + 1)
    result = []
    for area in ["", *ContentArea.values]:
        if area not in counts:
            continue
        done = [(_short(r), counts[area].get(r.pk, (0, 0))[0]) for r in rounds]
        result.append(
            Area(
                labels.get(area, _("Nhiệm vụ chung")),
                [_draw(Trend(_("Nhiệm vụ đã hoàn thành"), False, done))],
            )
        )
    return result


def build(user) -> Dashboard:
    today = timezone.localdate()
    city = selectors.is_city(user)
    agency = selectors.agency_only(user)
    kind = "city" if city else ("agency" if agency else "commune")
    rounds = selectors.round_list(user).order_by("-period_end", "-pk")
    current = rounds.filter(status=RoundStatus.OPEN).first() or rounds.first()
    trend_rounds = _trend_rounds(user, current)
    areas = _agency_areas(user, trend_rounds) if agency else _society_areas(user, trend_rounds)

    progress = Progress(current)
    overdue = []
    if current is not None:
        reports = selectors.report_list(user, round=current)
        if agency:
            reports = reports.filter(agency_id__in=access.agencies_of(user))
        counts = dict(reports.values_list("status").annotate(n=Count("pk")).order_by())
        progress.total = sum(counts.values())
        progress.submitted = counts.get(ReportStatus.SUBMITTED, 0) + counts.get(ReportStatus.ACCEPTED, 0)
        progress.returned = counts.get(ReportStatus.RETURNED, 0)
        progress.draft = counts.get(ReportStatus.DRAFT, 0)
        if current.deadline < today:
            overdue = list(
                reports.filter(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
                .annotate(
                    open_duties=Count(
                        "entries",
                        filter=~Q(entries__status__in=[EntryStatus.DONE, EntryStatus.NOT_APPLICABLE]),
                    )
                )
                .order_by("kind", "respondent")[:15]
            )
        progress.late = overdue

    recs = selectors.open_recommendations(user)
    issues = selectors.issues_visible(user).exclude(status=IssueStatus.RESOLVED)
    if agency:
        issues = issues.filter(agency_id__in=access.agencies_of(user))
    titles = {
        "city": _("Bảng điều hành của thành phố"),
        "commune": _("Bảng điều hành của xã, phường"),
        "agency": _("Bảng điều hành của cơ quan"),
    }
    return Dashboard(
        kind=kind,
        title=titles[kind],
        current=current,
        areas=areas,
        progress=progress,
        overdue_duties=overdue,
        recommendations=list(recs.select_related("unit")[:10]) if not agency else [],
        recommendations_open=recs.count() if not agency else 0,
        recommendations_overdue=recs.filter(deadline__lt=today).count() if not agency else 0,
        issues=list(issues.select_related("agency", "round").order_by("raised_at")[:10]),
        issues_open=issues.count(),
    )
