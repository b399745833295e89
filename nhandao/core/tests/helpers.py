"""Test helpers shared by the apps' PostgreSQL plan tests."""

from __future__ import annotations

from django.db import connection


def plan(qs, *, seqscan: bool = False) -> str:
    """PostgreSQL's plan of a queryset's filter (ordering kept only if asked by the caller's queryset).

    With `seqscan=False` sequential scans are ruled out: an index that can serve the filter is then
    chosen, and a sequential scan still shows when none can."""
    if seqscan:
        return qs.explain()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        return qs.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
