"""A commune-A manager logs in, browses the tree, opens a unit, and is refused commune B."""

import pytest

from conftest import PASSWORD
from tests.browser.conftest import login, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_of_commune_a_uses_the_tree_and_is_refused_commune_b(world, live_server, page):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    # Vietnamese even though the browser asks for English.
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_label("Tên đăng nhập").fill("manager_a")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Tổng quan").is_visible()

    nav(page, "Đơn vị", exact=True)
    page.wait_for_url("**/don-vi/")
    assert page.get_by_role("heading", name="Cây tổ chức").is_visible()
    assert page.get_by_text("Hội Chữ thập đỏ phường Ngô Quyền").count() == 0

    page.get_by_role("link", name="Hội Chữ thập đỏ phường Lê Chân").first.click()
    page.wait_for_url(f"**/don-vi/{world.commune_a.pk}/")
    assert page.get_by_role("heading", name="Hội Chữ thập đỏ phường Lê Chân").is_visible()
    assert page.get_by_role("link", name="Chi hội tổ dân phố số 1").first.is_visible()
    # The page fits a 360 px phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    response = page.goto(f"{live_server.url}/don-vi/{world.commune_b.pk}/")
    assert response.status == 404
    assert page.get_by_text("Không tìm thấy").first.is_visible()
    assert "Ngô Quyền" not in page.content()


def test_tree_expands_sub_units_in_place(world, live_server, page):
    from nhandao.org import services
    from nhandao.org.models import UnitKind

    services.unit_create(actor=None, parent=world.branch_a, name="Tổ hội số 7", kind=UnitKind.GROUP)
    login(page, live_server.url, "manager_a")
    page.goto(f"{live_server.url}/don-vi/")
    page.get_by_role("button", name="+ 1 trực thuộc").first.click()
    page.get_by_role("link", name="Tổ hội số 7").wait_for()
