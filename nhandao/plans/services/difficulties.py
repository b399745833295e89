"""The register of difficulties and proposals (issue 14, point 7).

Each difficulty or proposal of a submitted report becomes an item addressed to the agency that
should answer it: by default Sở Nội vụ, which the plan charges with consolidating them; the city
may address it to another agency.  The addressed agency's reporters answer; the item stays open
until an answer resolves it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import PLANS_AGENCY_REPORT, PLANS_MANAGE
from nhandao.org import access
from nhandao.org.models import Agency

from ..models import Issue, IssueKind, IssueResponse, IssueStatus, Report
from .common import _manage

CONSOLIDATING_AGENCY = "SNV"  # Sở Nội vụ: the plan sends difficulties to it in writing


def default_agency(on: dt.date | None = None) -> Agency | None:
    """Sở Nội vụ, or whoever holds its duties now."""
    agency = Agency.objects.filter(code=CONSOLIDATING_AGENCY).order_by("pk").first()
    if agency is None:
        agency = Agency.objects.filter(name__iexact="Sở Nội vụ").order_by("pk").first()
    if agency is not None and not agency.is_active(on):
        holders = agency.current_holders(on)
        agency = holders[0] if holders else None
    return agency


def raise_from(report: Report, number: int, now: dt.datetime, actor=None) -> list[Issue]:
    """The items of a version just submitted (called by report_submit, in its transaction).  A
    difficulty already raised with the same text by an earlier version of the report is not raised
    twice."""
    existing = set(report.issues.values_list("duty_id", "kind", "text"))
    agency = default_agency(timezone.localtime(now).date())
    made = []
    for entry in report.entries.select_related("duty").order_by("duty__order"):
        for kind, text in ((IssueKind.DIFFICULTY, entry.difficulties), (IssueKind.PROPOSAL, entry.proposals)):
            text = (text or "").strip()
            if not text or (entry.duty_id, kind, text) in existing:
                continue
            made.append(
                Issue(
                    round_id=report.round_id,
                    report=report,
                    unit_id=report.unit_id,
                    duty=entry.duty,
                    version=number,
                    kind=kind,
                    text=text,
                    agency=agency,
                    raised_at=now,
                )
            )
    Issue.objects.bulk_create(made)
    for issue in made:
        audit.record(
            actor=actor,
            action="plans.issue.raised",
            obj=issue,
            data={"report": report.pk, "version": number, "agency": agency.pk if agency else None},
        )
    return made


def may_answer(user, issue: Issue) -> bool:
    """The city, and the reporters of the agency the item is addressed to."""
    if user is None:
        return True
    if access.scope(user, PLANS_MANAGE).everything:
        return True
    return (
        issue.agency_id is not None
        and issue.agency_id in access.agencies_of(user)
        and access.has_perm(user, PLANS_AGENCY_REPORT, issue.unit)
    )


@transaction.atomic
def issue_respond(
    *, actor, issue: Issue, text: str, resolves: bool = False, now: dt.datetime | None = None
) -> IssueResponse:
    """An answer of the addressed agency (or the city); `resolves` closes the item."""
    if not may_answer(actor, issue):
        raise PermissionDenied(_("Chỉ cơ quan được đề nghị trả lời mới trả lời được."))
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == IssueStatus.RESOLVED:
        raise ValidationError(_("Khó khăn, đề xuất này đã được giải quyết."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung trả lời.")})
    now = now or timezone.now()
    mine = access.agencies_of(actor) if actor is not None else set()
    response = IssueResponse.objects.create(
        issue=issue,
        text=text,
        agency_id=issue.agency_id if issue.agency_id in mine else None,
        resolves=bool(resolves),
        by=actor if getattr(actor, "is_authenticated", False) else None,
        at=now,
    )
    before = issue.status
    issue.status = IssueStatus.RESOLVED if resolves else IssueStatus.ANSWERED
    issue.resolved_at = now if resolves else None
    issue.save(update_fields=["status", "resolved_at"])
    audit.record(
        actor=actor,
        action="plans.issue.answered",
        obj=issue,
        changes={"status": {"before": before, "after": issue.status}},
        data={"response": response.pk},
    )
    return response


@transaction.atomic
def issue_address(*, actor, issue: Issue, agency: Agency) -> Issue:
    """The city sends the item to another agency (one still at work)."""
    _manage(actor)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if agency is None:
        raise ValidationError({"agency": _("Hãy chọn cơ quan trả lời.")})
    agency = Agency.objects.get(pk=agency.pk)
    if not agency.is_active():
        raise ValidationError(
            {
                "agency": _("Cơ quan “%(a)s” đã ngừng hoạt động: hãy chọn cơ quan đang hoạt động.")
                % {"a": agency.name}
            }
        )
    if issue.status == IssueStatus.RESOLVED:
        raise ValidationError(_("Khó khăn, đề xuất này đã được giải quyết."))
    before = issue.agency_id
    issue.agency = agency
    issue.save(update_fields=["agency"])
    audit.record(
        actor=actor,
        action="plans.issue.addressed",
        obj=issue,
        changes={"agency": {"before": before, "after": agency.pk}},
    )
    return issue
