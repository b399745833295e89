"""Every write to people, their roles, dues, hours, clubs, training and awards.

Each function checks the actor's permission on the unit it touches (actor
None = the system itself: seeding, imports after their own check), validates,
writes and records an audit event in one transaction.  Errors are
ValidationError with Vietnamese messages naming the field; nothing is written
when one is raised.  After a write the per-unit counters (UnitPeopleStats) of
the touched units are recomputed in the same transaction.
"""

from ._common import PERSON_FIELDS
from .activities import (
    RULE_FIELDS,
    award_add,
    club_create,
    club_dissolve,
    club_member_add,
    club_member_leave,
    course_create,
    hours_log,
    participant_add,
    rules_update,
    session_create,
)
from .persons import (
    MERGE_CHOOSABLE,
    DuplicateSuspected,
    duplicate_candidates,
    merge_conflicts,
    person_create,
    person_merge,
    person_transfer,
    person_update,
)
from .roles import (
    card_reissue,
    dues_rate_for,
    dues_rate_set,
    dues_record,
    role_add,
    role_set_status,
    youth_band_for,
)
from .stats import commune_of, refresh_stats

__all__ = [
    "MERGE_CHOOSABLE",
    "PERSON_FIELDS",
    "RULE_FIELDS",
    "DuplicateSuspected",
    "award_add",
    "card_reissue",
    "club_create",
    "club_dissolve",
    "club_member_add",
    "club_member_leave",
    "commune_of",
    "course_create",
    "dues_rate_for",
    "dues_rate_set",
    "dues_record",
    "duplicate_candidates",
    "hours_log",
    "merge_conflicts",
    "participant_add",
    "person_create",
    "person_merge",
    "person_transfer",
    "person_update",
    "refresh_stats",
    "role_add",
    "role_set_status",
    "rules_update",
    "session_create",
    "youth_band_for",
]
