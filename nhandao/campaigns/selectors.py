"""Reads of campaigns for a given user, and the public list the portal shows.

A user sees the campaigns of the units in their scope, and the open or closed
campaigns launched above them (a commune collects for the city's appeal).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from nhandao.core.access import CAMPAIGNS_VIEW, FUNDS_RECORD
from nhandao.core.collation import vi
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.models import Unit

from .models import Campaign, CampaignStatus


def _ancestor_paths(paths: tuple[str, ...]) -> set[str]:
    result = set()
    for path in paths:
        segments = [s for s in path.split(".") if s]
        for i in range(1, len(segments)):
            result.add(".".join(segments[:i]) + ".")
    return result


def campaigns_visible(user, perm: str = CAMPAIGNS_VIEW) -> QuerySet[Campaign]:
    scope = access.scope(user, perm)
    if scope.everything:
        return Campaign.objects.all()
    if scope.empty:
        return Campaign.objects.none()
    above = _ancestor_paths(scope.paths)
    return Campaign.objects.filter(
        scope.q("unit__path") | (Q(unit__path__in=above) & ~Q(status=CampaignStatus.DRAFT))
    )


def campaign_list(user, *, query: str = "", status: str = "") -> QuerySet[Campaign]:
    qs = campaigns_visible(user).select_related("unit")
    if status in CampaignStatus.values:
        qs = qs.filter(status=status)
    key = normalize(query)[:100]
    if key:
        qs = qs.filter(Q(search_key__contains=key) | Q(code=query.strip().upper()[:12]))
    return qs.order_by("-starts_on", vi("name"))


def campaign_get(user, pk) -> Campaign:
    """A campaign of the user's units, or a non-draft one of the units above; 404 otherwise."""
    qs = campaigns_visible(user).select_related("unit", "created_by")
    return access.get_in_scope(user, CAMPAIGNS_VIEW, qs, pk, scoped=True)


def campaigns_to_collect_for(user) -> QuerySet[Campaign]:
    """Open campaigns a user recording gifts may choose."""
    return (
        campaigns_visible(user, FUNDS_RECORD)
        .filter(status=CampaignStatus.OPEN)
        .order_by("-starts_on", vi("name"))
    )


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns the transparency portal lists: public and no longer in preparation."""
    return Campaign.objects.public().select_related("unit").order_by("-starts_on", vi("name"))


def campaign_by_code(code: str) -> Campaign | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 12:
        return None
    return Campaign.objects.filter(code=code).select_related("unit").first()


def public_campaign_by_code(code: str) -> Campaign | None:
    """A campaign the portal may show (public, not a draft), by its reference code; None otherwise."""
    code = (code or "").strip().upper()
    if not code or len(code) > 12 or not code.isalnum():
        return None
    return public_campaigns().filter(code=code).first()


def code_taken(code: str) -> bool:
    """Whether a campaign has this reference code (registered with core.refcodes)."""
    return Campaign.objects.filter(code=code).exists()


def public_campaign_units() -> list[tuple[int, str]]:
    """The units that launched a public campaign (the portal's filter), city first."""
    ids = public_campaigns().order_by().values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("path").values_list("id", "name"))
