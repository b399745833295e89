"""On a phone: the commune's accountant records a gift and drafts a payment; the approver approves it."""

import datetime as dt

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1


def test_gift_receipt_payment_and_approval_on_a_phone(world, live_server, page, browser):
    from nhandao.funds import services
    from nhandao.funds.models import Disbursement, DisbursementStatus, Donation

    fund = services.fund_create(actor=None, unit=world.commune_a, opened_on=dt.date(2025, 7, 1))

    login(page, live_server.url, "finance_officer_a")
    page.goto(f"{live_server.url}/ung-ho/them/?fund={fund.pk}")
    page.get_by_label("Hình thức").select_option("cash")
    page.get_by_label("Số tiền (đồng)").fill("2.000.000")
    page.get_by_label("Tên người ủng hộ").fill("Nguyễn Thị Mai")
    page.get_by_label("Cách hiển thị công khai").select_option("initials")
    page.get_by_role("button", name="Ghi nhận và cấp biên nhận").click()
    page.wait_for_url("**/ung-ho/*/")
    donation = Donation.objects.get()
    assert page.get_by_text(f"biên nhận số {donation.receipt_label}").is_visible()
    _fits_the_phone(page)

    page.get_by_role("link", name="In biên nhận").click()
    page.wait_for_url("**/bien-nhan/")
    assert page.get_by_text("Hai triệu đồng").is_visible()
    assert page.locator(".qr svg").count() == 1

    page.goto(f"{live_server.url}/chi/them/?fund={fund.pk}")
    page.get_by_label("Nội dung chi").fill("Hỗ trợ gia đình bà Vũ Thị Lan")
    page.get_by_label("Số tiền (đồng)").fill("500000")
    page.get_by_label("Hình thức hỗ trợ").select_option("cash")
    page.get_by_role("button", name="Lập và gửi duyệt").click()
    page.wait_for_url("**/chi/*/")
    assert page.get_by_text("Chờ duyệt").first.is_visible()
    assert page.get_by_role("button", name="Duyệt và ghi sổ").count() == 0  # not for the drafter
    _fits_the_phone(page)

    other = browser.new_context(viewport={"width": 360, "height": 740})
    approver = other.new_page()
    login(approver, live_server.url, "finance_approver_a")
    d = Disbursement.objects.get()
    approver.goto(f"{live_server.url}/chi/{d.pk}/")
    approver.get_by_role("button", name="Duyệt và ghi sổ").click()
    approver.get_by_text("Đã duyệt và ghi sổ khoản chi.").wait_for()
    other.close()
    d.refresh_from_db()
    assert d.status == DisbursementStatus.APPROVED and d.decided_by == world.finance_approver_a

    page.goto(f"{live_server.url}/quy/{fund.pk}/")
    assert page.get_by_text("1.500.000 ₫").first.is_visible()
    _fits_the_phone(page)

    # The public verification page: initials only, no login.
    public = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    public.goto(f"{live_server.url}/xac-minh/bien-nhan/{donation.verify_code}/")
    assert public.get_by_text("N.T.M.").is_visible()
    assert "Nguyễn Thị Mai" not in public.content()
