"""Keyboard alone (issue 15, what must hold: "every page can be used with the keyboard alone").

Core tasks done with Tab, Shift+Tab, Enter, Space, Escape, arrows and typing only, never a click:
sign in, open the folded menu on a phone and follow a link, add a member choosing the unit from the
search list, record a gift, approve a payment (a second-factor role), filter a list, open a branch
of the units' tree (an htmx swap).  Every element the focus lands on shows a focus ring (a computed
outline or box-shadow), and the focus never falls back to <body>.  Screenshots under
var/screenshots/keyboard/ (and $SHOTS if set)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nhandao.core import forms as core_forms
from nhandao.funds import services as funds
from nhandao.funds.models import Disbursement, DisbursementStatus, Donation
from nhandao.people.models import Person
from nhandao.people.tests.helpers import person
from tests.browser.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = [Path(__file__).resolve().parents[2] / "var" / "screenshots" / "keyboard"]
if os.environ.get("SHOTS"):
    SHOTS.append(Path(os.environ["SHOTS"]))

# What has the focus, and whether it shows: its own outline or box-shadow, or for the menu's
# checkbox (hidden, its label is the button) the label's.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {body: true};
  const ring = (e) => {
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
  };
  const shown = el.id === 'nav-toggle' ? document.querySelector('label[for=nav-toggle]') : el;
  return {body: false, tag: el.tagName, id: el.id, name: el.getAttribute('name') || '',
          text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
          ring: ring(shown)};
}"""


def shot(page, name: str) -> None:
    for folder in SHOTS:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def focused(page) -> dict:
    info = page.evaluate(FOCUS)
    assert not info["body"], "the focus fell back to <body>"
    assert info["ring"], f"no visible focus ring on {info}"
    return info


def tab_to(page, matches, *, back: bool = False, limit: int = 80, here: bool = False) -> dict:
    """Press Tab (Shift+Tab) until the focused element matches (`here`: unless it already does);
    each stop must show its focus.  Past the page's last control the browser's own stop (the
    document) comes before the first again: that one stop is not a lost focus."""
    if here:
        info = page.evaluate(FOCUS)
        if not info["body"] and matches(info):
            return focused(page)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate(FOCUS)["body"]:
            page.keyboard.press("Shift+Tab" if back else "Tab")
        info = focused(page)
        if matches(info):
            return info
    raise AssertionError("never reached the element with Tab")


def named(name: str):
    return lambda info: info["name"] == name


def text(value: str):
    return lambda info: info["text"].startswith(value)


def sign_in(page, base: str, username: str, device=None) -> None:
    from conftest import PASSWORD

    page.goto(f"{base}/tai-khoan/dang-nhap/")
    tab_to(page, named("username"), here=True)  # the sign-in form focuses it
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    if device is not None:
        page.wait_for_url(re.compile(r"/xac-thuc-hai-buoc/"))
        tab_to(page, named("code"), here=True)  # focused on arrival
        page.keyboard.type(totp_code(device))
        page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def test_on_a_phone_the_menu_opens_and_a_link_is_followed_with_the_keyboard(world, live_server, page):
    sign_in(page, live_server.url, "manager_a")
    page.keyboard.press("Tab")
    assert focused(page)["text"].startswith("Bỏ qua")  # the skip link comes first
    tab_to(page, lambda i: i["id"] == "nav-toggle")
    page.keyboard.press("Space")
    expect(page.locator(".site-header .nav-links")).to_be_visible()
    tab_to(page, text("Hội viên, phong trào"))
    page.keyboard.press("Enter")
    expect(page.locator("details[data-group=members]")).to_have_attribute("open", "")
    shot(page, "menu-group-open-360")
    page.keyboard.press("Escape")  # closes the group, the focus back on its summary
    expect(page.locator("details[data-group=members]")).not_to_have_attribute("open", "")
    assert focused(page)["text"].startswith("Hội viên, phong trào")
    page.keyboard.press("Space")
    tab_to(page, text("Hội viên, TNV"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/nguoi/")


def test_a_member_is_added_choosing_the_unit_from_the_search_list(world, live_server, page, monkeypatch):
    monkeypatch.setattr(core_forms, "LONG_LIST", 1)  # the two units of the test commune make a long list
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "manager_a")
    page.goto(f"{live_server.url}/nguoi/them/")
    tab_to(page, lambda i: i["id"] == "id_unit")
    page.keyboard.type("to dan pho")
    expect(page.locator(".search-options [role=option]").first).to_contain_text("Chi hội tổ dân phố số 1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator('input[type=hidden][name="unit"]').input_value() == str(world.branch_a.pk)
    tab_to(page, named("full_name"))
    page.keyboard.type("Phạm Thị Hồng Nhung")
    tab_to(page, named("birth"))
    page.keyboard.type("12/03/1990")
    shot(page, "person-form-1280")
    page.keyboard.press("Enter")  # Enter in a text box sends the form
    page.wait_for_url(re.compile(r"/nguoi/\d+/$"))
    assert Person.objects.get(full_name="Phạm Thị Hồng Nhung").unit_id == world.branch_a.pk


def test_a_gift_is_recorded_and_a_payment_approved_with_the_keyboard(world, live_server, browser, page):
    from conftest import second_factor_device
    from nhandao.accounts.models import User

    fund = funds.fund_create(actor=None, unit=world.commune_a, opened_on=dt.date(2025, 7, 1))
    sign_in(page, live_server.url, "finance_officer_a", second_factor_device(world.finance_officer_a))
    page.goto(f"{live_server.url}/ung-ho/them/?fund={fund.pk}")
    tab_to(page, named("channel"))
    page.keyboard.type("Tiền mặt")  # a select chooses by typing its option's first letters
    assert page.locator("#id_channel").input_value() == "cash"
    tab_to(page, named("amount"))
    page.keyboard.type("2.000.000")
    tab_to(page, named("donor_name"))
    page.keyboard.type("Nguyễn Thị Mai")
    tab_to(page, lambda i: i["tag"] == "BUTTON" and i["text"].startswith("Ghi nhận"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/ung-ho/*/")
    assert Donation.objects.get().amount == 2_000_000

    payment = funds.disbursement_draft(
        actor=world.finance_officer_a,
        fund=fund,
        kind="payment",
        help_kind="cash",
        purpose="Hỗ trợ bà Vũ Thị Lan",
        amount=500_000,
    )
    approver = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    device = second_factor_device(User.objects.get(username="finance_approver_a"))
    sign_in(approver, live_server.url, "finance_approver_a", device)
    approver.goto(f"{live_server.url}/chi/{payment.pk}/")
    tab_to(approver, lambda i: i["tag"] == "BUTTON" and i["text"].startswith("Duyệt và ghi sổ"))
    shot(approver, "payment-approve-360")
    approver.keyboard.press("Enter")
    approver.get_by_text("Đã duyệt và ghi sổ khoản chi.").wait_for()
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.APPROVED
    approver.context.close()
    assert Disbursement.objects.count() == 1


def test_a_list_is_filtered_and_a_branch_of_the_tree_opened_with_the_keyboard(world, live_server, page):
    from conftest import second_factor_device

    person(world.branch_a, "Lê Văn Tám")
    person(world.branch_a, "Hoàng Thị Lụa")
    sign_in(page, live_server.url, "admin", second_factor_device(world.city_admin))
    page.goto(f"{live_server.url}/nguoi/")
    tab_to(page, named("q"))
    page.keyboard.type("lua")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=lua"))
    expect(page.locator("main")).to_contain_text("Hoàng Thị Lụa")
    expect(page.locator("main")).not_to_contain_text("Lê Văn Tám")

    page.goto(f"{live_server.url}/don-vi/")
    tab_to(page, text("+ "))  # the button that loads a commune's branches (htmx)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Chi hội tổ dân phố số 1")
    info = focused(page)  # still on the button, not <body>
    assert info["tag"] == "BUTTON"
    shot(page, "tree-opened-360")
