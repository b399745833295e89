"""The per-unit counters behind the unit page and the dashboard (derived data, not audited)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, Sum
from django.utils import timezone

from nhandao.org.models import Unit

from ..choices import HELPABLE_STATUSES, CaseStatus, CommitmentStatus, HelpStatus
from ..models import STATS_FIELDS, Case, Commitment, HelpRecord, HelpRules, UnitBeneficiaryStats


def refresh_stats(unit_ids: Iterable[int] | None = None, *, on: dt.date | None = None) -> int:
    """Recompute UnitBeneficiaryStats for the given units (all units when None).

    Derived data, like an index: no audit event.  Runs inside the caller's
    transaction when there is one.
    """
    on = on or timezone.localdate()
    rules = HelpRules.current()
    if unit_ids is None:
        ids = list(Unit.objects.values_list("pk", flat=True))
        scope = Q()
    else:
        ids = sorted({pk for pk in unit_ids if pk is not None})
        scope = Q(unit_id__in=ids)
    if not ids:
        return 0
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATS_FIELDS, 0))
    cases = Case.objects.filter(scope, merged_into__isnull=True)
    status_field = {
        CaseStatus.PROPOSED: "cases_proposed",
        CaseStatus.REVIEWED: "cases_reviewed",
        CaseStatus.CONFIRMED: "cases_confirmed",
        CaseStatus.ACTIVE: "cases_active",
    }
    for unit_id, status, n in cases.values_list("unit_id", "status").annotate(n=Count("id")).order_by():
        if status in status_field:
            counts[unit_id][status_field[status]] = n
    since = on - dt.timedelta(days=rules.not_helped_days)
    for unit_id, n in (
        cases.filter(status__in=HELPABLE_STATUSES)
        .filter(Q(last_help_on__isnull=True) | Q(last_help_on__lt=since))
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[unit_id]["cases_not_helped"] = n
    running = Commitment.objects.filter(scope, status=CommitmentStatus.ACTIVE).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    late_before = on - dt.timedelta(days=rules.late_grace_days)
    for unit_id, n, late in (
        running.values_list("unit_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(next_due_on__lt=late_before)))
        .order_by()
    ):
        counts[unit_id]["commitments_active"] = n
        counts[unit_id]["commitments_late"] = late
    for unit_id, n, value in (
        HelpRecord.objects.filter(
            scope, status=HelpStatus.VALID, date__gte=dt.date(on.year, 1, 1), date__lte=on
        )
        .values_list("unit_id")
        .annotate(n=Count("id"), value=Sum("value"))
        .order_by()
    ):
        counts[unit_id]["help_year_count"] = n
        counts[unit_id]["help_year_value"] = value or 0
    rows = [UnitBeneficiaryStats(unit_id=pk, computed_on=on, **counts[pk]) for pk in ids]
    UnitBeneficiaryStats.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["unit"],
        update_fields=[*STATS_FIELDS, "computed_on"],
    )
    return len(rows)
