"""Late transfers: money that reaches the bank after its campaign closed.

A donor's transfer made on the last day may be booked by the bank days later, when the
campaign no longer receives.  A person with the right to record gifts may still book such
a line to the closed campaign, with a reason (audited, kept on the donation): the money
then counts for the campaign, and the Decree 93 report lists these late receipts
separately (funds.public.public_late_receipts).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.campaigns.models import CampaignStatus
from nhandao.core import audit
from nhandao.core.access import BANKING_IMPORT, FUNDS_RECORD
from nhandao.core.formatting import date as fmt_date
from nhandao.core.text import clean_spaces
from nhandao.org import access

from ..models import LineStatus, RuleTarget, StatementLine
from . import matching

MIN_REASON = 10


def line_book_late(*, actor, line: StatementLine, campaign, reason: str) -> StatementLine:
    """Book a waiting credit line to a campaign that closed before the bank booked it."""
    account = line.bank_account
    access.require(actor, BANKING_IMPORT, account.unit)
    access.require(
        actor,
        FUNDS_RECORD,
        account.unit,
        message=_("Ghi sổ khoản nhận muộn cần quyền ghi nhận ủng hộ của đơn vị."),
    )
    reason = clean_spaces(reason or "")
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": _("Hãy ghi rõ lý do (ít nhất 10 ký tự).")})
    if line.status != LineStatus.QUEUED or line.amount <= 0:
        raise ValidationError(_("Chỉ dòng ghi có đang chờ phân loại mới ghi sổ được."))
    if campaign is None or campaign.status != CampaignStatus.CLOSED:
        raise ValidationError(
            {"campaign": _("Chỉ ghi khoản nhận muộn vào cuộc vận động đã kết thúc tiếp nhận.")}
        )
    if line.booked_on < campaign.starts_on:
        raise ValidationError(
            {
                "campaign": _("Dòng ngày %(d)s trước ngày cuộc vận động bắt đầu tiếp nhận (%(c)s).")
                % {"d": fmt_date(line.booked_on), "c": fmt_date(campaign.starts_on)}
            }
        )
    closed_on = timezone.localdate(campaign.closed_at) if campaign.closed_at else campaign.ends_on
    target = matching.Target(RuleTarget.CAMPAIGN, campaign=campaign, late_reason=reason[:300])
    problem = matching.target_problem(target, account)
    if problem:
        raise ValidationError({"campaign": problem})
    posted, failures = matching.post_lines(actor=actor, bank_account=account, items=[(line, target)])
    if failures:
        raise ValidationError(failures[0][1])
    line.refresh_from_db()
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="banking.line.booked_late",
            obj=line,
            unit=account.unit,
            data={
                "campaign": campaign.code,
                "reason": reason[:300],
                "donation": line.donation_id,
                "closed_on": closed_on.isoformat() if closed_on else None,
            },
        )
    return line
