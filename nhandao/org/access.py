"""Who may do what where: the one place that turns role assignments into scopes.

A role on a unit covers that unit's whole subtree.  A user's scope for a
permission is the set of subtree roots (materialised paths) where they hold a
role granting it.  Selectors filter with `scope.filter(queryset)` and views
fetch single objects through helpers that answer 404 for anything outside the
scope, so a guessed URL shows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core.access import ROLE_PERMISSIONS

from .models import RoleAssignment, Unit

_CACHE_ATTR = "_nhandao_assignments"


@dataclass(frozen=True)
class Scope:
    perm: str
    paths: tuple[str, ...]
    everything: bool = False

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

    def filter(self, queryset: QuerySet, field: str = "unit") -> QuerySet:
        """Restrict a queryset whose `field` is a foreign key to Unit."""
        if self.everything:
            return queryset
        if not self.paths:
            return queryset.none()
        return queryset.filter(**{f"{field}__in": self.units().values("pk")})


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
    """Drop the per-request cache after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


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
    return Scope(perm, minimal, everything=everything)


def has_perm(user, perm: str, unit: Unit | None = None) -> bool:
    s = scope(user, perm)
    return (not s.empty) if unit is None else s.allows(unit)


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {role for role, _path, _agency in _assignments(user)}


def agencies_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {agency for _role, _path, agency in _assignments(user) if agency}


def require(user, perm: str, unit: Unit | None = None) -> None:
    """Raise PermissionDenied unless the user holds `perm` (on `unit`, if given)."""
    if not has_perm(user, perm, unit):
        raise PermissionDenied


def check(actor, perm: str, unit, message: str = "") -> None:
    """A service's check: refuse unless the actor holds `perm` on `unit` (actor None = the system:
    seeding, scheduled jobs).  Shared by the fund and campaign services."""
    if actor is None:
        return
    if not has_perm(actor, perm, unit):
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này tại đơn vị này."))


def get_unit_or_404(user, pk, perm: str) -> Unit:
    """The unit if it lies in the user's scope for `perm`; 404 otherwise (no existence leak)."""
    s = scope(user, perm)
    try:
        unit = Unit.objects.select_related("parent", "ward", "province", "legacy_district").get(pk=int(pk))
    except (Unit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not s.allows(unit):
        raise Http404
    return unit


def home_units(user, perm: str) -> QuerySet[Unit]:
    """The top units of a user's scope (where their dashboard starts)."""
    s = scope(user, perm)
    if s.everything:
        return Unit.objects.filter(parent__isnull=True)
    return Unit.objects.filter(path__in=s.paths)
