"""Reads of the banking app that depend on who asks."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from nhandao.core.access import BANKING_VIEW
from nhandao.org import access
from nhandao.org.models import PATH_SEGMENT

from .models import StatementColumnMapping


def column_mappings(user, perm: str = BANKING_VIEW) -> QuerySet[StatementColumnMapping]:
    qs = StatementColumnMapping.objects.select_related("unit")
    return access.scope(user, perm).filter(qs, field="unit").order_by("unit__path", "name")


def column_mappings_usable(user, perm: str) -> QuerySet[StatementColumnMapping]:
    """Mappings a user may read a statement with: those of the units in scope and of their ancestors
    (a mapping saved by the city serves every commune)."""
    s = access.scope(user, perm)
    qs = StatementColumnMapping.objects.select_related("unit").order_by("name")
    if s.everything:
        return qs
    ancestors = {root[:end] for root in s.paths for end in range(PATH_SEGMENT, len(root) + 1, PATH_SEGMENT)}
    return qs.filter(Q(unit__path__in=ancestors) | s.q("unit__path"))


def column_mapping_or_404(user, pk, perm: str = BANKING_VIEW) -> StatementColumnMapping:
    try:
        mapping = StatementColumnMapping.objects.select_related("unit").get(pk=int(pk))
    except (StatementColumnMapping.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not access.scope(user, perm).allows(mapping.unit):
        raise Http404
    return mapping
