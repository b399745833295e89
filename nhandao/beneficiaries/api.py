"""What other modules (the humanitarian fund first) may call: a small, stable surface.

The fund pays only cases the commune has confirmed, and every payment to a
person is an act of help that belongs in the case's record:

    from nhandao.beneficiaries import api

    refusal = api.case_help_refusal(case)          # None, or why not (Vietnamese)
    if refusal is None:
        record = api.help_record_create(
            actor=user, case=case, date=paid_on, kind="cash", value=amount,
            description="Chi hỗ trợ từ Quỹ Nhân đạo", delivering_unit=unit,
            source_type="fund", source=fund.name, source_ref=f"funds.disbursement:{d.pk}",
            duplicate_reason="",                       # or the officer's reason, see below
        )

`help_record_create` raises ValidationError (Vietnamese, by field) when the case
is not confirmed or a value is wrong, and DoubleHelpSuspected (a ValidationError
with `.earlier`, the earlier records from any unit) when the recipient already
received the same kind of help in the configured window or in the same
campaign; call it again with `duplicate_reason` to go on (the reason is
stored).  `source_ref` ("funds.<model>:<pk>", indexed) is the place for the
fund's own record until a foreign key replaces it; `help_records_for_source`
finds the records of one.  A payment cancelled in the fund is cancelled here
with `help_record_cancel` (never deleted).  Nothing in this module imports the
fund.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Case, HelpRecord
from .selectors import eligible_cases
from .services import (
    DoubleHelpSuspected,
    case_can_receive_help,
    case_help_refusal,
    earlier_help,
    help_record_cancel,
    help_record_create,
)


def help_records_for_source(source_ref: str) -> QuerySet[HelpRecord]:
    """The help records made for one record of another module (e.g. "funds.disbursement:42")."""
    return HelpRecord.objects.filter(source_ref=source_ref).select_related("case").order_by("date", "id")


__all__ = [
    "Case",
    "DoubleHelpSuspected",
    "case_can_receive_help",
    "case_help_refusal",
    "earlier_help",
    "eligible_cases",
    "help_record_cancel",
    "help_record_create",
    "help_records_for_source",
]
