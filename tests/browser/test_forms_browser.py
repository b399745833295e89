"""Forms that think (issue 15, point 5), in a real browser at 360 and 1280 px: the only fund
preselected, fields that appear when they apply, a search list used with the keyboard alone, and
hints under their own field.  Screenshots go to var/screenshots/forms/ (and $SHOTS if set)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nhandao.funds import services as funds
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = [Path(__file__).resolve().parents[2] / "var" / "screenshots" / "forms"]
if os.environ.get("SHOTS"):
    SHOTS.append(Path(os.environ["SHOTS"]))


def shot(page, name: str) -> None:
    for folder in SHOTS:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def visible(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_donation_form_chooses_the_only_fund_and_shows_what_applies(world, live_server, page, width):
    fund = funds.fund_create(actor=None, unit=world.commune_a, opened_on=dt.date(2025, 7, 1))
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, "finance_officer_a")
    page.goto(f"{live_server.url}/ung-ho/them/")
    assert page.locator("#id_fund").input_value() == str(fund.pk)
    assert page.get_by_text("Chỉ có một lựa chọn nên đã được chọn sẵn.").first.is_visible()
    # Cash in đồng: no bank fields, no foreign currency, no goods.
    page.locator("#id_channel").select_option("cash")
    assert not visible(page, "#id_bank_account")
    assert not visible(page, "#id_original_amount")
    assert not visible(page, "fieldset[data-show-when]")
    shot(page, f"donation-cash-{width}")
    page.locator("#id_channel").select_option("bank")
    assert visible(page, "#id_bank_account") and visible(page, "#id_external_ref")
    page.locator("#id_currency").select_option("USD")
    assert visible(page, "#id_original_amount") and visible(page, "#id_exchange_rate")
    page.locator("#id_channel").select_option("in_kind")
    assert visible(page, "fieldset[data-show-when]") and not visible(page, "#id_bank_account")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    shot(page, f"donation-goods-{width}")


@pytest.mark.parametrize("width", [360, 1280])
def test_an_account_is_chosen_from_a_search_list_with_the_keyboard(world, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/don-vi/{world.commune_a.pk}/phan-quyen/")
    box = page.get_by_role("combobox", name="Tài khoản")
    box.press_sequentially("manager", delay=30)
    # The list opened on focus answers first (every account); wait for the typed query's answer.
    expect(page.locator(".search-options [role=option]").first).to_contain_text("manager_a")
    shot(page, f"role-account-search-{width}")
    box.press("ArrowDown")
    box.press("Enter")
    assert page.locator('input[type=hidden][name="user"]').input_value() == "manager_a"
    assert box.input_value().startswith("manager_a")
    page.locator("#id_role").select_option("viewer")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**/don-vi/{world.commune_a.pk}/**")
    assert world.manager_a.role_assignments.filter(role="viewer").exists()


@pytest.mark.parametrize("width", [360, 1280])
def test_hints_sit_under_their_own_field_and_staff_type_waits_for_staff(world, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/don-vi/{world.city.pk}/them/")
    hint = page.locator("#id_code-help").bounding_box()
    code = page.locator("#id_code").bounding_box()
    # The label of the next field shown (branch type waits until the kind is a branch).
    next_label = page.evaluate(
        """() => {
      const code = document.getElementById('id_code');
      for (const label of document.querySelectorAll('main label')) {
        if (!(code.compareDocumentPosition(label) & Node.DOCUMENT_POSITION_FOLLOWING) || !label.offsetParent) continue;
        const r = label.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
      }
    }"""
    )
    assert code["y"] + code["height"] <= hint["y"] + 1  # under its own control…
    assert hint["y"] - (code["y"] + code["height"]) < next_label["y"] - (
        hint["y"] + hint["height"]
    )  # …nearer it
    shot(page, f"unit-create-hints-{width}")
    page.goto(f"{live_server.url}/nguoi/them/")
    assert not visible(page, "#id_staff_type")
    page.locator("#id_kind").select_option("staff")
    assert visible(page, "#id_staff_type")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    shot(page, f"person-create-staff-{width}")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_finance_officer_declares_an_account_and_the_approver_confirms_it(
    world, live_server, browser, page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, "finance_officer_a")
    page.goto(f"{live_server.url}/ngan-hang/sao-ke/")
    page.get_by_role("link", name="Khai báo tài khoản").click()
    assert page.locator("#id_unit").input_value() == str(world.commune_a.pk)  # their only unit
    page.locator("#id_bank_name").fill("Vietcombank")
    bin_box = page.get_by_role("combobox", name="Mã BIN ngân hàng (NAPAS)")
    bin_box.press_sequentially("vietcom", delay=30)
    expect(page.locator(".search-options [role=option]").first).to_contain_text("970436")
    shot(page, f"bank-account-declare-{width}")
    bin_box.press("ArrowDown")
    bin_box.press("Enter")
    assert page.locator('input[type=hidden][name="bank_bin"]').input_value() == "970436"
    page.get_by_label("Số tài khoản").fill("0031000123456")
    page.get_by_label("Chủ tài khoản").fill("Hội Chữ thập đỏ phường Lê Chân")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Chờ xác nhận").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    shot(page, f"bank-account-pending-{width}")
    approver = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    login(approver, live_server.url, "finance_approver_a")
    approver.goto(f"{live_server.url}/ngan-hang/sao-ke/")
    approver.get_by_role("button", name="Xác nhận tài khoản").click()
    approver.get_by_text("từ nay tài khoản được sử dụng").wait_for()
    shot(approver, f"bank-account-confirmed-{width}")
    approver.context.close()
