"""The audit trail of who read a full case file from outside its commune."""

from __future__ import annotations

from django.db import transaction

from nhandao.core import audit

from ..models import Case


@transaction.atomic
def case_file_viewed(*, actor, case: Case, what: str = "file", restricted: bool = False) -> None:
    """Record that `actor` (outside the case's commune) opened the case file or printed it.

    The caller decides when a view is "outside" (see selectors.is_local); reads by the
    commune's own officers are not logged, every other one is.
    """
    audit.record(
        actor=actor,
        action="beneficiaries.case.viewed",
        obj=case,
        data={"what": what, "outside_commune": True, "restricted": restricted},
    )
