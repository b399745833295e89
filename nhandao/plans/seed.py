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
from nhandao.org.models import Agency, Unit, UnitKind

from . import services
from .models import EntryStatus, Issue, IssueKind, Recommendation, Report, RespondentKind, RoundKind

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
        _fill(report, rng, with_difficulty=forced or rng.random() < 0.3)
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
        _answer_difficulties(ctx, rng)
        _inspections(ctx, rng)


ANSWERS = [
    "Sở Nội vụ đã tổng hợp, báo cáo Ủy ban nhân dân thành phố; đề nghị đơn vị bố trí cán bộ kiêm nhiệm theo Kết luận 44.",
    "Đã trao đổi với Ủy ban nhân dân cấp xã bố trí kinh phí hoạt động Hội trong dự toán năm sau.",
    "Hội Chữ thập đỏ thành phố sẽ tổ chức tập huấn cho cán bộ Hội cấp xã mới trong quý I.",
]
FINDINGS = [
    "Đơn vị đã kiện toàn Ban Chấp hành sau hợp nhất; sổ sách hội viên chưa cập nhật đầy đủ; "
    "một số khoản chi hỗ trợ thiếu danh sách ký nhận.",
    "Công tác vận động, trợ giúp thực hiện tốt; báo cáo 6 tháng gửi chậm; quỹ nhân đạo chưa công khai kết quả phân bổ.",
    "Tổ chức Hội ổn định; thu hội phí đạt thấp; hồ sơ địa chỉ nhân đạo chưa theo dõi thường xuyên.",
]
RECOMMENDATIONS = [
    (
        "members",
        "Cập nhật danh sách hội viên, tình nguyện viên trên hệ thống; thu, nộp hội phí đúng quy định.",
    ),
    (
        "finance",
        "Bổ sung danh sách ký nhận của các khoản chi hỗ trợ; công khai kết quả tiếp nhận, phân bổ quỹ.",
    ),
    ("reporting", "Gửi báo cáo sơ kết, tổng kết đúng hạn; đối chiếu số liệu báo cáo với sổ sách."),
    ("help", "Lập hồ sơ theo dõi các địa chỉ nhân đạo, trợ giúp thường xuyên."),
    ("organisation", "Ban hành quy chế làm việc của Ban Chấp hành nhiệm kỳ mới."),
]


def _answer_difficulties(ctx, rng) -> None:
    """Sở Nội vụ answers about half of the difficulties and proposals, resolving some; proposals about
    money go to Sở Tài chính."""

    finance = Agency.objects.filter(code="STC", valid_to__isnull=True).first()
    answered = resolved = 0
    for issue in Issue.objects.order_by("pk"):
        if (
            finance is not None
            and issue.kind == IssueKind.PROPOSAL
            and "kinh phí" in issue.text
            and rng.random() < 0.5
        ):
            services.issue_address(actor=None, issue=issue, agency=finance)
        roll = rng.random()
        if roll < 0.5:
            when = _aware(timezone.localtime(issue.raised_at).date() + dt.timedelta(days=rng.randint(5, 25)))
            done = roll < 0.25
            services.issue_respond(actor=None, issue=issue, text=rng.choice(ANSWERS), resolves=done, now=when)
            answered += 1
            resolved += done
    ctx.log(
        f"  plans: khó khăn, đề xuất: {Issue.objects.count()} mục, {answered} đã trả lời, {resolved} đã giải quyết"
    )


def _inspections(ctx, rng) -> None:
    """The 2025 inspection year: communes inspected in the autumn, records with findings, recommendations
    (some answered, some closed, some overdue); Ngô Quyền (B) and Lê Chân (A) among them."""

    plan = services.inspection_plan_create(
        actor=None, year=2025, title="Kế hoạch kiểm tra, giám sát năm 2025"
    )
    a, b = ctx.data.get("commune_a"), ctx.data.get("commune_b")
    chosen = [u for u in (b, a) if u is not None]
    others = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).exclude(
        pk__in=[u.pk for u in chosen]
    )
    chosen += list(others.order_by("path")[:4])
    areas_all = ["organisation", "members", "finance", "help", "reporting"]
    for n, unit in enumerate(chosen):
        start = dt.date(2025, 9, 8) + dt.timedelta(days=7 * n)
        inspection = services.inspection_schedule(
            actor=None,
            plan=plan,
            unit=unit,
            starts_on=start,
            ends_on=start + dt.timedelta(days=1),
            inspectors="Nguyễn Văn Khải (Ủy viên Ban Kiểm tra), Trần Thị Hạnh (cán bộ Văn phòng)",
            areas=areas_all if n % 2 == 0 else ["members", "finance", "reporting"],
        )
        if n == len(chosen) - 1:
            continue  # the last stays planned: its record is still to be written
        answers = {
            i: (rng.choices(["ok", "not_ok", "na"], [6, 3, 1])[0], "")
            for i, _item in services.checklist_of(inspection)
        }
        recorded = start + dt.timedelta(days=2)
        services.inspection_record(
            actor=None,
            inspection=inspection,
            answers=answers,
            findings=rng.choice(FINDINGS),
            recorded_on=recorded,
        )
        for k, (area, text) in enumerate(rng.sample(RECOMMENDATIONS, 3)):
            # The first overdue, the second still within its time, the third due earlier.
            deadline = {0: ctx.today - dt.timedelta(days=20), 1: ctx.today + dt.timedelta(days=45)}.get(
                k, recorded + dt.timedelta(days=60)
            )
            deadline = max(deadline, recorded + dt.timedelta(days=15))
            rec = services.recommendation_add(
                actor=None, inspection=inspection, text=text, deadline=deadline, area=area
            )
            if k == 2:
                services.recommendation_answer(
                    actor=None, recommendation=rec, text="Đơn vị đã khắc phục, gửi kèm báo cáo kết quả."
                )
                if n % 2 == 0:
                    services.recommendation_follow_up(
                        actor=None,
                        recommendation=rec,
                        text="Đoàn kiểm tra xác nhận đã khắc phục.",
                        close=True,
                    )
    open_ = Recommendation.objects.exclude(status="closed")
    ctx.log(
        f"  plans: kiểm tra 2025: {len(chosen)} cuộc, {Recommendation.objects.count()} kiến nghị, "
        f"{open_.filter(deadline__lt=ctx.today).count()} quá hạn"
    )
