"""The daily situation report (báo cáo nhanh): figures by source, the response (teams, volunteers,
people reached, goods distributed), money raised and spent from the ledger, needs and gaps.
Printed from the browser, and as DOCX and PDF files (`sitrep_files`), in the Decree 30 layout."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from nhandao.funds.public import CampaignTotals, campaign_totals

from .models import FIGURE_NAMES, FIGURES, Incident, Recipient, ReportSource, Sector
from .public import PublicResponse, public_response
from .selectors import Situation, situation
from .selectors_preparedness import ResponseFigures, response_figures


@dataclass
class Sitrep:
    incident: Incident
    situation: Situation
    by_source: list[tuple[str, list[int | None]]]  # (source label, totals in FIGURES order)
    combined: list[tuple[str, int | None]]  # (figure label, combined total)
    response: PublicResponse
    money: list[tuple[object, CampaignTotals]]
    needs: list[tuple[str, int]]  # (sector label, communes asking)
    silent: list[str]  # communes with no report in the last 24 hours
    deployed: ResponseFigures  # teams, volunteers, hours, communes
    people_reached: int  # members of the households that received a package
    made_at: dt.datetime


def sitrep(incident: Incident) -> Sitrep:
    s = situation(incident)
    by_source = []
    for code, label in ReportSource.choices:
        sums: list[int | None] = [None] * len(FIGURE_NAMES)
        for row in s.rows:
            report = row.by_source.get(code)
            if report is None:
                continue
            for i, value in enumerate(report.figure_values()):
                if value is not None:
                    sums[i] = (sums[i] or 0) + value
        if any(v is not None for v in sums):
            by_source.append((label, sums))
    needs: Counter = Counter()
    for row in s.rows:
        asked = set()
        for report in row.by_source.values():
            asked |= {sector for sector, text in report.needs.items() if text}
        needs.update(asked)
    labels = dict(Sector.choices)
    day_ago = timezone.now() - dt.timedelta(days=1)
    silent = [
        row.commune.name
        for row in s.rows
        if not row.by_source or max(r.reported_at for r in row.by_source.values()) < day_ago
    ]
    return Sitrep(
        incident=incident,
        situation=s,
        by_source=by_source,
        combined=[(label, value) for (_n, label), value in zip(FIGURES, s.total_values, strict=True)],
        response=public_response(incident),
        money=[(c, campaign_totals(c)) for c in incident.campaigns.order_by("starts_on")],
        needs=[(labels[sector], n) for sector, n in needs.most_common()],
        silent=silent,
        deployed=response_figures(incident),
        people_reached=Recipient.objects.filter(plan__incident=incident, received_at__isnull=False).aggregate(
            n=Sum(Coalesce("case__household_size", 1))
        )["n"]
        or 0,
        made_at=timezone.localtime(),
    )
