"""Demo plan and reports: the Hải Phòng 2023 plan (the committed fixture), the 2024 year round
(last year's figures for the board), the 2025 six-month round (closed) and the 2025 year round
(open), with the agencies, the commune societies and the commune People's Committees answering:
most on time and accepted, some late, some returned with comments, some with difficulties, the
rest not yet submitted.  Phường Lê Chân (A) has the six-month report accepted and the year report
in draft; phường Ngô Quyền (B) has both submitted.

At small scale one commune in ten answers (figures are computed for each submitted society
report); at city scale nine in ten.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nhandao.core import audit
from nhandao.core.seeding import SeedContext
from nhandao.org.models import Agency

from . import services
from .models import EntryStatus, Report, RespondentKind, RoundKind

DONE = [
    "Đã tổ chức quán triệt Kế hoạch đến cán bộ, hội viên; lồng ghép trong các buổi sinh hoạt chi hội.",
    "Phối hợp tổ chức các hoạt động tuyên truyền, thăm hỏi, tặng quà cho các hộ khó khăn trên địa bàn.",
    "Duy trì hoạt động thường xuyên; xây dựng kế hoạch năm và báo cáo định kỳ đúng hạn.",
    "Kiện toàn tổ chức Hội sau sắp xếp đơn vị hành chính; rà soát danh sách hội viên, tình nguyện viên.",
    "Vận động các tổ chức, cá nhân ủng hộ Quỹ nhân đạo; công khai kết quả tiếp nhận, phân bổ.",
]
DIFFICULTIES = [
    "Kinh phí hoạt động còn hạn hẹp; cán bộ Hội kiêm nhiệm nhiều việc sau sắp xếp.",
    "Chưa có trụ sở làm việc riêng sau khi hợp nhất đơn vị hành chính.",
    "Số hội viên sinh hoạt thường xuyên giảm do người lao động đi làm xa.",
]
PROPOSALS = [
    "Đề nghị Ủy ban nhân dân bố trí kinh phí hỗ trợ hoạt động Hội theo nhiệm vụ được giao.",
    "Đề nghị Hội cấp thành phố tổ chức tập huấn nghiệp vụ cho cán bộ Hội cấp xã mới.",
]
RETURN_COMMENTS = [
    "Đề nghị bổ sung số liệu về trợ giúp nhân đạo và làm rõ kết quả nhiệm vụ III.12.2.",
    "Báo cáo chưa nêu khó khăn, đề xuất cụ thể; đề nghị hoàn thiện và gửi lại.",
]


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _fill(report: Report, rng, with_difficulty: bool) -> None:
    values = {}
    for i, entry in enumerate(report.entries.all()):
        status = rng.choices(
            [EntryStatus.DONE, EntryStatus.IN_PROGRESS, EntryStatus.NOT_STARTED, EntryStatus.NOT_APPLICABLE],
            [6, 3, 1, 1],
        )[0]
        values[entry.duty_id] = {
            "status": status,
            "done": rng.choice(DONE) if status != EntryStatus.NOT_APPLICABLE else "",
            "difficulties": rng.choice(DIFFICULTIES) if with_difficulty and i == 0 else "",
            "proposals": rng.choice(PROPOSALS) if with_difficulty and i == 0 else "",
        }
    services.report_save(actor=None, report=report, entries=values)


def _answer(ctx, rng, rnd, *, share: float, closed: bool, keep_draft=(), accept_all=False) -> dict:
    counts = {"submitted": 0, "late": 0, "returned": 0, "accepted": 0}
    reports = list(rnd.reports.select_related("round", "unit").order_by("kind", "unit__path", "pk"))
    for report in reports:
        if report.unit_id in keep_draft:
            if report.kind == RespondentKind.SOCIETY:
                _fill(report, rng, with_difficulty=True)
            continue
        forced = report.unit_id in ctx.data.get("plans_force_submit", set())
        if not forced and rng.random() > (1.0 if report.kind == RespondentKind.AGENCY else share):
            continue
        late = rng.random() < 0.15
        day = (
            rnd.deadline + dt.timedelta(days=rng.randint(1, 12))
            if late
            else rnd.deadline - dt.timedelta(days=rng.randint(0, 10))
        )
        _fill(report, rng, with_difficulty=rng.random() < 0.3)
        services.report_submit(actor=None, report=report, now=_aware(day, rng.randint(8, 16)))
        counts["submitted"] += 1
        counts["late"] += late
        if forced:  # Ngô Quyền's reports wait for the city (the access matrix returns one)
            continue
        roll = rng.random()
        decided = _aware(day + dt.timedelta(days=3))
        if accept_all or roll < 0.6:
            services.report_decide(actor=None, report=report, accept=True, now=decided)
            counts["accepted"] += 1
        elif roll < 0.75:
            services.report_decide(
                actor=None, report=report, accept=False, comment=rng.choice(RETURN_COMMENTS), now=decided
            )
            counts["returned"] += 1
    if closed:
        services.round_close(actor=None, round=rnd)
    return counts


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("plans")
    share = 0.1 if ctx.scale == "small" else 0.9
    with audit.via("seed"):
        plan = services.plan_load(actor=None)
        candidates = Agency.objects.active().exclude(kind="committee").order_by("name")
        agencies = [a for a in candidates if services.duties_for(plan, RespondentKind.AGENCY, a, ctx.today)]
        a, b = ctx.data.get("commune_a"), ctx.data.get("commune_b")
        ctx.data["plans_force_submit"] = {b.pk} if b else set()
        rounds = [
            (
                "Tổng kết năm 2024",
                RoundKind.YEAR,
                dt.date(2024, 1, 1),
                dt.date(2024, 12, 31),
                dt.date(2025, 1, 15),
                True,
                (),
            ),
            (
                "Sơ kết 6 tháng đầu năm 2025",
                RoundKind.HALF_YEAR,
                dt.date(2025, 1, 1),
                dt.date(2025, 6, 30),
                dt.date(2025, 7, 15),
                True,
                (),
            ),
            (
                "Tổng kết năm 2025",
                RoundKind.YEAR,
                dt.date(2025, 1, 1),
                dt.date(2025, 12, 31),
                dt.date(2026, 1, 15),
                False,
                (a.pk,) if a else (),
            ),
        ]
        made = {}
        for name, kind, start, end, deadline, closed, drafts in rounds:
            rnd = services.round_open(
                actor=None,
                plan=plan,
                name=name,
                kind=kind,
                period_start=start,
                period_end=end,
                deadline=deadline,
                agencies=agencies,
                created_at=_aware(end - dt.timedelta(days=20)),
            )
            counts = _answer(
                ctx,
                rng,
                rnd,
                share=share,
                closed=closed,
                keep_draft=drafts,
                accept_all=(name.endswith("2024")),
            )
            made[name] = rnd
            ctx.log(
                f"  plans: {name}: {rnd.reports.count()} đơn vị, {counts['submitted']} đã nộp "
                f"({counts['late']} muộn, {counts['returned']} trả lại, {counts['accepted']} tiếp nhận)"
            )
        if a is not None:
            # Lê Chân's six-month report accepted, whatever the draw.
            report = made["Sơ kết 6 tháng đầu năm 2025"].reports.get(kind=RespondentKind.SOCIETY, unit=a)
            if report.status == "draft":
                services.report_reopen(actor=None, report=report)
                _fill(report, rng, with_difficulty=True)
                services.report_submit(actor=None, report=report, now=_aware(dt.date(2025, 7, 10)))
                services.report_decide(actor=None, report=report, accept=True)
        ctx.data["plan"] = plan
        ctx.data["plan_rounds"] = made
