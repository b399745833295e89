"""Issue 14, point 9: the city's dashboard on a 360 px phone (no horizontal scroll, SVG trends drawn)
and the commune answering an inspection recommendation from it."""

import datetime as dt
from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/shots")


def _year(world, plan, year, value_day):
    from nhandao.plans import services

    rnd = services.round_open(
        actor=None,
        plan=plan,
        name=f"Tổng kết năm {year}",
        kind="year",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        deadline=dt.date(year + 1, 1, 15),
        committees=False,
    )
    for report in rnd.reports.all():
        first = report.entries.order_by("duty__order").first()
        values = {e.duty_id: {"status": "done", "done": "Đã thực hiện"} for e in report.entries.all()}
        values[first.duty_id]["difficulties"] = f"Thiếu kinh phí hoạt động năm {year}"
        services.report_save(actor=None, report=report, entries=values)
        services.report_submit(actor=None, report=report)
    return rnd


def test_the_dashboard_reads_on_a_phone_and_the_commune_answers_a_recommendation(world, live_server, page):
    from nhandao.org import services as org
    from nhandao.plans import services
    from nhandao.plans.models import RecommendationStatus
    from nhandao.plans.tests.conftest import AGENCIES

    for code, name, kind in AGENCIES:
        org.agency_create(actor=None, code=code, name=name, kind=kind)
    plan = services.plan_load(actor=None)
    _year(world, plan, 2024, None)
    _year(world, plan, 2025, None)
    inspections = services.inspection_plan_create(actor=None, year=2025)
    inspection = services.inspection_schedule(
        actor=None,
        plan=inspections,
        unit=world.commune_a,
        starts_on=dt.date(2025, 9, 8),
        ends_on=dt.date(2025, 9, 9),
        inspectors="Nguyễn Văn Khải",
        areas=["finance"],
    )
    services.inspection_record(
        actor=None,
        inspection=inspection,
        answers={i: ("not_ok", "") for i, _item in services.checklist_of(inspection)},
        findings="Thiếu chứng từ chi",
        recorded_on=dt.date(2025, 9, 10),
    )
    rec = services.recommendation_add(
        actor=None, inspection=inspection, text="Bổ sung chứng từ chi hỗ trợ", deadline=dt.date(2025, 10, 31)
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    login(page, base, "admin")
    page.goto(f"{base}/bang-dieu-hanh/")
    page.get_by_role("heading", name="Bảng điều hành của thành phố").wait_for()
    assert page.locator("svg.trend").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.screenshot(path=str(SHOTS / "plans-dashboard-city-360.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "plans-dashboard-city-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.context.clear_cookies()
    login(page, base, "manager_a")
    page.goto(f"{base}/bang-dieu-hanh/")
    page.get_by_role("link", name="Bổ sung chứng từ chi hỗ trợ").click()
    page.get_by_label("Kết quả thực hiện kiến nghị").fill("Đã bổ sung đủ chứng từ")
    page.get_by_role("button", name="Gửi trả lời").click()
    page.get_by_text("Đã gửi trả lời kiến nghị.").wait_for()
    page.screenshot(path=str(SHOTS / "plans-recommendation-360.png"), full_page=True)
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.ANSWERED
