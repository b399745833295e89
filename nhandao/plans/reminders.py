"""Which respondents to remind of a round's deadline: 7 days and 1 day before it, and every day
once overdue, while their report is not submitted (draft or returned).

Sending is not this module's: the shared outgoing-message service (nhandao.messaging, email now,
SMS later) registers its sender here from its AppConfig.ready():

    from nhandao.plans.reminders import register_sender
    register_sender(send_plan_reminder)      # fn(reminder: Reminder) -> None

`manage.py plans_reminders` (run daily by the scheduler; the demo runs it by hand) computes the
day's reminders and hands each to the registered senders; with none registered it only lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .models import Report, ReportStatus, RoundStatus


@dataclass(frozen=True)
class Reminder:
    report: Report
    kind: str  # "7_days", "1_day", "overdue"
    days_late: int = 0


SENDERS: list[Callable[[Reminder], None]] = []


def register_sender(fn: Callable[[Reminder], None]) -> None:
    if fn not in SENDERS:
        SENDERS.append(fn)


def due(today: dt.date) -> list[Reminder]:
    reports = (
        Report.objects.filter(
            round__status=RoundStatus.OPEN, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
        )
        .select_related("round", "unit", "agency")
        .order_by("round_id", "kind", "respondent")
    )
    result = []
    for report in reports:
        left = (report.round.deadline - today).days
        if left == 7:
            result.append(Reminder(report, "7_days"))
        elif left == 1:
            result.append(Reminder(report, "1_day"))
        elif left < 0:
            result.append(Reminder(report, "overdue", -left))
    return result


def send(today: dt.date) -> list[Reminder]:
    reminders = due(today)
    for reminder in reminders:
        for sender in SENDERS:
            sender(reminder)
    return reminders
