"""At 360 px: a person whose last whole-blood donation was 10 weeks ago is told from when they may
give, registers for a later drive, and the organiser checks them in and records the donation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_donor_registers_for_a_later_drive_and_is_checked_in(world, live_server, page):
    from conftest import make_user
    from nhandao.blood import services
    from nhandao.blood.models import Donation, Donor, Visit
    from nhandao.blood.tests.conftest import make_drive
    from nhandao.core.access import Role
    from nhandao.org import services as org_services
    from nhandao.people.models import Person

    today = timezone.localdate()
    person = Person(
        full_name="Phạm Thu Trang", sex="F", date_of_birth=dt.date(1996, 9, 12), phone="0987654321"
    )
    person.unit = world.commune_a
    person.refresh_keys()
    person.save()
    donor = Donor.objects.create(person=person, unit=world.commune_a)
    Donation.objects.create(
        donor=donor, unit=world.commune_a, donated_on=today - dt.timedelta(weeks=10), kind="whole",
        volume_ml=350, bag_number="VT-OLD-1",
    )  # fmt: skip
    soon = make_drive(world, days=7, name="Chủ nhật Đỏ tuần này")
    later = make_drive(world, days=21, name="Hành trình Đỏ tháng sau")
    base = live_server.url

    def fill_form(drive):
        page.goto(f"{base}/hien-mau/dot/{drive.pk}/")
        page.get_by_label("Họ và tên").fill("Phạm Thu Trang")
        page.get_by_label("Ngày sinh").fill("12/09/1996")
        page.get_by_label("Giới tính").select_option("F")
        page.get_by_label("Số điện thoại").fill("0987 654 321")
        page.get_by_label("Cân nặng (kg)").fill("52")
        page.get_by_role("button", name="Đăng ký").click()

    fill_form(soon)
    until = (today - dt.timedelta(weeks=10) + dt.timedelta(weeks=12)).strftime("%d/%m/%Y")
    page.get_by_text(f"bạn có thể hiến từ ngày {until}").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    assert not soon.registrations.exists()

    fill_form(later)
    page.get_by_text("Đăng ký thành công").wait_for()
    registration = later.registrations.get()
    assert registration.code in page.content() and page.locator("svg").count() >= 1
    assert "Phạm Thu Trang" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    # On the day: the organiser finds her by name, checks her in; the doctor screens; the bag is recorded.
    login(page, base, "entry_a")
    page.goto(f"{base}/hien-mau/quan-ly/{later.pk}/tiep-don/")
    page.get_by_placeholder("Mã, số điện thoại hoặc họ tên").fill("pham thu trang")
    page.get_by_role("button", name="Tiếp đón").first.click()
    page.wait_for_url("**/hien-mau/luot/**")
    visit = Visit.objects.get()
    medic = make_user("medic_b")
    org_services.role_assign(
        actor=None, user=medic, unit=world.commune_a, role=Role.MEDICAL_STAFF, valid_from=dt.date(2025, 7, 1)
    )
    services.screening_record(
        actor=medic, visit=visit, weight=Decimal("52"), haemoglobin=130, bp_systolic=110, bp_diastolic=70,
        result="accepted",
    )  # fmt: skip
    page.reload()
    page.get_by_label("350 ml").check()
    page.get_by_label("Số túi máu").fill("VT-2026-0001")
    page.get_by_role("button", name="Ghi nhận túi máu").click()
    page.get_by_text("Đã ghi nhận túi máu VT-2026-0001").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    assert Donation.objects.get(bag_number="VT-2026-0001").volume_ml == 350
