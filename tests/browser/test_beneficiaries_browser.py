"""A commune imports its poor-household list, reviews and confirms it, gives Tết gifts; on a phone."""

import datetime as dt

import pytest
from openpyxl import Workbook

from tests.browser.conftest import login, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def poor_list(path):
    """The list as the ward issues it: a letterhead, a title with the year, the decision, then rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(["ỦY BAN NHÂN DÂN", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append(["PHƯỜNG LÊ CHÂN", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    ws.merge_cells("A1:C1")
    ws.merge_cells("A2:C2")
    ws.append([])
    ws.append([f"DANH SÁCH HỘ NGHÈO NĂM {dt.date.today().year}"])
    ws.append(["(Kèm theo Quyết định số 245/QĐ-UBND của UBND phường Lê Chân)"])
    ws.append(["STT", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Thôn, tổ dân phố", "Số khẩu", "Ghi chú"])
    ws.append([1, "NGUYỄN VĂN HÙNG", 1958, "Nam", "Tổ dân phố số 3", 4, "Chủ hộ ốm đau thường xuyên"])
    ws.append([2, "lê  thị mai", "15/3/1975", "nữ", "TDP số 5", 2, None])
    ws.append([3, "Phạm Văn Sai", "31/02/1980", "Nam", "Tổ 7", 3, None])
    wb.save(path)


def logout(page):
    page.context.clear_cookies()


def test_a_commune_imports_reviews_confirms_and_helps_without_double_help(world, live_server, page, tmp_path):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()  # an earlier transactional test may have flushed the seeded categories
    file = tmp_path / "ho-ngheo.xlsx"
    poor_list(file)
    base = live_server.url
    login(page, base, "entry_a")
    nav(page, "Trợ giúp nhân đạo")
    page.wait_for_url("**/doi-tuong/**")
    page.get_by_role("link", name="Nhập danh sách hộ từ Excel").click()
    page.set_input_files("input[type=file]", str(file))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url("**/nhap-du-lieu/lo/**")
    assert "không có thật" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.get_by_label("Bỏ qua 1 dòng có lỗi, chỉ nhập các dòng hợp lệ").check()
    page.get_by_role("button", name="Xác nhận nhập (2 dòng)").click()
    page.get_by_text("Đã nhập xong lô số").wait_for()

    # The manager records the community review and the commune's confirmation for the list.
    logout(page)
    login(page, base, "manager_a")
    for status, reference in (("proposed", "BB họp tổ 3"), ("reviewed", "15/XN")):
        page.goto(f"{base}/doi-tuong/?trang-thai={status}")
        for box in page.locator("input[name=ids]").all():
            box.check()
        page.locator("input[name=on]").fill(dt.date.today().strftime("%d/%m/%Y"))
        page.locator("input[name=reference]").fill(reference)
        page.get_by_role("button", name="Ghi cho các hồ sơ đã chọn").click()
        page.get_by_text("Đã cập nhật 2 hồ sơ.").wait_for()

    # A Tết gift, then a second gift the same week: the earlier one is shown and a reason asked.
    logout(page)
    login(page, base, "entry_a")
    page.goto(f"{base}/doi-tuong/?q=nguyen+van+hung")
    page.get_by_role("link", name="Nguyễn Văn Hùng").click()
    for attempt in range(2):
        page.get_by_text("Ghi nhận trợ giúp", exact=True).first.click()
        page.locator("select[name=kind]").select_option("gift")
        page.locator("input[name=value]").fill("500.000")
        page.locator("input[name=description]").fill("Quà Tết")
        page.locator("input[name=campaign]").fill(f"Tết Nhân ái {dt.date.today().year}")
        page.get_by_role("button", name="Lưu").click()
        if attempt == 0:
            page.get_by_text("Đã ghi nhận lần trợ giúp.").wait_for()
            page.get_by_role("link", name="HS-").first.click()
    page.get_by_text("Người nhận đã được trợ giúp gần đây").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.locator("input[name=duplicate_reason]").fill("Nhà bị dột sau bão")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Lý do: Nhà bị dột sau bão").wait_for()

    from nhandao.beneficiaries.models import Case

    case = Case.objects.get(head__full_name="Nguyễn Văn Hùng")
    assert case.status == "active" and case.help_records.count() == 2
