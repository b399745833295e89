"""What the city's consolidated report says, built from a round: the respondents' progress, the
figures summed over the communes beside last year's, each duty with the respondents' texts, the
difficulties and proposals, the tasks for the next period.  `documents.render` lays it out."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from .documents import date_line, figure_text, render
from .models import CityDocument, EntryStatus, Recurrence, ReportEntry, ReportStatus, RespondentKind, Round
from .selectors import city_board


def _d(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def document_content(rnd: Round, document: CityDocument | None = None) -> dict:
    board = city_board(rnd)
    plan = rnd.plan
    counts = board.counts
    total = len(board.reports)
    submitted = counts["submitted"] + counts["accepted"]
    progress = (
        f"Đợt báo cáo có {total} đơn vị báo cáo; {submitted} đơn vị đã nộp "
        f"({counts['accepted']} đã được tiếp nhận), {counts['returned']} báo cáo được trả lại để bổ sung, "
        f"{counts['draft']} đơn vị chưa nộp; {len(board.late)} đơn vị nộp muộn hoặc quá hạn "
        f"(hạn nộp {_d(rnd.deadline)})."
    )
    figures = []
    for ind, value, before, change in board.lines():
        figures.append(
            {
                "label": str(ind.label),
                "value": figure_text(value, ind.money),
                "before": figure_text(before, ind.money) if board.previous else "—",
                "change": (("+" if change > 0 else "") + figure_text(change, ind.money))
                if change is not None
                else "—",
            }
        )
    # The figures given in rows (money per fund and campaign), summed over the communes.
    breakdowns = [
        {
            "title": str(t.breakdown.label),
            "header": ["Quỹ, cuộc vận động", *(str(c) for c in t.columns)],
            "rows": [
                [label, *(figure_text(v, t.breakdown.money) for v in values)] for label, values in t.rows
            ]
            + [["Tổng cộng", *(figure_text(v, t.breakdown.money) for v in t.totals)]],
        }
        for t in board.breakdown_tables()
        if t.rows
    ]
    as_of = [r.figures_as_of for r in board.reports if r.figures_as_of and r.kind == RespondentKind.SOCIETY]
    figures_note = (
        f"Số liệu tổng hợp từ báo cáo đã nộp của {sum(1 for _r, f in board.rows if f)} Hội Chữ thập đỏ cấp xã, "
        f"số liệu tính đến {max(as_of).strftime('%d/%m/%Y') if as_of else _d(rnd.period_end)}."
    )
    entries = (
        ReportEntry.objects.filter(
            report__round=rnd, report__status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        )
        .select_related("duty", "report")
        # Only what the document says: a city round has some 4,600 entries (the DOCX's time).
        .only(
            "duty_id",
            "report_id",
            "status",
            "done",
            "difficulties",
            "proposals",
            "duty__section",
            "duty__item",
            "duty__heading",
            "duty__text",
            "report__kind",
            "report__respondent",
        )
        .order_by("duty__order", "report__kind", "report__respondent")
    )
    blocks: dict[int, dict] = {}
    difficulties, proposals = [], []
    status_counts: dict[int, dict[str, int]] = {}
    for e in entries:
        block = blocks.setdefault(
            e.duty_id,
            {"title": f"{e.duty.code}. {e.duty.heading}: {e.duty.text}", "lines": []},
        )
        counts_of = status_counts.setdefault(e.duty_id, {})
        counts_of[e.status] = counts_of.get(e.status, 0) + 1
        # Agencies' texts in full; the communes' in short (the board and the XLSX carry the rest).
        if e.done and (e.report.kind == RespondentKind.AGENCY or len(block["lines"]) < 8):
            block["lines"].append(f"{e.report.respondent}: {e.done}")
        if e.difficulties:
            difficulties.append(f"{e.report.respondent} ({e.duty.code}): {e.difficulties}")
        if e.proposals:
            proposals.append(f"{e.report.respondent} ({e.duty.code}): {e.proposals}")
    labels = dict(EntryStatus.choices)
    duties = []
    for duty_id, block in blocks.items():
        summary = ", ".join(
            f"{labels.get(k, k)}: {v}" for k, v in sorted(status_counts[duty_id].items()) if k
        )
        block["lines"].insert(0, f"Tình trạng thực hiện theo báo cáo của các đơn vị: {summary}.")
        duties.append(block)
    next_tasks = [
        f"{d.code}. {d.text}"
        for d in plan.duties.filter(recurrence__in=[Recurrence.HALF_YEARLY, Recurrence.YEARLY]).order_by(
            "order"
        )[:12]
    ]
    reference = f"{document.number if document and document.number else '…'}/{document.symbol if document else 'BC-CTĐ'}"
    return {
        "reference": reference,
        "issued_on": document.issued_on if document else None,
        "excerpt": f"{rnd.name} thực hiện Kế hoạch số {plan.reference} của {plan.issuer}",
        "intro": (
            f"Thực hiện Kế hoạch số {plan.reference} của {plan.issuer} về {plan.title[:1].lower()}{plan.title[1:200]}…, "
            f"Hội Chữ thập đỏ thành phố tổng hợp kết quả thực hiện từ ngày {_d(rnd.period_start)} "
            f"đến ngày {_d(rnd.period_end)} như sau:"
        ),
        "progress": progress,
        "figures_note": figures_note,
        "figures": figures,
        "breakdowns": breakdowns,
        "duties": duties,
        "difficulties": difficulties[:60],
        "proposals": proposals[:60],
        "next_tasks": next_tasks,
        "closing": f"{rnd.name.lower()} thực hiện Kế hoạch số {plan.reference}",
        "date_line": date_line("Hải Phòng", document.issued_on if document else None),
    }


def round_docx(rnd: Round, document: CityDocument | None = None) -> bytes:
    # The document is in Vietnamese whatever the language of the page that asked for it.
    with translation.override("vi"):
        return render(document_content(rnd, document))
