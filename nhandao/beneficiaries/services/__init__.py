"""Every write to beneficiary cases, humanitarian addresses and help records.

Each function checks the actor's permission on the unit it touches (actor None
= the system itself: seeding, an import after its own check), validates,
writes and records an audit event in one transaction.  Errors are
ValidationError with Vietnamese messages naming the field; nothing is written
when one is raised.  The per-unit counters (UnitBeneficiaryStats) of the
touched units are recomputed in the same transaction.
"""

from ._common import address_key, check_address, commune_of, commune_of_ward
from .addresses import (
    commitment_create,
    commitment_deliver,
    commitment_end,
    sponsor_create,
    sponsor_update,
    sponsor_visible,
)
from .cases import (
    DuplicateCaseSuspected,
    MemberElsewhere,
    case_category_add,
    case_category_end,
    case_create,
    case_update,
    consent_record,
    consent_withdraw,
    household_duplicates,
    member_add,
    member_leave,
    member_set_head,
    refresh_case,
)
from .help import (
    DoubleHelpSuspected,
    case_can_receive_help,
    case_help_refusal,
    earlier_help,
    evidence_add,
    help_record_cancel,
    help_record_create,
    refresh_commitment,
)
from .rules import category_save, rules_update
from .stats import refresh_stats
from .viewing import case_file_viewed
from .workflow import (
    MERGE_CHOOSABLE,
    case_activate,
    case_close,
    case_confirm,
    case_merge,
    case_reopen,
    case_review,
    merge_conflicts,
)

__all__ = [
    "MERGE_CHOOSABLE",
    "DoubleHelpSuspected",
    "DuplicateCaseSuspected",
    "MemberElsewhere",
    "address_key",
    "case_activate",
    "case_can_receive_help",
    "case_category_add",
    "case_category_end",
    "case_close",
    "case_confirm",
    "case_create",
    "case_file_viewed",
    "case_help_refusal",
    "case_merge",
    "case_reopen",
    "case_review",
    "case_update",
    "category_save",
    "check_address",
    "commitment_create",
    "commitment_deliver",
    "commitment_end",
    "commune_of",
    "commune_of_ward",
    "consent_record",
    "consent_withdraw",
    "earlier_help",
    "evidence_add",
    "help_record_cancel",
    "help_record_create",
    "household_duplicates",
    "member_add",
    "member_leave",
    "member_set_head",
    "merge_conflicts",
    "refresh_case",
    "refresh_commitment",
    "refresh_stats",
    "rules_update",
    "sponsor_create",
    "sponsor_update",
    "sponsor_visible",
]
