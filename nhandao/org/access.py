"""Who may do what where: the one place that turns role assignments into scopes.

A role on a unit covers that unit's whole subtree.  A user's scope for a
permission is the set of subtree roots (materialised paths) where they hold a
role granting it.  Selectors filter with `scope.filter(queryset)`; single objects are fetched
with `get_in_scope`, which answers 404 for anything outside the scope, so a
guessed URL shows nothing.  Views and services refuse with `require`.

Helpers that look beyond the user's scope on purpose (duplicate checks,
double-help checks, CCCD uniqueness) pass what they found through
`split_visible`: records the user may see are shown as usual, the others only
counted, so a message says "a record exists in another unit" and never its
name, date of birth, branch, number or link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core.access import ROLE_PERMISSIONS

from .models import RoleAssignment, Unit

_CACHE_ATTR = "_nhandao_assignments"
_UNITS_ATTR = "_nhandao_scope_units"


@dataclass(frozen=True)
class Scope:
    perm: str
    paths: tuple[str, ...]
    everything: bool = False
    # The request's cache of unit ids by subtree roots (kept on the user with the assignments).
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.paths

    def allows_path(self, path: str | None) -> bool:
        if self.everything:
            return True
        return bool(path) and any(path.startswith(p) for p in self.paths)

    def allows(self, unit: Unit | None) -> bool:
        return unit is not None and self.allows_path(unit.path)

    def q(self, path_field: str = "path") -> Q:
        """A Q for a model carrying a (denormalised) path column."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        return reduce(lambda a, b: a | b, (Q(**{f"{path_field}__startswith": p}) for p in self.paths))

    def units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(self.q("path"))

    def unit_ids(self) -> list[int]:
        """The ids of the units in scope, read once per request."""
        ids = self.cache.get(self.paths)
        if ids is None:
            ids = self.cache[self.paths] = list(self.units().order_by("pk").values_list("pk", flat=True))
        return ids

    def filter(self, queryset: QuerySet, field: str = "unit") -> QuerySet:
        """Restrict a queryset whose `field` is a foreign key to Unit.

        By the units' ids, not a subquery on their paths: PostgreSQL estimates how many rows a
        list of values holds from the column's statistics (a subquery it guesses at one unit's
        share), and so reads a commune's page of a city-sized list in the list's index order
        instead of fetching and sorting all the commune's rows."""
        if self.everything:
            return queryset
        if not self.paths:
            return queryset.none()
        return queryset.filter(**{f"{field}__in": self.unit_ids()})


def _assignments(user) -> list[tuple[str, str, int | None]]:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        today = timezone.localdate()
        cached = list(
            RoleAssignment.objects.active(today)
            .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=today), user=user)
            .values_list("role", "unit__path", "agency_id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the per-request cache after the user's roles (or the units under them) changed."""
    for attr in (_CACHE_ATTR, _UNITS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def _minimal(paths: set[str]) -> tuple[str, ...]:
    result: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(r) for r in result):
            result.append(path)
    return tuple(sorted(result))


def scope(user, perm: str) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(perm, ())
    if user.is_superuser:
        return Scope(perm, (), everything=True)
    paths = {path for role, path, _agency in _assignments(user) if perm in ROLE_PERMISSIONS.get(role, ())}
    minimal = _minimal(paths)
    # A role on a root unit (no parent) covers the whole installation.
    everything = any(p.count(".") == 1 for p in minimal)
    return Scope(perm, minimal, everything=everything, cache=_units_cache(user))


def _units_cache(user) -> dict:
    cache = getattr(user, _UNITS_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _UNITS_ATTR, cache)
    return cache


def in_subtree(
    user, queryset: QuerySet, unit: Unit, field: str = "unit", within: str | None = None
) -> QuerySet:
    """`queryset` restricted to `unit`'s subtree (a unit the user picked, within their scope), by
    the units' ids as `Scope.filter` does, read once per request (a commune's officer's own
    commune is their scope's: no query).

    `within`: the permission whose scope already restricts `queryset`.  When that scope lies
    wholly inside the unit's subtree (a commune's officer on their own commune's list) the
    restriction is not repeated: PostgreSQL multiplies the selectivities of the two identical
    lists of ids, expects a few hundred rows instead of the commune's thousands, and sorts the
    whole commune instead of reading the list's index in order (people list: 19 ms → 8 ms)."""
    if within is not None:
        s = scope(user, within)
        if not s.everything and s.paths and all(p.startswith(unit.path) for p in s.paths):
            return queryset
    return Scope("", (unit.path,), everything=unit.path.count(".") == 1, cache=_units_cache(user)).filter(
        queryset, field
    )


def has_perm(user, perm: str, unit: Unit | None = None) -> bool:
    s = scope(user, perm)
    return (not s.empty) if unit is None else s.allows(unit)


def role_paths(user, perm: str) -> set[str]:
    """The paths of the units where the user holds a role granting `perm` (each role's own unit,
    none folded into another as in a scope), from the request's cached assignments."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {path for role, path, _agency in _assignments(user) if perm in ROLE_PERMISSIONS.get(role, ())}


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {role for role, _path, _agency in _assignments(user)}


def agencies_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {agency for _role, _path, agency in _assignments(user) if agency}


def require(
    user,
    perm: str,
    unit: Unit | None = None,
    *,
    everywhere: bool = False,
    needs_unit: bool = False,
    message: str = "",
) -> None:
    """Raise PermissionDenied unless the user holds `perm`: somewhere, on `unit` if given,
    or over the whole installation with `everywhere` (settings that belong to the city).
    `needs_unit` refuses when `unit` is None (a service writing a record of a unit).

    The one permission check of views and services; `message` is shown on the 403 page.
    A service called with `user` None is the system itself (seeding, scheduled jobs, an
    import after its own check): allowed.  Views always pass request.user, never None.
    """
    if user is None:
        return
    if needs_unit and unit is None:  # a record of no unit is nobody's to write (the form left it out)
        raise PermissionDenied(message) if message else PermissionDenied
    if everywhere:
        allowed = scope(user, perm).everything
    else:
        allowed = has_perm(user, perm, unit)
    if not allowed:
        if not message and unit is not None:
            message = _("Bạn không có quyền thực hiện thao tác này tại đơn vị này.")
        raise PermissionDenied(message) if message else PermissionDenied


def int_pk(pk) -> int:
    """A primary key from a URL or query string; 404 for anything malformed or out of range."""
    try:
        value = int(pk)
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    if value <= 0 or value > 2**62:
        raise Http404
    return value


def in_scope(user, perm: str, queryset: QuerySet, *, field: str = "unit", path_field: str = "") -> QuerySet:
    """`queryset` restricted to the user's scope for `perm`.

    `field` is the path to the foreign key to Unit ("unit", "fund__unit",
    "case__unit"); a model carrying a denormalised materialised path instead
    names that column with `path_field` ("path" for Unit itself).
    """
    s = scope(user, perm)
    if path_field:
        return queryset.filter(s.q(path_field))
    return s.filter(queryset, field)


def get_in_scope(
    user,
    perm: str,
    queryset: QuerySet,
    pk,
    *,
    field: str = "unit",
    path_field: str = "",
    by: str = "pk",
    scoped: bool = False,
):
    """The object `pk` of `queryset` if it lies in the user's scope for `perm`; Http404 otherwise.

    Outside the scope, missing and malformed all answer the same 404, so a guessed
    URL or query string learns nothing about another unit's records.  `by` names
    another unique lookup (a public reference code) when the URL carries no pk.
    `scoped` says the caller's queryset already encodes a wider rule (sponsors of
    the units above are visible too): it is used as given.
    """
    value = int_pk(pk) if by == "pk" else pk
    if not scoped:
        queryset = in_scope(user, perm, queryset, field=field, path_field=path_field)
    found = queryset.filter(**{by: value}).first()
    if found is None:
        raise Http404
    return found


def get_unit_or_404(user, pk, perm: str) -> Unit:
    """The unit if it lies in the user's scope for `perm`; 404 otherwise (no existence leak)."""
    units = Unit.objects.select_related("parent", "ward", "province", "legacy_district")
    return get_in_scope(user, perm, units, pk, path_field="path")


T = TypeVar("T")


@dataclass(frozen=True)
class Split(Generic[T]):
    """What a beyond-scope check found: the records the user may see, and how many others exist."""

    visible: list[T]
    elsewhere: int

    def __bool__(self) -> bool:
        return bool(self.visible) or self.elsewhere > 0

    def __len__(self) -> int:
        return len(self.visible) + self.elsewhere


def split_visible(
    user, perm: str, objects: Iterable[T], *, unit_of: Callable[[T], Unit | None] = lambda o: o.unit
) -> Split[T]:
    """Split records found beyond the user's scope on purpose (duplicate and double-help checks).

    The caller shows `visible` as usual and says only that `elsewhere` records exist
    in another unit: never their name, date of birth, branch, unit, number or link.
    `user` None is the system itself (seeding, imports after their own check): it sees all.
    """
    items = list(objects)
    if user is None:
        return Split(items, 0)
    s = scope(user, perm)
    visible = [o for o in items if s.allows(unit_of(o))]
    return Split(visible, len(items) - len(visible))


def home_units(user, perm: str, *, include_closed: bool = False) -> QuerySet[Unit]:
    """The top units of a user's scope (where their dashboard and the tree start); a closed root
    (a province merged away in 2025) only when asked for."""
    s = scope(user, perm)
    qs = Unit.objects.filter(parent__isnull=True) if s.everything else Unit.objects.filter(path__in=s.paths)
    return (
        qs if include_closed else qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate()))
    )
