"""The all-roles crawl (issue 15, "what must hold"): a real browser opens, as each demo role, every
page of its menu and a record of each kind linked from them, at a phone's and a desk's width, and
reports every HTTP error, horizontal overflow, figure that runs into another, console error (a CSP
violation is one) and, in English, every piece of the page's own wording left in Vietnamese.

The pages are served by Django's test client inside the browser's request routing (Playwright's
`page.route`), in the test's own thread and database connection: the crawl reads the seeded demo
city of the `seeded_city` fixture, which lives in a transaction that a live server thread could not
see.  Screenshots go to `var/crawl/<role>/<width>/` (CI keeps them as artefacts).
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.browser.conftest import ARGS, CHROMIUM

BASE = "http://localhost"
WIDTHS = (360, 1280)
MAX_FOLLOWED = 6  # records and forms followed from one menu page
SHOTS = Path(__file__).resolve().parents[2] / "var" / "crawl"

# A link is a "record of a kind" when its path has a number or a code in it; one of each shape.
_SHAPE_PART = re.compile(r"(?<=/)[^/]*\d[^/]*(?=/)")
_SKIP = re.compile(
    r"/(dang-xuat|logout)/|\.(xlsx|docx|pdf|csv|json|zip|png|jpg|svg|xml|atom|py|txt)(\?|$)|/tai-ve/|/xuat/|"
    r"/admin/|/media/|/static/|/i18n/|/ngon-ngu/"
)

# Measures the text of each figure (a Range over its contents, so text overflowing its element
# counts) against its box and against every other figure (also used by test_layout_browser).
FIGURES_PROBLEMS = """(selector) => {
  const boxOf = (el) => el.closest('.counter, .figures > div') || el.parentElement;
  const textRect = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  const els = [...document.querySelectorAll(selector)].filter((el) => el.offsetParent && el.textContent.trim());
  const rects = els.map(textRect);
  const problems = [];
  els.forEach((el, i) => {
    const box = boxOf(el).getBoundingClientRect(), r = rects[i];
    if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`out of its box: ${el.textContent.trim()}`);
  });
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
    const a = rects[i], b = rects[j];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      problems.push(`overlap: ${els[i].textContent.trim()} / ${els[j].textContent.trim()}`);
  }
  return {count: els.length, problems};
}"""


# What is wider than the page: the element that sticks out furthest, named for the report.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return null;
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && (!worst || r.right > worst.right)) {
      let p = el.parentElement, clipped = false;
      while (p) { const s = getComputedStyle(p); if (s.overflowX !== 'visible') { clipped = true; break; } p = p.parentElement; }
      if (!clipped) worst = {right: Math.round(r.right), what: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' ' + (el.textContent || '').trim().slice(0, 40)};
    }
  }
  return worst || {right: document.documentElement.scrollWidth, what: '(page)'};
}"""

# The page's own wording (menus, headings of columns, labels, buttons, hints), not its data: a
# Vietnamese letter there, in English, is a string that missed translation.
WORDING = """() => {
  const vi = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
  const allowed = [/đồng/gi, /Tiếng Việt/g, /₫/g];
  const found = new Set();
  const sel = '.site-header .nav-links a, main th, main label, main legend, main button, main .help, main .hint, main input[type=submit]';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent || el.closest('td, tbody th, [lang="vi"], .data, [data-data]')) continue;
    if (el.matches('label') && el.querySelector('input[type=checkbox], input[type=radio]')) continue;
    let text;
    if (el.matches('input')) text = el.value;
    else {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('select, option, input, textarea, .data, [data-data], [lang="vi"]').forEach((c) => c.remove());
      text = copy.textContent;
    }
    for (const a of allowed) text = (text || '').replace(a, '');
    text = text.replace(/\\s+/g, ' ').trim();
    if (vi.test(text)) found.add(text.slice(0, 80));
  }
  return [...found];
}"""


AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.1 A and AA: labels, contrast, names of links and buttons, landmarks, keyboard traps.
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}"""


@dataclass
class Problem:
    role: str
    width: int
    url: str
    what: str

    def __str__(self) -> str:
        return f"{self.role} {self.width}px {self.url}: {self.what}"


@dataclass
class Crawl:
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0


@contextmanager
def chromium():
    """A browser for one test, started after the test's own database work and stopped at its end.

    While Playwright's sync API is in use, its event loop counts as running in this thread, and
    Django then keeps database connections per asyncio context: code run then opens a second
    connection, which cannot see the test's transaction (the seeded city).  So the test captures its
    connection before starting the browser (`crawl_role(..., connection=)`), and the browser is
    stopped before the next test, whose fixtures must find the seeded city on the thread's own
    connection (the session-wide `browser` fixture would keep the loop running)."""
    if CHROMIUM is None:
        pytest.skip("Không tìm thấy chromium (apt-get install chromium); bỏ qua kiểm thử trình duyệt.")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serve(client: Client, status: dict, own):
    """A Playwright route handler answering from the test client, on the test's own database
    connection `own` (Playwright calls it from its event loop: see `chromium`)."""

    def handle(route, request):
        parts = urlsplit(request.url)
        if parts.netloc != urlsplit(BASE).netloc:
            route.abort()
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"HTTP_HOST": "localhost", "HTTP_ACCEPT": request.headers.get("accept", "*/*")}
        if request.headers.get("hx-request"):
            headers["HTTP_HX_REQUEST"] = "true"
        borrowed = connections[DEFAULT_DB_ALIAS]
        connections[DEFAULT_DB_ALIAS] = own
        try:
            if request.method == "POST":
                response = client.generic(
                    "POST",
                    path,
                    request.post_data_buffer or b"",
                    content_type=request.headers.get("content-type", ""),
                    **headers,
                )
            else:
                response = client.get(path, **headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as error:  # the server's error, told as the 500 a user would get
            status[request.url] = 500
            status.setdefault("errors", []).append(f"{path}: {type(error).__name__}: {error}")
            response = None
        finally:
            connections[DEFAULT_DB_ALIAS] = borrowed
        if response is None:
            route.fulfill(status=500, body=b"server error")
            return
        if request.is_navigation_request():
            status[request.url] = response.status_code
        out = {k: v for k, v in response.items() if k.lower() not in ("content-length", "content-encoding")}
        route.fulfill(status=response.status_code, headers=out, body=body)

    return handle


def _shape(path: str) -> str:
    return _SHAPE_PART.sub("*", path)


def _links(page, own: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "main a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
    )
    out = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        if href.startswith(BASE):
            href = href[len(BASE) :]
        if not href.startswith("/") or _SKIP.search(href):
            continue
        out.append(href)
    return out


def crawl_role(
    browser,
    client: Client,
    role: str,
    *,
    widths: tuple[int, ...] = WIDTHS,
    english: bool = False,
    shots: bool = True,
    axe_seen: set | None = None,
    axe_width: int = 1280,
    connection=None,
) -> Crawl:
    """The home page and every menu page of the signed-in (or anonymous) `client`, and one record or
    form of each kind linked from them, at each width.  With `axe_seen`, axe-core checks each page
    shape not already in the set (at `axe_width`): once per kind of page over all roles."""
    result = Crawl()
    client.cookies["nhandao_language"] = "en" if english else "vi"
    for width in widths:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(30000)
        status: dict = {}
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.route("**/*", _serve(client, status, connection or connections[DEFAULT_DB_ALIAS]))

        def visit(path: str, width=width, page=page, status=status, errors=errors) -> bool:
            errors.clear()
            url = BASE + path
            try:
                page.goto(url, wait_until="load")
            except PlaywrightError as error:
                if "Download is starting" in str(error):  # a file to save, not a page
                    return False
                raise
            result.pages += 1
            code = status.get(page.url, status.get(url, 200))
            here = page.url[len(BASE) :] if page.url.startswith(BASE) else page.url
            if code >= 400:
                told = [e for e in status.get("errors", []) if e.startswith(path)]
                result.problems.append(Problem(role, width, path, f"HTTP {code} {' '.join(told)[:300]}"))
                return False
            if page.evaluate("document.contentType") != "text/html":
                return False
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                result.problems.append(
                    Problem(
                        role, width, here, f"wider than the page ({overflow['right']} px): {overflow['what']}"
                    )
                )
            for p in page.evaluate(FIGURES_PROBLEMS, ".figures .v, .counter .value")["problems"]:
                result.problems.append(Problem(role, width, here, p))
            for e in errors:
                result.problems.append(Problem(role, width, here, f"console: {e[:160]}"))
            if english:
                for text in page.evaluate(WORDING):
                    result.problems.append(Problem(role, width, here, f"untranslated: {text}"))
            shape = _shape(urlsplit(here).path)
            if axe_seen is not None and width == axe_width and shape not in axe_seen:
                axe_seen.add(shape)
                if not page.evaluate("typeof axe !== 'undefined'"):
                    page.evaluate(AXE)  # evaluated through the debugging protocol: the CSP does not apply
                for v in page.evaluate(AXE_RUN):
                    result.problems.append(Problem(role, width, here, f"axe: {v}"))
            if shots:
                name = re.sub(r"[^a-z0-9]+", "-", here.lower()).strip("-") or "home"
                folder = SHOTS / ("en" if english else "vi") / role / str(width)
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / f"{name[:80]}.png"), full_page=True)
            return True

        visit("/")
        menu = ["/"]
        for href in page.eval_on_selector_all(
            ".site-header .nav-links a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            if href and href.startswith("/") and not _SKIP.search(href) and href not in menu:
                menu.append(href)
        seen_shapes = {_shape(urlsplit(p).path) for p in menu}
        for path in menu:
            if path != "/" and not visit(path):
                continue
            followed = 0
            for link in _links(page, path):
                shape = _shape(urlsplit(link).path)
                if shape in seen_shapes or "?" in link or followed >= MAX_FOLLOWED:
                    continue
                seen_shapes.add(shape)
                followed += 1
                visit(link)
        context.close()
    return result
