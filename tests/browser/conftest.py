"""Playwright driving Debian's chromium (apt-get install chromium).

The browser tests are skipped, with a message saying why, only when no
chromium binary can be found; CI installs it.
"""

from __future__ import annotations

import os
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
    """Log in through the real form (every demo and test user has the test password)."""
    from conftest import PASSWORD

    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def nav(page, name: str, **kwargs) -> None:
    """Follow a link of the main menu, opening it first where it folds behind a button (phones)."""
    toggle = page.locator(".site-header .nav-toggle-button")
    if toggle.is_visible():
        toggle.click()
    page.locator(".site-header .nav-links").get_by_role("link", name=name, **kwargs).first.click()
