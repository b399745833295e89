"""A data-entry officer imports a messy list, fixes nothing, skips the bad row, prints a card."""

import io

import pytest
from openpyxl import Workbook

from tests.browser.conftest import login, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def messy_xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỘI VIÊN"])
    ws.append(["ho va ten", "NGAY SINH", "gioi tinh", "sdt", "dia chi", "vai tro"])
    ws.append(
        [
            "NGUYỄN THỊ MINH ANH",
            "05/03/1962",
            "Nữ",
            "0912 345 678",
            "Số 12 Lạch Tray, Phường Hàng Kênh, Quận Lê Chân",
            "Hội viên",
        ]
    )
    ws.append([])
    ws.append(
        ["trần văn bình", "5/3/62", "nam", "+84 987.654.321", "Phường Cát Dài, Quận Lê Chân", "HV, TNV"]
    )
    ws.append(["Lê Văn Sai", "31/02/1990", "Nam", "0912000111", "", "Hội viên"])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def test_entry_officer_imports_a_messy_list_and_prints_a_member_card(world, live_server, page, tmp_path):
    file = tmp_path / "danh-sach.xlsx"
    messy_xlsx(file)
    base = live_server.url
    login(page, base, "entry_a")
    nav(page, "Hội viên, TNV")
    page.wait_for_url("**/nguoi/**")
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.wait_for_url("**/nhap-du-lieu/nguoi/**")
    page.get_by_label("Nhập vào đơn vị").select_option(
        label=f"{world.commune_a.name} ({world.commune_a.code})"
    )
    page.set_input_files("input[type=file]", str(file))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url("**/nhap-du-lieu/lo/**")
    body = page.content()
    assert "không có thật" in body  # 31/02 on row 6, reported with its column
    assert "Cát Dài" in body  # the old address that has no single successor is flagged
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.get_by_label("Bỏ qua 1 dòng có lỗi, chỉ nhập các dòng hợp lệ").check()
    page.get_by_role("button", name="Xác nhận nhập (2 dòng)").click()
    page.get_by_text("Đã nhập xong lô số").wait_for()

    page.goto(f"{base}/nguoi/?q=nguyen+thi+minh+anh")
    page.get_by_role("link", name="Nguyễn Thị Minh Anh").click()
    page.get_by_text("Phường Lê Chân").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.get_by_role("link", name="In thẻ hội viên").click()
    page.wait_for_url("**/the/")
    assert page.locator("svg").count() >= 1
    from nhandao.people.models import PersonRole

    token = PersonRole.objects.get(person__full_name="Nguyễn Thị Minh Anh").card_token
    page.goto(f"{base}/the/{token}/")
    assert page.get_by_text("Thẻ hợp lệ").is_visible()
    assert "N.T.M.A." in page.content() and "Minh Anh" not in page.content()
