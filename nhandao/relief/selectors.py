"""Every read of the relief module that depends on who asks.

An incident is seen by the users of the unit that opened it and of every commune
it affects (a commune sees the city's typhoon).  Warehouses, stock and
distributions are seen only within the unit that keeps them: a warehouse of one
commune is invisible to another's staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from nhandao.beneficiaries import api
from nhandao.core.access import RELIEF_VIEW
from nhandao.core.collation import vi
from nhandao.org import access
from nhandao.org.models import Unit

from .models import (
    FIGURE_NAMES,
    AffectedCommune,
    DistributionPlan,
    FieldReport,
    Incident,
    Lot,
    Recipient,
    ReportSource,
    StockBalance,
    StockCount,
    StockIssue,
    StockMovement,
    StockReceipt,
    StockTransfer,
    Warehouse,
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
    return qs.order_by("-starts_on", vi("name"))


def incident_get(user, pk) -> Incident:
    qs = incidents_visible(user).select_related("unit", "created_by")
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, scoped=True)


def reportable_communes(user, perm: str, incident: Incident) -> QuerySet[Unit]:
    """The incident's communes where the user may act with `perm`."""
    scope = access.scope(user, perm)
    ids = AffectedCommune.objects.filter(incident=incident).values("commune_id")
    return scope.units().filter(pk__in=ids).order_by(vi("name"))


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
    """The latest report of each (commune, source) of the incident: one pass with a window function
    (ROW_NUMBER over commune and source, newest first), portable to SQLite.  A correlated subquery
    per report cost a lookup for each of an incident's ~2,000 reports."""
    ranked = FieldReport.objects.filter(incident=incident).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("commune_id"), F("source")],
            order_by=[F("reported_at").desc(), F("pk").desc()],
        )
    )
    return ranked.filter(rank=1)


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


SITUATION_CACHE_SECONDS = 300  # bounds how stale a renamed commune may look; new reports show at once


def situation_version(incident: Incident) -> str:
    """What the situation depends on: reports are never edited (a correction is a new report) and
    areas are only added or updated, so counts and the highest ids change with every write."""
    r = FieldReport.objects.filter(incident=incident).aggregate(n=Count("pk"), last=Max("pk"))
    a = AffectedCommune.objects.filter(incident=incident).aggregate(n=Count("pk"), last=Max("pk"))
    made = incident.created_at.timestamp() if incident.created_at else ""
    return f"{incident.pk}:{made}:{r['n']}:{r['last']}:{a['n']}:{a['last']}"


def situation_cached(incident: Incident) -> tuple[Situation, str]:
    """(situation, its cache key): the situation from the cache while no report or area changed."""
    key = f"relief:situation:{situation_version(incident)}"
    found = cache.get(key)
    if found is None:
        found = situation(incident)
        cache.set(key, found, SITUATION_CACHE_SECONDS)
    return found, key


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


# Warehouses and stock ----------------------------------------------------------------------------
def warehouses_visible(user, perm: str = RELIEF_VIEW) -> QuerySet[Warehouse]:
    return access.in_scope(user, perm, Warehouse.objects.all())


def warehouse_get(user, pk, perm: str = RELIEF_VIEW) -> Warehouse:
    return access.get_in_scope(user, perm, Warehouse.objects.select_related("unit"), pk)


def transfer_destinations(user, source: Warehouse) -> QuerySet[Warehouse]:
    """Where goods may be sent from `source`: warehouses in the user's scope and those of the units
    above the source (a commune returns goods to the city's warehouse)."""
    scope = access.scope(user, RELIEF_VIEW)
    segments = [s for s in source.unit.path.split(".") if s]
    above = [".".join(segments[:i]) + "." for i in range(1, len(segments))]
    return (
        Warehouse.objects.filter(
            Q(unit__in=scope.units().values("pk")) | Q(unit__path__in=above), is_active=True
        )
        .exclude(pk=source.pk)
        .select_related("unit")
        .order_by("unit__depth", vi("name"))
    )


@dataclass
class BalanceLine:
    lot: Lot
    quantity: Decimal
    value: int
    expiring: bool = False
    expired: bool = False


def warehouse_balance(warehouse: Warehouse, on: dt.date | None = None) -> list[BalanceLine]:
    """What the warehouse holds, per lot: now (the balance rows), or at the end of `on` (the book)."""
    today = timezone.localdate()
    if on is None or on >= today:
        rows = StockBalance.objects.filter(warehouse=warehouse, quantity__gt=0).values_list(
            "lot_id", "quantity"
        )
    else:
        rows = (
            StockMovement.objects.filter(warehouse=warehouse, occurred_on__lte=on)
            .values("lot_id")
            .annotate(q=Sum("quantity"))
            .filter(q__gt=0)
            .values_list("lot_id", "q")
        )
    quantities = dict(rows)
    lots = Lot.objects.filter(pk__in=list(quantities)).select_related("item")
    day = on or today
    out = []
    for lot in lots:
        q = quantities[lot.pk]
        warn = lot.expires_on is not None and lot.expires_on <= day + dt.timedelta(days=lot.item.warn_days)
        out.append(
            BalanceLine(
                lot=lot,
                quantity=q,
                value=int(q * lot.unit_value),
                expiring=warn,
                expired=lot.expires_on is not None and lot.expires_on < day,
            )
        )
    return sorted(out, key=lambda b: (b.lot.item.name, b.lot.expires_on or dt.date.max, b.lot.code))


def expiry_warnings(user) -> QuerySet[StockBalance]:
    """Lots on hand in the user's warehouses that expire within their item's warning window."""
    today = timezone.localdate()
    qs = StockBalance.objects.filter(
        warehouse__in=warehouses_visible(user).values("pk"), quantity__gt=0, lot__expires_on__isnull=False
    ).select_related("warehouse", "lot__item")
    return [
        b
        for b in qs.order_by("lot__expires_on")
        if b.lot.expires_on <= today + dt.timedelta(days=b.lot.item.warn_days)
    ]


def warehouse_movements(warehouse: Warehouse) -> QuerySet[StockMovement]:
    return (
        StockMovement.objects.filter(warehouse=warehouse)
        .select_related("lot__item")
        .order_by("-occurred_on", "-pk")
    )


def transfers_of(user, warehouse: Warehouse) -> QuerySet[StockTransfer]:
    return (
        StockTransfer.objects.filter(Q(source=warehouse) | Q(destination=warehouse))
        .select_related("source", "destination")
        .order_by("-dispatched_on", "-pk")
    )


def transfer_get(user, pk) -> StockTransfer:
    """A transfer whose source or destination warehouse the user sees; 404 otherwise."""
    visible = warehouses_visible(user).values("pk")
    qs = StockTransfer.objects.filter(Q(source__in=visible) | Q(destination__in=visible)).select_related(
        "source__unit", "destination__unit", "dispatched_by", "received_by"
    )
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, scoped=True)


def count_get(user, pk) -> StockCount:
    qs = StockCount.objects.select_related("warehouse__unit", "counted_by", "decided_by")
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, field="warehouse__unit")


def receipt_get(user, pk) -> StockReceipt:
    qs = StockReceipt.objects.select_related("warehouse__unit", "donation", "disbursement", "recorded_by")
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, field="warehouse__unit")


def issue_get(user, pk) -> StockIssue:
    qs = StockIssue.objects.select_related("warehouse__unit", "recorded_by")
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, field="warehouse__unit")


def document_lines(**document) -> QuerySet[StockMovement]:
    return StockMovement.objects.filter(**document).select_related("lot__item").order_by("pk")


# Distributions ------------------------------------------------------------------------------------
def distributions_visible(user, perm: str = RELIEF_VIEW) -> QuerySet[DistributionPlan]:
    return access.in_scope(user, perm, DistributionPlan.objects.all(), field="commune")


def distributions_of_incident(user, incident: Incident) -> QuerySet[DistributionPlan]:
    return (
        distributions_visible(user)
        .filter(incident=incident)
        .select_related("commune", "package")
        .order_by("-planned_on", "pk")
    )


def distribution_get(user, pk) -> DistributionPlan:
    qs = DistributionPlan.objects.select_related("incident", "commune", "warehouse", "package")
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, field="commune")


def recipients_of(plan: DistributionPlan) -> QuerySet[Recipient]:
    """The household list; only the columns the list and beneficiaries.api.case_labels read
    (a commune's list of 5,000 households prints in one query)."""
    return (
        Recipient.objects.filter(plan=plan)
        .select_related("case__head", "case__unit", "case__commune")
        .only(
            "id",
            "plan_id",
            "received_at",
            "duplicate_reason",
            "on_the_spot",
            "case__id",
            "case__share_consent",
            "case__unit__id",
            "case__unit__path",
            "case__commune__id",
            "case__commune__name",
            "case__head__id",
            "case__head__full_name",
        )
        .order_by("case_id")
    )


def recipient_print_rows(
    plan: DistributionPlan, start: int, stop: int
) -> list[tuple[api.CaseFacts, dt.datetime | None]]:
    """The printable list's rows start..stop: (the case's facts for
    beneficiaries.api.case_labels_of_facts, when the household received), in the list's order
    (as recipients_of), as plain tuples."""
    rows = (
        Recipient.objects.filter(plan=plan)
        .order_by("case_id")
        .values_list(*api.case_fact_fields("case__"), "received_at")[start:stop]
    )
    return [(api.CaseFacts(*row[:-1]), row[-1]) for row in rows]


def recipient_get(user, pk) -> Recipient:
    qs = Recipient.objects.select_related(
        "plan__commune", "plan__incident", "plan__package", "case__head", "case__unit", "case__commune"
    )
    return access.get_in_scope(user, RELIEF_VIEW, qs, pk, field="plan__commune")


def distribution_progress(plan: DistributionPlan) -> dict[str, int]:
    agg = Recipient.objects.filter(plan=plan).aggregate(
        listed=Count("pk"), received=Count("pk", filter=Q(received_at__isnull=False))
    )
    value = (
        StockIssue.objects.filter(pk__in=Recipient.objects.filter(plan=plan).values("issue_id")).aggregate(
            v=Sum("value")
        )["v"]
        or 0
    )
    return {"listed": agg["listed"], "received": agg["received"], "value": value}
