"""On a phone, without logging in: a donor finds the transparency portal, their campaign and their
gift by a name typed without diacritics; markup typed in the search box is shown, never run;
every public page fits a 360 px screen."""

import re

import pytest

from nhandao.portal.tests.conftest import _fresh_cache, portal  # noqa: F401 (fixtures)
from nhandao.portal.tests.test_search_everywhere import general_gifts  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1, page.url


def test_a_donor_finds_their_gift_on_a_phone(live_server, browser, portal):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15000)

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name=re.compile("minh bạch", re.I)).click()  # a link styled as a button
    page.wait_for_url("**/minh-bach/")
    _fits_the_phone(page)
    assert "Chiến dịch nội bộ" not in page.content()  # not public
    page.get_by_role("link", name="Bão số 3").first.click()
    page.wait_for_url(f"**/minh-bach/chien-dich/{portal.campaign.code}/")
    assert page.locator("svg").count() >= 1  # the VietQR code to give
    _fits_the_phone(page)

    page.goto(f"{live_server.url}/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/")
    page.get_by_label(re.compile("^Tên")).fill("nguyen thi mai")
    page.get_by_role("button", name=re.compile("Tìm")).click()
    page.wait_for_url("**q=nguyen+thi+mai**")
    body = page.content()
    # Both spellings, with and without diacritics; the anonymous and the initials gifts are not named.
    assert "Nguyễn Thị Mai" in body and "NGUYEN THI MAI" in body
    assert "2 khoản ủng hộ" in body
    assert "Đỗ Thị Kín Đáo" not in body and "Trần Văn Bình" not in body
    _fits_the_phone(page)

    page.get_by_label(re.compile("^Tên")).fill("<script>alert(1)</script>")
    page.get_by_role("button", name=re.compile("Tìm")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Không tìm thấy khoản ủng hộ nào.").is_visible()
    assert page.locator("input[name=q]").input_value() == "<script>alert(1)</script>"  # kept, not run
    assert page.locator("script", has_text="alert(1)").count() == 0

    gift = portal.anonymous_gift
    for path in [
        f"/minh-bach/chien-dich/{portal.campaign.code}/chi/",
        f"/minh-bach/chien-dich/{portal.campaign.code}/bao-cao/",
        f"/minh-bach/bien-nhan/{gift.verify_code}/",
        "/minh-bach/du-lieu/",
        "/minh-bach/quy/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        _fits_the_phone(page)
        assert "Đỗ Thị Kín Đáo" not in page.content(), path  # the anonymous donor's real name
    context.close()


def test_a_donor_finds_a_gift_to_a_units_fund_from_the_portal_home_on_a_phone(
    live_server,
    browser,
    portal,  # noqa: F811
    general_gifts,  # noqa: F811
):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/minh-bach/")
    page.get_by_label(re.compile("trong mọi cuộc vận động và quỹ")).fill("Nguyen Van Duc")
    page.get_by_role("button", name=re.compile("^Tìm$")).click()
    page.wait_for_url("**/minh-bach/tra-cuu/?q=Nguyen+Van+Duc")
    body = page.content()
    assert "1 khoản ủng hộ, tổng cộng 1.234.000 ₫" in body and "Quỹ nhân đạo" in body
    _fits_the_phone(page)
    page.get_by_label(re.compile("^Tên")).fill("")
    page.get_by_label(re.compile("^Số tiền")).fill("800.000")
    page.get_by_role("button", name=re.compile("^Tìm$")).click()
    page.wait_for_url("**so_tien=800.000**")
    body = page.content()
    assert "Nhà hảo tâm" in body and "•••334" in body and "Đặng Văn Giấu" not in body
    _fits_the_phone(page)
    context.close()
