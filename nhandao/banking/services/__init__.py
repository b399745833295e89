"""Every write of the banking app.

Each function checks the actor's permission on the unit it touches, validates,
writes and records an audit event in one transaction (long imports: in stages,
see imports.py).  Money reaches the books only through `nhandao.funds.services`.
"""

from .imports import statement_commit, statement_confirm_other_account, statement_discard, statement_upload
from .late import line_book_late
from .mappings import MAPPING_FIELDS, column_mapping_create, column_mapping_delete, column_mapping_update
from .periods import lock_blockers, period_lock
from .problems import problem_line_correct
from .qrcodes import qr_reference_create
from .queue import (
    line_match_disbursement,
    line_requeue,
    lines_assign,
    lines_assign_start,
    queue_rematch,
    queue_rematch_start,
    rule_create,
    rule_deactivate,
)

__all__ = [
    "MAPPING_FIELDS",
    "column_mapping_create",
    "column_mapping_delete",
    "column_mapping_update",
    "line_book_late",
    "line_match_disbursement",
    "line_requeue",
    "lines_assign",
    "lines_assign_start",
    "lock_blockers",
    "period_lock",
    "problem_line_correct",
    "qr_reference_create",
    "queue_rematch",
    "queue_rematch_start",
    "rule_create",
    "rule_deactivate",
    "statement_commit",
    "statement_confirm_other_account",
    "statement_discard",
    "statement_upload",
]
