"""Playwright driving Debian's chromium (apt-get install chromium).

The browser tests are skipped, with a message saying why, only when no
chromium binary can be found; CI installs it.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    shutil.which("chromium") or "",
    shutil.which("chromium-browser") or "",
]
CHROMIUM = next((p for p in CHROMIUM_CANDIDATES if p and os.path.exists(p)), None)
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Không tìm thấy chromium (apt-get install chromium); bỏ qua kiểm thử trình duyệt.")
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls made by the test itself are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, base: str, username: str) -> None:
    """Log in through the real form (every demo and test user has the test password), then, for a
    user who needs the second factor, type the code of their authenticator (one is made for a
    test user whose role requires it: root conftest's `second_factor_device`)."""
    from conftest import PASSWORD, second_factor_device
    from nhandao.accounts.models import User

    device = second_factor_device(User.objects.get(username=username))
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:
        page.wait_for_url(re.compile(r"/xac-thuc-hai-buoc/\?next="))
        page.get_by_label("Mã xác thực").fill(totp_code(device))
        page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/")


def totp_code(device) -> str:
    """A code of the device's authenticator that it has not accepted yet (a code counts once: a
    second sign-in within the same 30 s takes the next step's code, which the tolerance allows,
    or waits for it)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        for t in (totp.t(), totp.t() + 1):
            if t > device.last_t:
                # t() counts the device's drift (django-otp moves it when a code one step ahead is
                # accepted): the time of step t is t0 + (t - drift) steps, or the code would be for
                # t + drift, outside the tolerance once the drift is not 0.
                totp.time = device.t0 + (t - device.drift) * device.step
                return f"{totp.token():0{device.digits}d}"
        time.sleep(1)


def nav(page, name: str, **kwargs) -> None:
    """Follow a link of the main menu, opening it first where it folds behind a button (phones),
    and the group of the menu it is in (a <details> sub-menu)."""
    toggle = page.locator(".site-header .nav-toggle-button")
    if toggle.is_visible():
        toggle.click()
    link = (
        page.locator(".site-header .nav-links")
        .get_by_role("link", name=name, include_hidden=True, **kwargs)
        .first
    )
    if not link.is_visible():
        link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()
