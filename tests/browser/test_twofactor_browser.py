"""Two-factor sign-in in a real browser (issue 16, point 1): a city administrator signs in, is sent
to enrol, scans (reads) the key, types a code generated from it, keeps the ten recovery codes, and
signs in again with a fresh code after the replayed one is refused."""

import base64
import re

import pytest
from django_otp.oath import totp

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password_step(page, base, username):
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_administrator_enrols_and_signs_in_with_a_generated_code(live_server, browser, world):
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    _password_step(page, base, world.city_admin.username)
    page.wait_for_url("**/xac-thuc-hai-buoc/dang-ky/**")
    assert page.locator(".qr svg").count() == 1
    secret = re.sub(r"\s", "", page.locator(".otp-key").inner_text())
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{totp(key):06d}"
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    assert page.locator(".recovery-codes li").count() == 10
    page.screenshot(path="var/shots/twofactor-codes.png", full_page=True)
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url(f"{base}/")
    context.close()

    # Again, on another device: the code already used is refused, the next one opens the session.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    _password_step(page, base, world.city_admin.username)
    page.wait_for_url(re.compile(r"/xac-thuc-hai-buoc/\?next="))
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    assert page.get_by_role("alert").inner_text().startswith("Mã này đã được dùng")
    page.screenshot(path="var/shots/twofactor-replay.png", full_page=True)
    page.wait_for_timeout(1500)  # django-otp slows down after a failure (1 s after the first)
    page.get_by_label("Mã xác thực").fill(f"{totp(key, drift=1):06d}")  # the next 30 s step
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/")
    context.close()
