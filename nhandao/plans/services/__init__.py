"""Every write of the plans app, one module per concern.

Each service checks the actor's permission (org.access.require), validates with a Vietnamese
message naming the field, writes in one transaction and records an audit event.  Callers write
`services.report_submit(...)`: this package re-exports the public names of its modules.

- `common`: the permission check of the city's writes, the city unit, shared constants;
- `plans`: plans, their contents (section II) and duties (section III), the fixture, copies;
- `rounds`: opening and closing reporting rounds;
- `reports`: drafts, figures, attachments, submission, the city's decision;
- `city_documents`: the city's consolidated DOCX, drafts and issuing;
- `difficulties`: the register of difficulties and proposals and the agencies' responses;
- `inspections`: the year's inspection plan, records, recommendations and their follow-up.
"""

from .city_documents import document_generate, document_issue
from .common import ENTRY_FIELDS, FIXTURE, MAX_ATTACHMENT, city_unit
from .plans import content_add, content_update, duty_add, plan_copy, plan_create, plan_load
from .reports import (
    ATTACHMENT_KINDS,
    attachment_add,
    figure_correct,
    figures_refresh,
    may_fill,
    report_decide,
    report_reopen,
    report_save,
    report_submit,
)
from .rounds import duties_for, round_close, round_open

__all__ = [
    "ATTACHMENT_KINDS",
    "ENTRY_FIELDS",
    "FIXTURE",
    "MAX_ATTACHMENT",
    "attachment_add",
    "city_unit",
    "content_add",
    "content_update",
    "document_generate",
    "document_issue",
    "duties_for",
    "duty_add",
    "figure_correct",
    "figures_refresh",
    "may_fill",
    "plan_copy",
    "plan_create",
    "plan_load",
    "report_decide",
    "report_reopen",
    "report_save",
    "report_submit",
    "round_close",
    "round_open",
]

from .difficulties import default_agency, issue_address, issue_respond, may_answer
from .inspections import (
    checklist_of,
    checklist_set,
    inspection_plan_create,
    inspection_record,
    inspection_schedule,
    recommendation_add,
    recommendation_answer,
    recommendation_follow_up,
)

__all__ += [
    "checklist_of",
    "checklist_set",
    "default_agency",
    "inspection_plan_create",
    "inspection_record",
    "inspection_schedule",
    "issue_address",
    "issue_respond",
    "may_answer",
    "recommendation_add",
    "recommendation_answer",
    "recommendation_follow_up",
]
