"""What the public transparency portal may show of an incident: totals, never a name.

An incident is public when an appeal that the portal publishes finances it (Decree 93/2021: the
appeal's use must be disclosed).  The figures are the situation's per-commune combined figures and
totals; the response is counted in households reached and goods given, by item.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from .models import DistributionPlan, Incident, Item, Recipient, StockMovement
from .selectors import Situation, situation


def public_incident(pk: int) -> Incident | None:
    campaigns_public = Q(campaigns__is_public=True) & ~Q(campaigns__status="draft")
    return Incident.objects.filter(campaigns_public, pk=pk).select_related("unit").distinct().first()


@dataclass
class GoodsGiven:
    item: Item
    quantity: Decimal
    value: int


@dataclass
class PublicResponse:
    distributions: int
    communes: int
    households: int
    goods: list[GoodsGiven]
    value: int


def public_response(incident: Incident) -> PublicResponse:
    plans = DistributionPlan.objects.filter(incident=incident)
    agg = plans.aggregate(n=Count("pk"), communes=Count("commune", distinct=True))
    received = Recipient.objects.filter(plan__incident=incident, received_at__isnull=False)
    rows = (
        StockMovement.objects.filter(issue_id__in=received.values("issue_id"))
        .values("item_id")
        .annotate(q=Sum("quantity"), v=Sum("value"))
    )
    items = Item.objects.in_bulk([r["item_id"] for r in rows])
    goods = sorted(
        (GoodsGiven(items[r["item_id"]], -r["q"], -r["v"]) for r in rows), key=lambda g: g.item.name
    )
    return PublicResponse(
        distributions=agg["n"],
        communes=agg["communes"],
        households=received.count(),
        goods=goods,
        value=sum(g.value for g in goods),
    )


def public_situation(incident: Incident) -> Situation:
    return situation(incident)
