"""The money indicators of the plan's reports are read from the ledger (issue 14, point 4)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from nhandao.campaigns import services as campaign_services
from nhandao.campaigns.models import Campaign, CampaignKind
from nhandao.core import indicators
from nhandao.funds import services as funds
from nhandao.funds.models import AccountKind, Disbursement, Donation, Fund
from nhandao.funds.public import campaign_totals
from nhandao.funds.selectors import fund_movements
from nhandao.funds.tests.conftest import give, pay
from nhandao.plans import reporting
from nhandao.plans import selectors as plan_selectors
from nhandao.plans import services as plan_services
from nhandao.plans.models import RespondentKind


def test_money_raised_and_spent_come_from_the_ledger_and_a_reversed_gift_nets_to_zero(world):
    fund = funds.fund_create(actor=world.manager_a, unit=world.commune_a, opened_on=timezone.localdate())
    give(world.finance_officer_a, fund, amount=2_000_000)
    reversed_gift = give(world.finance_officer_a, fund, amount=700_000)
    funds.donation_reverse(actor=world.finance_approver_a, donation=reversed_gift, reason="Ghi nhầm")
    pay(world, fund, 300_000)
    today = timezone.localdate()
    raised = indicators.get("funds.raised").compute
    spent = indicators.get("funds.spent").compute
    # Independent: the gifts still standing and the approved payments of the commune's funds.
    standing = (
        Donation.objects.filter(fund__unit=world.commune_a)
        .exclude(pk=reversed_gift.pk)
        .aggregate(s=Sum("amount"))["s"]
    )
    paid = Disbursement.objects.filter(fund__unit=world.commune_a, kind="payment").aggregate(s=Sum("amount"))[
        "s"
    ]
    assert raised(world.commune_a, today, today) == standing == 2_000_000
    assert spent(world.commune_a, today, today) == paid == 300_000
    assert raised(world.city, today, today) == 2_000_000  # the subtree
    assert raised(world.commune_b, today, today) == 0


# Money per fund and campaign (issue 14, point 4) -----------------------------------------------


def _ledger_by_fund(unit, start, end) -> dict[str, tuple[int, int]]:
    """Independent: each campaign's totals as the portal reads them from the ledger
    (funds.public.campaign_totals), the humanitarian funds' row as the rest of the funds' account
    movements (funds.selectors.fund_movements: income credited, expense debited)."""
    out: dict[str, tuple[int, int]] = {}
    raised = spent = 0
    for fund in Fund.objects.filter(unit__path__startswith=unit.path):
        for m in fund_movements(fund, start, end):
            if m.account.kind == AccountKind.INCOME:
                raised += m.credit - m.debit
            elif m.account.kind == AccountKind.EXPENSE:
                spent += m.debit - m.credit
    for campaign in Campaign.objects.all():
        t = campaign_totals(campaign, unit_path=unit.path, date_from=start, date_to=end)
        if t.raised_money or t.spent_money:
            out[campaign.name] = (t.raised_money, t.spent_money)
            raised, spent = raised - t.raised_money, spent - t.spent_money
    if raised or spent:
        out["Quỹ nhân đạo"] = (raised, spent)
    return out


def _as_dict(rows) -> dict[str, tuple[int, int]]:
    return {r["label"]: (r["values"]["raised"], r["values"]["spent"]) for r in rows}


@pytest.fixture
def appeal(pw):
    """An open restricted appeal of the city, received by the communes' restricted funds."""
    today = timezone.localdate()
    campaign = campaign_services.campaign_create(
        actor=pw.w.city_admin,
        unit=pw.w.city,
        name="Ủng hộ đồng bào bị ảnh hưởng bão số 3",
        kind=CampaignKind.APPEAL,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=20),
    )
    return campaign_services.campaign_open(actor=pw.w.city_admin, campaign=campaign)


@pytest.fixture
def movement(pw):
    """An open movement of the city (Tết Nhân ái): its gifts go to the humanitarian funds, tagged."""
    campaign = campaign_services.campaign_create(
        actor=pw.w.city_admin,
        unit=pw.w.city,
        name="Tết Nhân ái",
        kind=CampaignKind.MOVEMENT,
        starts_on=timezone.localdate() - dt.timedelta(days=30),
    )
    return campaign_services.campaign_open(actor=pw.w.city_admin, campaign=campaign)


@pytest.fixture
def money_round(pw, appeal, movement):
    """Commune A: its general fund (a gift, a reversed gift, a payment) and the city's appeal
    (a gift); commune B: its general fund (a gift); a round of the last 30 days."""
    w = pw.w
    today = timezone.localdate()
    fund_a = funds.fund_create(actor=w.manager_a, unit=w.commune_a, opened_on=today - dt.timedelta(days=60))
    fund_b = funds.fund_create(actor=w.manager_b, unit=w.commune_b, opened_on=today - dt.timedelta(days=60))
    give(w.finance_officer_a, fund_a, amount=2_000_000)
    wrong = give(w.finance_officer_a, fund_a, amount=700_000)
    funds.donation_reverse(actor=w.finance_approver_a, donation=wrong, reason="Ghi nhầm")
    pay(w, fund_a, 300_000)
    give(w.finance_officer_a, None, 1_500_000, unit=w.commune_a, campaign=appeal)
    tet = give(w.finance_officer_a, None, 600_000, unit=w.commune_a, campaign=movement)
    assert tet.fund == fund_a  # a movement's gift is received in the humanitarian fund
    give(w.city_admin, fund_b, amount=400_000)
    rnd = plan_services.round_open(
        actor=w.city_admin,
        plan=pw.plan,
        name="Báo cáo chuyên đề tháng",
        kind="other",
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        deadline=today + dt.timedelta(days=10),
        agencies=[],
    )
    return rnd


def test_money_per_fund_and_campaign_equals_the_ledger_and_adds_up_to_the_totals(
    pw, appeal, movement, money_round
):
    w, rnd = pw.w, money_round
    start, end = rnd.period_start, rnd.period_end
    by_fund = indicators.get_breakdown("funds.by_fund").compute
    for unit in (w.commune_a, w.commune_b, w.city):
        rows = indicators.sum_rows([by_fund(unit, start, end)])
        assert _as_dict(rows) == _ledger_by_fund(unit, start, end)
        totals = indicators.column_totals(rows)
        assert totals.get("raised", 0) == indicators.get("funds.raised").compute(unit, start, end)
        assert totals.get("spent", 0) == indicators.get("funds.spent").compute(unit, start, end)
    rows = indicators.sum_rows([by_fund(w.commune_a, start, end)])
    assert _as_dict(rows) == {
        "Quỹ nhân đạo": (2_000_000, 300_000),
        appeal.name: (1_500_000, 0),
        movement.name: (600_000, 0),
    }
    assert [r["key"] for r in rows][0] == "general"  # the humanitarian funds first


def test_the_submitted_money_table_is_frozen_rolled_up_and_shown(pw, appeal, movement, money_round, client):
    w, rnd = pw.w, money_round
    reports = {}
    for unit, user in ((w.commune_a, w.manager_a), (w.commune_b, w.manager_b)):
        report = rnd.reports.get(kind=RespondentKind.SOCIETY, unit=unit)
        values = {e.duty_id: {"status": "done", "done": "Đã thực hiện"} for e in report.entries.all()}
        plan_services.report_save(actor=user, report=report, entries=values)
        plan_services.report_submit(actor=user, report=report)
        reports[unit.pk] = report
    version = reports[w.commune_a.pk].versions.get(number=1)
    frozen = version.content["breakdowns"]["funds.by_fund"]
    assert _as_dict(frozen) == {
        "Quỹ nhân đạo": (2_000_000, 300_000),
        appeal.name: (1_500_000, 0),
        movement.name: (600_000, 0),
    }
    board = plan_selectors.city_board(rnd)
    assert _as_dict(board.breakdowns["funds.by_fund"]) == {
        "Quỹ nhân đạo": (2_400_000, 300_000),
        appeal.name: (1_500_000, 0),
        movement.name: (600_000, 0),
    }
    per_unit = {(r.unit_id, label): v for r, label, v in board.unit_breakdown_tables()[0][1]}
    assert per_unit == {
        (w.commune_a.pk, "Quỹ nhân đạo"): [2_000_000, 300_000],
        (w.commune_a.pk, appeal.name): [1_500_000, 0],
        (w.commune_a.pk, movement.name): [600_000, 0],
        (w.commune_b.pk, "Quỹ nhân đạo"): [400_000, 0],
    }

    # New postings after the submission change nothing that was submitted.
    fund_a = Fund.objects.get(unit=w.commune_a, kind="general")
    give(w.finance_officer_a, fund_a, amount=5_000_000)
    pay(w, fund_a, 100_000)
    version.refresh_from_db()
    assert version.content["breakdowns"]["funds.by_fund"] == frozen
    again = plan_selectors.city_board(rnd)
    assert again.breakdowns == board.breakdowns
    assert indicators.get("funds.raised").compute(w.commune_a, rnd.period_start, rnd.period_end) == 9_100_000

    # The city's DOCX carries the summed table; the per-unit XLSX a column per fund / campaign.
    doc = Document(io.BytesIO(reporting.round_docx(rnd)))
    money = next(t for t in doc.tables if t.rows[0].cells[0].text == "Quỹ, cuộc vận động")
    assert [[c.text for c in row.cells] for row in money.rows] == [
        ["Quỹ, cuộc vận động", "Tiền vận động được", "Tiền đã chi hỗ trợ"],
        ["Quỹ nhân đạo", "2.400.000 ₫", "300.000 ₫"],
        [appeal.name, "1.500.000 ₫", "0 ₫"],
        [movement.name, "600.000 ₫", "0 ₫"],
        ["Tổng cộng", "4.500.000 ₫", "300.000 ₫"],
    ]
    client.force_login(w.city_admin)
    response = client.get(reverse("plans:round_xlsx", args=[rnd.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(cells) if "Đơn vị" in row)
    header = cells[header_row]
    col = header.index("Quỹ nhân đạo — Tiền vận động được")
    by_unit = {row[0]: row for row in cells[header_row + 1 :] if row[0]}
    assert by_unit[reports[w.commune_a.pk].respondent][col] == 2_000_000
    assert by_unit[reports[w.commune_b.pk].respondent][col] == 400_000
    assert f"{appeal.name} — Tiền vận động được" in header

    # The board and the report's page show the tables.
    page = client.get(rnd.get_absolute_url()).content.decode()
    assert "Tiền vận động và chi hỗ trợ theo quỹ, cuộc vận động" in page and "2.400.000" in page
    page = client.get(reports[w.commune_a.pk].get_absolute_url()).content.decode()
    assert appeal.name in page and "1.500.000" in page
    page = client.get(reverse("plans:version", args=[reports[w.commune_a.pk].pk, 1])).content.decode()
    assert "2.000.000" in page and "300.000" in page


def test_a_commune_sees_only_its_own_money_rows_on_the_board(pw, appeal, money_round, client):
    w, rnd = pw.w, money_round
    for unit, user in ((w.commune_a, w.manager_a), (w.commune_b, w.manager_b)):
        report = rnd.reports.get(kind=RespondentKind.SOCIETY, unit=unit)
        values = {e.duty_id: {"status": "done", "done": "Đã thực hiện"} for e in report.entries.all()}
        plan_services.report_save(actor=user, report=report, entries=values)
        plan_services.report_submit(actor=user, report=report)
    board = plan_selectors.round_board(w.manager_b, rnd)
    assert _as_dict(board.breakdowns["funds.by_fund"]) == {"Quỹ nhân đạo": (400_000, 0)}
