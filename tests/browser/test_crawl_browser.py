"""Every demo role, every page of its menu and a record of each kind, in a real browser at 360 and
1280 px (issue 15, "what must hold"): no HTTP error, nothing wider than the page, no figure running
into another, no console error (a CSP violation is one), no page wording left in Vietnamese when
the user reads English, and axe-core's WCAG 2.1 A/AA checks (labels, contrast, names, keyboard
reach) once for each kind of page.  Screenshots: `var/crawl/` (CI keeps them).

The crawl reads the seeded demo city (`seeded_city`); the browser's requests are answered by
Django's test client in this thread (`tests/browser/crawl.py`)."""

from __future__ import annotations

import re

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from nhandao.accounts.models import User
from tests.browser import crawl

pytestmark = [pytest.mark.browser]

# The demo's sign-ins (`seed_demo` prints them); a test below holds this list to the seed's own.
DEMO_LOGINS = (
    "admin.thanhpho",
    "baocao.sogddt",
    "baocao.soyte",
    "duyetchi.lechan",
    "duyetchi.thanhpho",
    "ketoan.lechan",
    "ketoan.thanhpho",
    "kiemtra.thanhpho",
    "nhaplieu.lechan",
    "nhaplieu.ngoquyen",
    "quanly.lechan",
    "quanly.ngoquyen",
    "truyenthong.thanhpho",
    "truytim.thanhpho",
    "xem.lechan",
    "yte.thanhpho",
)
PUBLIC = "public"

# Page kinds that axe-core has checked, over all roles: each kind once, at 1280 px.
_axe_seen: set[str] = set()


def test_the_crawl_covers_every_demo_login(seeded_city, db):
    printed = set(re.findall(r"^\s{2}([a-z]+\.[a-z]+)\s{2,}", seeded_city.output, flags=re.M))
    assert printed == set(DEMO_LOGINS)


@pytest.mark.parametrize("role", (PUBLIC, *DEMO_LOGINS))
def test_every_page_of_every_role_fits_answers_and_is_accessible(seeded_city, db, role):
    client = Client()
    if role != PUBLIC:
        client.force_login(User.objects.get(username=role))
    own = connections[DEFAULT_DB_ALIAS]  # before the browser starts (crawl.chromium)
    with crawl.chromium() as browser:
        found = crawl.crawl_role(browser, client, role, axe_seen=_axe_seen, connection=own)
        in_english = crawl.crawl_role(
            browser, client, role, widths=(360,), english=True, shots=False, connection=own
        )
    problems = found.problems + in_english.problems
    assert found.pages > (3 if role == PUBLIC else 5), found.pages
    assert not problems, f"{len(problems)} problems on {found.pages + in_english.pages} pages:\n" + "\n".join(
        map(str, problems)
    )


def test_the_admin_pages_load_without_a_csp_violation_or_an_error(browser, world, django_user_model):
    """Issue 16, point 3: Django's admin, under the same strict CSP: its index, every model's list
    and every add form, with no console error (a CSP violation is one) and no HTTP error."""
    superuser = django_user_model.objects.create_superuser("sieuquantri", "sieuquantri@example.vn", "x")
    client = Client()
    client.force_login(superuser)
    # With the session's browser running, this test's fixtures and body already share one
    # connection (see crawl.chromium); the request handler borrows it.
    refused, errors = _admin_pages(browser, client, connections[DEFAULT_DB_ALIAS])
    assert not refused and not errors, refused + errors


def _admin_pages(browser, client, own) -> tuple[list[str], list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    status: dict = {}
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.route("**/*", crawl._serve(client, status, own))
    page.goto(crawl.BASE + "/admin/")
    links = [
        href
        for href in page.eval_on_selector_all(
            "#content-main a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        if href.startswith("/admin/")
    ]
    assert len(links) > 40, links
    refused = []
    for href in links:
        page.goto(crawl.BASE + href)
        if status.get(page.url, 200) >= 400:
            refused.append(f"{href}: HTTP {status[page.url]}")
    context.close()
    return refused, errors
