"""Helpers for the rows of a list page."""

from __future__ import annotations

from django.db.models import QuerySet


def share_related(rows: list, field: str, queryset: QuerySet) -> list:
    """Give `rows` their `field` (a foreign key) as one shared instance per related row, read in
    one query from `queryset`, instead of a joined copy per row: a page of fifty people of a few
    units built a hundred unit instances (the unit and its parent, for `unit_label`) where a
    handful do.  Rows whose related row is not found keep their lazy accessor."""
    attname = f"{field}_id"
    ids = {getattr(row, attname) for row in rows} - {None}
    if not ids:
        return rows
    found = queryset.in_bulk(ids)
    for row in rows:
        related = found.get(getattr(row, attname))
        if related is not None:
            setattr(row, field, related)
    return rows
