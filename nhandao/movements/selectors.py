"""Every read of the movements app that depends on who asks.

Movements, criteria and good practice models of a unit are seen by its subtree and by the units
above it (the city's movement is every commune's to follow; a commune's own drive is its own).
Targets and results are shown only for the units in the user's scope; the ranking shows the units
in scope with their rank among all their peers.  Proposals are the proposing unit's subtree's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from nhandao.core import indicators
from nhandao.core.access import MOVEMENTS_MANAGE, MOVEMENTS_VIEW
from nhandao.core.collation import vi
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.models import Unit

from . import results
from .models import Movement, PeerGroup, PracticeModel, Proposal, Ranking, RankingEntry, Scheme, Target
from .services import target_units


def _ancestor_ids(paths: tuple[str, ...]) -> set[int]:
    return {int(seg) for path in paths for seg in path.split(".") if seg}


def _visible(user, queryset: QuerySet, perm: str = MOVEMENTS_VIEW) -> QuerySet:
    """Records of units in scope and of the units above them."""
    scope = access.scope(user, perm)
    if scope.everything:
        return queryset
    if scope.empty:
        return queryset.none()
    return queryset.filter(scope.q("unit__path") | Q(unit_id__in=_ancestor_ids(scope.paths)))


def movements_visible(user) -> QuerySet[Movement]:
    return _visible(user, Movement.objects.select_related("unit"))


def movement_get(user, pk, perm: str = MOVEMENTS_VIEW) -> Movement:
    return access.get_in_scope(
        user, perm, _visible(user, Movement.objects.select_related("unit"), perm), pk, scoped=True
    )


def schemes_visible(user) -> QuerySet[Scheme]:
    return _visible(user, Scheme.objects.select_related("unit"))


def scheme_get(user, pk, perm: str = MOVEMENTS_VIEW) -> Scheme:
    return access.get_in_scope(
        user, perm, _visible(user, Scheme.objects.select_related("unit"), perm), pk, scoped=True
    )


def ranking_get(user, pk) -> Ranking:
    rankings = Ranking.objects.select_related("scheme", "scheme__unit")
    scope = access.scope(user, MOVEMENTS_VIEW)
    if not scope.everything:
        rankings = (
            rankings.filter(scope.q("scheme__unit__path") | Q(scheme__unit_id__in=_ancestor_ids(scope.paths)))
            if not scope.empty
            else rankings.none()
        )
    return access.get_in_scope(user, MOVEMENTS_VIEW, rankings, pk, scoped=True)


def ranking_entries(user, ranking: Ranking) -> QuerySet[RankingEntry]:
    return access.in_scope(user, MOVEMENTS_VIEW, ranking.entries.select_related("unit"))


def proposals_visible(user) -> QuerySet[Proposal]:
    return access.in_scope(
        user,
        MOVEMENTS_VIEW,
        Proposal.objects.select_related("unit").annotate(n=Count("items")).order_by("-year", "-id"),
    )


def proposal_get(user, pk, perm: str = MOVEMENTS_VIEW) -> Proposal:
    return access.get_in_scope(user, perm, Proposal.objects.select_related("unit", "scheme"), pk)


def practices_visible(user) -> QuerySet[PracticeModel]:
    return _visible(
        user,
        PracticeModel.objects.select_related("unit")
        .annotate(replicated=Count("adoptions"))
        .order_by("-since", "-id"),
    )


def practice_get(user, pk, perm: str = MOVEMENTS_VIEW) -> PracticeModel:
    return access.get_in_scope(
        user, perm, _visible(user, PracticeModel.objects.select_related("unit"), perm), pk, scoped=True
    )


def units_for(user, perm: str) -> QuerySet[Unit]:
    """Active units where the user holds `perm` (the choices of a form)."""
    return access.scope(user, perm).units().active().order_by("path")


# Peer groups and population ---------------------------------------------------------------------
def _profile_units(user) -> QuerySet[Unit]:
    """Competing units whose parent is in the user's scope to manage: the city's communes and their
    branches for the city, a commune's school and enterprise branches for the commune (a unit does
    not place itself)."""
    scope = access.scope(user, MOVEMENTS_MANAGE)
    if scope.empty:
        return Unit.objects.none()
    return (
        Unit.objects.filter(scope.q("parent__path"))
        .filter(results.COMPETING)
        .select_related("ward", "parent", "movement_profile")
    )


def profile_units(user, *, query: str = "", group: str = "") -> QuerySet[Unit]:
    """The active units of the peer groups page, communes first, by name; `query` ignores
    diacritics, `group` keeps one peer group (chosen by hand or given by the tree)."""
    units = _profile_units(user).active()
    key = normalize(query)[:100]
    if key:
        units = units.filter(search_key__contains=key)
    if group in PeerGroup.values:
        units = units.filter(results.in_peer_group(group))
    return units.order_by("kind", vi("name"), "pk")


def profile_unit_get(user, pk) -> Unit:
    """One unit of the page, closed ones included (their edit is refused with a message)."""
    return access.get_in_scope(user, MOVEMENTS_MANAGE, _profile_units(user), pk, scoped=True)


# The board of a movement -----------------------------------------------------------------------
@dataclass
class Cell:
    target: int | None
    result: int
    percent: int | None
    money: bool = False


@dataclass
class BoardRow:
    unit: Unit
    cells: list[Cell]


def board_units(user, movement: Movement) -> QuerySet[Unit]:
    """The commune-level societies of the movement in the user's scope, for the paginated board."""

    return access.in_scope(user, MOVEMENTS_VIEW, target_units(movement), path_field="path").order_by(
        "name", "pk"
    )


def board_rows(movement: Movement, units: list[Unit], codes: list[str]) -> list[BoardRow]:
    targets: dict[tuple[int, str], int] = {
        (t.unit_id, t.indicator): t.value
        for t in Target.objects.filter(movement=movement, unit__in=[u.pk for u in units], indicator__in=codes)
    }
    values = results.compute(codes, units, movement.starts_on, movement.ends_on)
    return [
        BoardRow(
            unit=u,
            cells=[
                Cell(
                    targets.get((u.pk, c)),
                    values[u.pk][c],
                    results.percent(values[u.pk][c], targets.get((u.pk, c))),
                    _is_money(c),
                )
                for c in codes
            ],
        )
        for u in units
    ]


def board_total(user, movement: Movement, codes: list[str]) -> BoardRow | None:
    """The roll-up: the movement's own unit (the city) when the user sees it whole, with the sum of
    the communes' targets; None for a commune's officer (they see their own rows)."""
    if not access.scope(user, MOVEMENTS_VIEW).allows(movement.unit):
        return None
    totals: dict[str, int | None] = dict.fromkeys(codes)
    for code, value in Target.objects.filter(movement=movement, indicator__in=codes).values_list(
        "indicator", "value"
    ):
        totals[code] = (totals[code] or 0) + value
    values = results.compute(codes, [movement.unit], movement.starts_on, movement.ends_on)[movement.unit.pk]
    return BoardRow(
        unit=movement.unit,
        cells=[
            Cell(totals[c], values[c], results.percent(values[c], totals[c]), _is_money(c)) for c in codes
        ],
    )


def indicator_labels(codes: list[str]) -> list[indicators.Indicator]:
    return [i for i in (indicators.get(c) for c in codes) if i is not None]


def _is_money(code: str) -> bool:
    indicator = indicators.get(code)
    return bool(indicator and indicator.money)
