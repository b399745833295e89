"""Benchmark: the city's roll-up of a reporting round and its DOCX (issue 14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/report_rollup.py \\
        [--docx PATH] [--repeat 5] [--keep]

1. Creates a throwaway PostgreSQL database (`nhandao_bench_plans`, dropped at the end unless
   --keep), the organisation at city scale (the 114 commune-level societies of Hải Phòng, the
   former districts and communes, the agencies with their 2025 mergers: org's own seed), the
   2023 plan from its fixture, and a year round with every agency of the plan, every commune
   society and every commune People's Committee responding (250 reports).
2. Each commune society gets money in its books for 2025 through the funds services (gifts to
   its humanitarian fund and to the city's "Tết Nhân ái" movement, one payment to a household),
   so that the money per fund and campaign is read from a real ledger.  Every report is filled
   and submitted through the services (each society's figures and money table computed by the
   indicator registry and frozen), one in five with a difficulty and a proposal.
3. Times the city roll-up (`selectors.city_board`: statuses, lateness, the sum of the frozen
   figures over the communes, last year's round) and the DOCX generation
   (`reporting.round_docx`), best of --repeat runs, and prints "roll-up: N ms" and
   "docx: N ms".  With --docx PATH the generated city report is written there.

Target (issue 14): each under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from _db import throwaway

DB_NAME = "nhandao_bench_plans"


def build():
    from django.db import transaction

    from nhandao.core import audit
    from nhandao.core.seeding import SeedContext
    from nhandao.geo import loader
    from nhandao.org import seed as org_seed
    from nhandao.org.models import Agency
    from nhandao.plans import services
    from nhandao.plans.models import RespondentKind

    loader.ensure_loaded()
    ctx = SeedContext(scale="small", seed=7, stdout=io.StringIO())
    with transaction.atomic(), audit.via("bench"):
        org_seed.run(ctx)
        print("  organisation built", flush=True)
        plan = services.plan_load(actor=None)
        agencies = [
            a
            for a in Agency.objects.active().exclude(kind="committee")
            if services.duties_for(plan, RespondentKind.AGENCY, a, dt.date(2025, 12, 31))
        ]
        money = _money_maker(ctx.data["city"])
        rnd = services.round_open(
            actor=None,
            plan=plan,
            name="Tổng kết năm 2025",
            kind="year",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            deadline=dt.date(2026, 1, 15),
            agencies=agencies,
        )
        for i, report in enumerate(rnd.reports.select_related("round", "unit")):
            hard = i % 5 == 0
            if report.kind == RespondentKind.SOCIETY:
                money(report.unit, i)
            services.report_save(
                actor=None,
                report=report,
                entries={
                    e.duty_id: {
                        "status": "done" if (i + e.duty_id) % 4 else "in_progress",
                        "done": f"{report.respondent} đã triển khai nhiệm vụ, tổ chức các hoạt động theo kế hoạch.",
                        "difficulties": "Kinh phí hoạt động còn hạn hẹp." if hard else "",
                        "proposals": "Đề nghị bố trí kinh phí hỗ trợ hoạt động Hội." if hard else "",
                    }
                    for e in report.entries.all()
                },
            )
            services.report_submit(actor=None, report=report)
            if i % 50 == 49:
                print(f"  {i + 1} reports submitted", flush=True)
    return rnd


def _money_maker(city):
    """A function that books a commune's money of 2025: two gifts to its humanitarian fund, one
    to the city's movement (tagged in the same fund), one payment to a household."""
    from nhandao.accounts import services as accounts
    from nhandao.campaigns import services as campaigns
    from nhandao.campaigns.models import CampaignKind
    from nhandao.core.access import Role
    from nhandao.funds import services as funds
    from nhandao.funds.services.donations import DonationInput
    from nhandao.org import services as org

    users = []
    for username, role in (("bench.ketoan", Role.FINANCE_OFFICER), ("bench.duyetchi", Role.FINANCE_APPROVER)):
        user = accounts.user_create(actor=None, username=username, full_name=username, password="x" * 16)
        org.role_assign(actor=None, user=user, unit=city, role=role, valid_from=dt.date(2020, 1, 1))
        users.append(user)
    officer, approver = users
    tet = campaigns.campaign_create(
        actor=None,
        unit=city,
        name="Tết Nhân ái 2025",
        kind=CampaignKind.MOVEMENT,
        starts_on=dt.date(2025, 1, 1),
    )
    tet = campaigns.campaign_open(actor=None, campaign=tet)

    def book(unit, i: int) -> None:
        fund = funds.fund_create(actor=None, unit=unit, opened_on=dt.date(2025, 1, 1))
        gift = {"channel": "cash", "donor_name": "Nguyễn Văn An"}
        funds.donations_record_batch(
            actor=None,
            rows=[
                DonationInput(
                    fund=fund, amount=1_000_000 * (1 + i % 7), received_on=dt.date(2025, 3, 10), **gift
                ),
                DonationInput(
                    fund=fund, amount=250_000 * (1 + i % 3), received_on=dt.date(2025, 8, 5), **gift
                ),
                DonationInput(
                    unit=unit,
                    campaign=tet,
                    amount=500_000 * (1 + i % 5),
                    received_on=dt.date(2025, 1, 20),
                    **gift,
                ),
            ],
        )
        paid = funds.disbursement_draft(
            actor=officer,
            fund=fund,
            kind="payment",
            amount=200_000 * (1 + i % 4),
            purpose="Hỗ trợ hộ nghèo",
            help_kind="cash",
            value_date=dt.date(2025, 9, 1),
        )
        funds.disbursement_approve(actor=approver, disbursement=paid)

    return book


def best_ms(fn, repeat: int) -> tuple[float, object]:
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - start) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docx", type=Path, help="write the generated city report here")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--db", default=DB_NAME, help="the throwaway database's name")
    args = parser.parse_args()
    with throwaway(args.db, keep=args.keep):
        from django.core.management import call_command

        from nhandao.plans import reporting, selectors
        from nhandao.plans.models import Round

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        print("  migrated", flush=True)
        rnd = Round.objects.filter(name="Tổng kết năm 2025").first() if args.keep else None
        rnd = rnd or build()
        print(f"setup: {rnd.reports.count()} reports in {time.perf_counter() - start:.1f} s")
        rollup, board = best_ms(lambda: selectors.city_board(rnd), args.repeat)
        print(
            f"  {len(board.reports)} respondents, {sum(1 for _r, f in board.rows if f)} societies with figures"
        )
        print(f"roll-up: {rollup:.0f} ms")
        docx, data = best_ms(lambda: reporting.round_docx(rnd), args.repeat)
        print(f"docx: {docx:.0f} ms ({len(data) // 1024} KB)")
        if args.docx:
            args.docx.write_bytes(data)
            print(f"written: {args.docx}")


if __name__ == "__main__":
    main()
