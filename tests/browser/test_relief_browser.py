"""A commune officer files a field report on a phone that loses its connection: the report waits in
the browser, goes out when the connection returns, and the server holds exactly one."""

import datetime as dt

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_field_report_typed_offline_is_sent_once_when_the_connection_returns(world, live_server, page):
    from nhandao.relief.models import FieldReport
    from nhandao.relief.services import incidents

    incident = incidents.incident_create(
        actor=world.city_admin,
        unit=world.city,
        kind="typhoon",
        name="Bão số 3 – Yagi",
        starts_on=dt.date.today() - dt.timedelta(days=1),
        communes=[world.commune_a],
    )
    base = live_server.url
    login(page, base, "entry_a")
    page.goto(f"{base}/thien-tai/{incident.pk}/bao-cao/")
    page.get_by_text("Không có báo cáo nào đang chờ gửi.").wait_for()

    page.context.set_offline(True)
    page.get_by_label("Xã, phường, đặc khu").select_option(str(world.commune_a.pk))
    page.get_by_label("Nguồn số liệu").select_option("red_cross")
    page.get_by_label("Bị thương").fill("3")
    page.get_by_label("Nhà ngập").fill("120")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_text("1 báo cáo đang chờ gửi").wait_for()
    assert page.locator("#outbox li").count() == 1
    assert FieldReport.objects.count() == 0

    page.context.set_offline(False)
    page.get_by_text("Không có báo cáo nào đang chờ gửi.").wait_for()
    # A flaky connection may deliver the same report again: the token keeps it single.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    reports = list(FieldReport.objects.all())
    assert len(reports) == 1
    assert (reports[0].injured, reports[0].houses_flooded, reports[0].dead) == (3, 120, None)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
