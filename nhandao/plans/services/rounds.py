"""Reporting rounds: opening one report per respondent with the duties that concern it; closing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.text import clean_spaces
from nhandao.org.models import Agency, Unit, UnitKind

from ..models import (
    Assignee,
    Duty,
    Plan,
    Report,
    ReportEntry,
    RespondentKind,
    Round,
    RoundKind,
    RoundStatus,
)
from .common import _manage, city_unit


def _lower_first(name: str) -> str:
    """'Phường Lê Chân' -> 'phường Lê Chân', as it reads after 'Ủy ban nhân dân'."""
    return name[:1].lower() + name[1:]


def duties_for(plan: Plan, kind: str, agency: Agency | None, on: dt.date) -> list[Duty]:
    """The plan's duties that concern a respondent: an agency's own and those of the agencies it
    succeeded (followed through Agency.current_holders), the committees', the Red Cross's."""
    duties = list(plan.duties.select_related("agency").order_by("order"))
    if kind == RespondentKind.SOCIETY:
        return [d for d in duties if d.assignee == Assignee.RED_CROSS]
    if kind == RespondentKind.COMMITTEE:
        return [d for d in duties if d.assignee == Assignee.COMMITTEES]
    result = []
    for d in duties:
        if d.assignee != Assignee.AGENCY or d.agency is None or agency is None:
            continue
        if d.agency_id == agency.pk or agency in d.agency.current_holders(on):
            result.append(d)
    return result


@transaction.atomic
def round_open(
    *,
    actor,
    plan: Plan,
    name: str,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    agencies=(),
    societies: bool = True,
    committees: bool = True,
    created_at: dt.datetime | None = None,
) -> Round:
    """Open a round: one report per respondent (the chosen agencies, every commune-level Red
    Cross society, every commune People's Committee), each with the duties that concern it."""
    _manage(actor)
    name = clean_spaces(name)
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên đợt báo cáo.")})
    if kind not in RoundKind.values:
        raise ValidationError({"kind": _("Loại đợt báo cáo không hợp lệ.")})
    if period_start is None or period_end is None or period_end < period_start:
        raise ValidationError({"period_end": _("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")})
    if deadline is None or deadline < period_end:
        raise ValidationError(
            {
                "deadline": _(
                    "Hạn nộp %(d)s trước ngày kết thúc kỳ báo cáo %(e)s: hạn nộp phải từ ngày kết thúc kỳ trở đi."
                )
                % {
                    "d": deadline.strftime("%d/%m/%Y") if deadline else "—",
                    "e": period_end.strftime("%d/%m/%Y"),
                }
            }
        )
    agencies = list(agencies)
    today = timezone.localdate()
    closed = [a.name for a in agencies if not a.is_active(today)]
    if closed:
        raise ValidationError(
            {"agencies": _("Cơ quan đã ngừng hoạt động: %(a)s.") % {"a": ", ".join(closed)}}
        )
    if not agencies and not societies and not committees:
        raise ValidationError({"agencies": _("Hãy chọn đơn vị báo cáo.")})
    rnd = Round.objects.create(
        plan=plan,
        name=name,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=created_at or timezone.now(),
    )
    city = city_unit()
    communes = list(
        Unit.objects.filter(
            kind=UnitKind.COMMUNE, path__startswith=city.path, valid_to__isnull=True
        ).order_by("path")
    )
    committee_agency = (
        Agency.objects.filter(kind="committee", valid_to__isnull=True, legacy_district__isnull=True)
        .order_by("pk")
        .first()
    )
    reports: list[Report] = []
    for agency in agencies:
        reports.append(
            Report(round=rnd, kind=RespondentKind.AGENCY, unit=city, agency=agency, respondent=agency.name)
        )
    if societies:
        reports += [
            Report(round=rnd, kind=RespondentKind.SOCIETY, unit=u, respondent=u.name) for u in communes
        ]
    if committees:
        reports += [
            Report(
                round=rnd,
                kind=RespondentKind.COMMITTEE,
                unit=u,
                agency=committee_agency,
                respondent=_("Ủy ban nhân dân %(w)s")
                % {"w": _lower_first(u.ward.name if u.ward_id else u.name)},
            )
            for u in Unit.objects.filter(pk__in=[c.pk for c in communes])
            .select_related("ward")
            .order_by("path")
        ]
    Report.objects.bulk_create(reports)
    # The unit is selected: record_many streams the events into a COPY (no query may run meanwhile).
    reports = list(rnd.reports.select_related("agency", "unit"))
    entries = []
    cache: dict[tuple, list[Duty]] = {}
    for report in reports:
        key = (report.kind, report.agency_id if report.kind == RespondentKind.AGENCY else None)
        if key not in cache:
            cache[key] = duties_for(plan, report.kind, report.agency, period_end)
        entries += [ReportEntry(report=report, duty=d) for d in cache[key]]
    ReportEntry.objects.bulk_create(entries, batch_size=2000)
    audit.record(
        actor=actor,
        action="plans.round.opened",
        obj=rnd,
        changes=audit.created(rnd),
        data={"reports": len(reports), "agencies": [a.pk for a in agencies]},
    )
    audit.record_many(
        actor=actor, action="plans.report.created", objects=reports, label=lambda r: r.respondent
    )
    return rnd


@transaction.atomic
def round_close(*, actor, round: Round) -> Round:
    _manage(actor)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status == RoundStatus.CLOSED:
        raise ValidationError(_("Đợt báo cáo đã khóa."))
    rnd.status, rnd.closed_at = RoundStatus.CLOSED, timezone.now()
    rnd.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=actor,
        action="plans.round.closed",
        obj=rnd,
        changes={"status": {"before": "open", "after": "closed"}},
    )
    return rnd
