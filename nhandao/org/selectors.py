"""Reads of the organisation tree and the audit trail, always for a given user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core.access import AUDIT_VIEW, ORG_VIEW
from nhandao.core.collation import vi
from nhandao.core.models import AuditEvent
from nhandao.core.rows import share_related
from nhandao.core.text import normalize

from . import access
from .models import Agency, RoleAssignment, Unit, UnitKind, UnitSuccession


def visible_units(user, *, include_closed: bool = False) -> QuerySet[Unit]:
    qs = access.scope(user, ORG_VIEW).units()
    return qs if include_closed else qs.active()


def unit_children(user, unit: Unit, *, include_closed: bool = False) -> QuerySet[Unit]:
    qs = visible_units(user, include_closed=include_closed).filter(parent=unit)
    return qs.annotate(child_count=Count("children", filter=Q(children__valid_to__isnull=True))).order_by(
        "kind", vi("name")
    )


def unit_search(user, query: str, *, include_closed: bool = False) -> QuerySet[Unit]:
    key = normalize(query)[:100]
    qs = visible_units(user, include_closed=include_closed)
    if key:
        qs = qs.filter(search_key__contains=key)
    return qs.select_related("parent").order_by("depth", vi("name"))


def unit_breadcrumbs(user, unit: Unit) -> list[Unit]:
    """Ancestors the user may see (a commune officer's trail starts at their commune)."""
    s = access.scope(user, ORG_VIEW)
    return [u for u in unit.ancestors() if s.allows(u)]


def unit_officers(unit: Unit) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.active().filter(unit=unit).select_related("user", "agency").order_by("role")


def roles_held(user) -> QuerySet[RoleAssignment]:
    """The roles a user holds today, with their unit and agency (the user's own dashboard)."""
    return (
        RoleAssignment.objects.active(timezone.localdate())
        .filter(user=user)
        .select_related("unit", "agency")
        .order_by("unit__path", "role")
    )


def unit_role_history(unit: Unit) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("user", "agency", "granted_by")
        .order_by("-valid_from")
    )


def unit_successions(unit: Unit) -> tuple[list[UnitSuccession], list[UnitSuccession]]:
    after = list(UnitSuccession.objects.filter(predecessor=unit).select_related("successor"))
    before = list(UnitSuccession.objects.filter(successor=unit).select_related("predecessor"))
    return before, after


# Counts per unit subtree.  Each module registers a counter returning
# (label, value) pairs for a subtree given by its root unit; the unit page and
# the dashboard show them all.
@dataclass(frozen=True)
class Counter:
    key: str
    label: str
    value: int
    url: str = ""
    money: bool = False  # shown "1.250.000 ₫" instead of a plain number


UNIT_COUNTERS: list[Callable[[Unit, object], list[Counter]]] = []


def register_counter(fn: Callable[[Unit, object], list[Counter]]):
    UNIT_COUNTERS.append(fn)
    return fn


@register_counter
def _org_counts(unit: Unit, user) -> list[Counter]:
    subtree = Unit.objects.active().filter(path__startswith=unit.path).exclude(pk=unit.pk)
    by_kind = dict(subtree.values_list("kind").annotate(n=Count("id")))
    counts = [
        Counter("communes", _("Hội cấp xã"), by_kind.get(UnitKind.COMMUNE, 0)),
        Counter("branches", _("Chi hội"), by_kind.get(UnitKind.BRANCH, 0)),
        Counter("groups", _("Tổ hội"), by_kind.get(UnitKind.GROUP, 0)),
    ]
    officers = (
        RoleAssignment.objects.active().filter(unit__path__startswith=unit.path).values("user").distinct()
    )
    counts.append(Counter("officers", _("Cán bộ có tài khoản"), officers.count()))
    return [c for c in counts if c.value or c.key in ("branches", "officers")]


def unit_counts(unit: Unit, user) -> list[Counter]:
    result: list[Counter] = []
    for fn in UNIT_COUNTERS:
        result.extend(fn(unit, user))
    return result


def agencies(*, include_closed: bool = True, query: str = "") -> QuerySet[Agency]:
    qs = Agency.objects.all()
    if not include_closed:
        qs = qs.active()
    key = normalize(query)[:100]
    if key:
        qs = qs.filter(search_key__contains=key)
    return qs.prefetch_related("successions__successor", "predecessions__predecessor")


# Audit trail ---------------------------------------------------------------
@dataclass
class AuditFilter:
    actor: int | None = None
    unit: Unit | None = None
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_events(user, f: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Events in the user's audit scope.  Events not tied to a unit (accounts,
    agencies) are only shown to users whose scope is the whole installation."""
    f = f or AuditFilter()
    s = access.scope(user, AUDIT_VIEW)
    if s.empty:
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all() if s.everything else AuditEvent.objects.filter(s.q("unit_path"))
    if f.unit is not None:
        qs = qs.filter(unit_path__startswith=f.unit.path)
    if f.actor:
        qs = qs.filter(actor_id=f.actor)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    tz = timezone.get_current_timezone()
    if f.date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(f.date_from, dt.time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs.select_related("actor").order_by("-at", "-id")


def audit_event_get(user, pk) -> AuditEvent:
    return access.get_in_scope(user, AUDIT_VIEW, audit_events(user), pk, scoped=True)


def audit_object_types() -> list[tuple[str, str]]:
    """Record types that can appear in the trail: every model of nhandao, plus users."""
    result = []
    for model in apps.get_models():
        if model.__module__.startswith("nhandao.") and model is not AuditEvent:
            result.append((model._meta.label_lower, str(model._meta.verbose_name).capitalize()))
    return sorted(result, key=lambda t: t[1])


def share_units(rows: list, field: str = "unit") -> list:
    """Rows of a list page given their unit (with its parent's name, for `unit_label`) as one
    shared instance per unit (core.rows.share_related)."""
    units = Unit.objects.select_related("parent").only("id", "name", "kind", "parent_id", "parent__name")
    return share_related(rows, field, units)
