"""Import batches a user may see: those of units in their scope for the importer's permission."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from nhandao.core.imports.base import get_importer
from nhandao.core.models import ImportBatch
from nhandao.org import access


def batches(user, kind: str) -> QuerySet[ImportBatch]:
    cls = get_importer(kind)
    if cls is None:
        return ImportBatch.objects.none()
    scope = access.scope(user, cls.permission)
    if scope.empty:
        return ImportBatch.objects.none()
    qs = ImportBatch.objects.filter(kind=kind).defer("content")
    if not scope.everything:
        qs = qs.filter(scope.q("unit_path"))
    return qs.select_related("actor").order_by("-created_at", "-id")


def batch_get(user, pk) -> ImportBatch:
    """A batch the user may act on (its importer's permission over its unit); 404 otherwise."""
    found = (
        ImportBatch.objects.defer("content")
        .select_related("actor", "job")
        .filter(pk=access.int_pk(pk))
        .first()
    )
    cls = get_importer(found.kind) if found is not None else None
    if cls is None or not access.scope(user, cls.permission).allows_path(found.unit_path):
        raise Http404
    return found


def target_units(user, kind: str):
    cls = get_importer(kind)
    return access.scope(user, cls.permission).units().active().order_by("path")
