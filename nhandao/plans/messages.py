"""Deadline reminders of a reporting round, sent through the one outgoing-message service
(nhandao.messaging): email to the people who fill in the report, 7 days and 1 day before the
deadline and every day once it has passed, while the report is not submitted.

`manage.py send_due_messages` (scheduled every few minutes, see the README) runs the producer
registered in apps.py; `manage.py plans_reminders` runs it by hand.  The dedup key (report, kind,
day) makes a second run on the same day queue nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core.access import PLANS_AGENCY_REPORT, PLANS_REPORT, roles_with
from nhandao.core.formatting import date as fmt_date
from nhandao.messaging import purposes
from nhandao.messaging.models import Message
from nhandao.messaging.services import message_queue
from nhandao.org.models import RoleAssignment

from . import reminders

PURPOSE = purposes.register(
    purposes.Purpose(
        "plans.deadline_reminder",
        gettext_lazy("Nhắc hạn nộp báo cáo kế hoạch"),
        needs_consent=False,  # a service message to the officers who must report
        window=dt.timedelta(hours=20),
    )
)


def recipients(report) -> list:
    """The users who fill in the report: the agency's reporters for an agency's report, otherwise
    those who may report for the respondent's unit (held on the unit itself)."""
    today = timezone.localdate()
    roles = RoleAssignment.objects.active(today).select_related("user")
    if report.agency_id:
        roles = roles.filter(agency_id=report.agency_id, role__in=roles_with(PLANS_AGENCY_REPORT))
    else:
        roles = roles.filter(unit_id=report.unit_id, role__in=roles_with(PLANS_REPORT))
    return list({a.user_id: a.user for a in roles if a.user.is_active}.values())


def _text(reminder: reminders.Reminder) -> tuple[str, str]:
    report, deadline = reminder.report, reminder.report.round.deadline
    link = settings.NHANDAO_SITE_URL + report.get_absolute_url()
    values = {"round": report.round.name, "who": report.respondent, "date": fmt_date(deadline), "link": link}
    if reminder.kind == "overdue":
        subject = _("Quá hạn nộp báo cáo: %(round)s") % values
        body = _(
            "Báo cáo “%(round)s” của %(who)s đã quá hạn nộp (%(date)s) %(n)s ngày. Xin hoàn thành và nộp tại %(link)s"
        ) % {**values, "n": reminder.days_late}
    else:
        subject = _("Sắp đến hạn nộp báo cáo: %(round)s") % values
        body = (
            _(
                "Báo cáo “%(round)s” của %(who)s cần nộp trước ngày %(date)s. Xin hoàn thành và nộp tại %(link)s"
            )
            % values
        )
    return subject, body


def send_reminder(reminder: reminders.Reminder) -> int:
    """Queue the reminder to each of the report's recipients; how many new messages were written
    (a reminder already queued today is the same message, not a new one)."""
    report, today = reminder.report, timezone.localdate()
    subject, body = _text(reminder)
    before = Message.objects.filter(purpose=PURPOSE.code).count()
    with transaction.atomic():
        for user in recipients(report):
            message_queue(
                actor=None,
                unit=report.unit,
                channel="email",
                purpose=PURPOSE.code,
                subject=subject,
                body=body,
                user=user,
                dedup_key=f"plans.report:{report.pk}:{reminder.kind}:{today.isoformat()}",
            )
    return Message.objects.filter(purpose=PURPOSE.code).count() - before


def produce(now: dt.datetime) -> int:
    """messaging's daily producer: today's reminders, queued."""
    return sum(send_reminder(r) for r in reminders.due(timezone.localdate(now)))
