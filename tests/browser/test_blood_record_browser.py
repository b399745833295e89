"""At 360 px: a donor opens their own record with their registration code and phone (history, next
date, certificate link); the organiser's statistics page draws its SVG charts."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def test_a_donor_sees_their_record_and_the_organiser_the_charts(world, live_server, page):
    from nhandao.blood import services
    from nhandao.blood.models import Donation
    from nhandao.blood.tests.conftest import make_drive, register

    today = timezone.localdate()
    drive = make_drive(world, days=10)
    registration, _ = register(drive)
    for i, weeks in enumerate((30, 60, 90)):
        Donation.objects.create(
            donor=registration.donor, unit=world.commune_a, donated_on=today - dt.timedelta(weeks=weeks),
            kind="whole", volume_ml=350, bag_number=f"HP-{i}",
        )  # fmt: skip
    services.donor_refresh(registration.donor)
    base = live_server.url
    page.goto(f"{base}/hien-mau/cua-toi/")
    page.get_by_label("Mã đăng ký").fill(registration.code)
    page.get_by_label("Số điện thoại đã đăng ký").fill("0912 000 111")
    page.get_by_role("button", name="Xem").click()
    page.get_by_text("Lịch sử hiến máu của tôi").first.wait_for()
    content = page.content()
    assert "350 ml" in content and "N.T.H." in content and "Nguyễn Thị Hoa" not in content
    assert "không hẹn ngày" not in content and "Cân nặng" not in content  # never weighed: dates decide
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "blood-my-record-360.png"), full_page=True)

    login(page, base, world.manager_a.username)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{base}/hien-mau/thong-ke/?nam={today.year}")
    assert page.locator("svg.chart").count() >= 2
    page.screenshot(path=str(SHOTS / "blood-statistics.png"), full_page=True)
